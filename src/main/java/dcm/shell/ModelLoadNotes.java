package dcm.shell;

import dcm.jshell.Diagnostic;
import dcm.jshell.ModelWorkspace;
import java.io.PrintStream;

/** Model load problems in batch runs go to stderr, so stdout stays clean (and valid JSON with --json). */
final class ModelLoadNotes {
    private ModelLoadNotes() {}

    static void print(ModelWorkspace.LoadReport report, PrintStream err) {
        for (Diagnostic d : report.diagnostics()) {
            err.println("error: " + d.render());
        }
        if (!report.ok()) {
            err.println("hint: fix the file; meanwhile the other models are loaded, `plan` is incomplete and `apply`"
                    + " refuses");
        }
    }
}
