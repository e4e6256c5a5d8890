package dcm.shell;

import dcm.jshell.Diagnostic;
import dcm.jshell.ModelWorkspace.LoadReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What {@code plan}, {@code apply}, {@code dev} and {@code serve} say first when the models did not load completely:
 * the problems, which models are stale, and that nothing is planned for what may come from a file that failed.
 */
final class LoadGate {
    private LoadGate() {}

    /** One line per problem ({@code models/x.jsh:3: message}), for evidence lists. */
    static List<String> evidence(LoadReport r) {
        return dcm.app.LoadProblems.evidence(r);
    }

    /** The heading and problem lines shown above a command's own output. */
    static List<Block> problems(LoadReport r, String consequence) {
        List<Block> out = new ArrayList<>();
        out.add(Block.line(Role.ERROR, "error: the models did not load completely (" + files(r) + "); "
                + consequence));
        evidence(r).forEach(e -> out.add(Block.line(Role.DIM, "  -> " + e)));
        return out;
    }

    /** The lines that show SQL problems (the models', the mappings') above a plan. */
    static List<Block> sqlBlocks(List<Diagnostic> problems, String consequence) {
        List<Block> out = new ArrayList<>();
        out.add(Block.line(Role.ERROR, "error: " + problems.size() + " problem(s) with the SQL of the models or"
                + " of their mappings between versions; " + consequence));
        problems.forEach(d -> out.add(Block.line(Role.ERROR, d.render())));
        return out;
    }

    /** The hint every refusal ends with. */
    static String hint() {
        return dcm.app.LoadProblems.HINT;
    }

    /** The load state as JSON data. */
    static Map<String, Object> json(LoadReport r) {
        return Map.of("complete", r.complete(), "problems", r.diagnostics(), "failedFiles",
                new TreeSet<>(r.failedFiles()), "stale", new TreeSet<>(r.stale()), "unsure", new TreeSet<>(r.unsure()));
    }

    private static String files(LoadReport r) {
        if (r.failedFiles().isEmpty()) {
            return r.diagnostics().size() + " problem(s)";
        }
        return "failed: " + String.join(", ", new TreeSet<>(r.failedFiles()));
    }
}
