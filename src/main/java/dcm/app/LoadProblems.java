package dcm.app;

import dcm.jshell.Diagnostic;
import dcm.jshell.ModelWorkspace.LoadReport;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The evidence of an incomplete load: one line per problem, and the models kept as last loaded. */
public final class LoadProblems {
    /** The hint every refusal for an incomplete load ends with. */
    public static final String HINT = "fix the model files (`reload` shows each problem with its source line), then"
            + " run the command again";

    private LoadProblems() {}

    /** One line per problem ({@code models/x.jsh:3: message}), then the stale models. */
    public static List<String> evidence(LoadReport r) {
        List<String> out = new ArrayList<>();
        for (Diagnostic d : r.diagnostics()) {
            out.add(d.location() + ": " + d.message().lines().findFirst().orElse(""));
        }
        if (!r.stale().isEmpty()) {
            out.add("stale (as last loaded, not planned): " + String.join(", ", new TreeSet<>(r.stale())));
        }
        return out;
    }
}
