package dcm.jshell;

import dcm.api.ModelAssembler.Definition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The lines typed at the prompt: which of them define models (a resource named like a file's model is refused, the
 * prompt never replaces what a file defines), the history of the lines that succeeded, and their replay in the fresh
 * session of a reload, as jshell's /reload does. Called by the workspace while it holds its lock.
 */
final class PromptLines {
    /** Where the prompt's definitions and problems are said to be, as a file's are at its path. */
    static final String SOURCE = "<prompt>";
    private final ModelDefinitions defs;
    /** The lines that succeeded, replayed by a reload. */
    private final List<String> history = new ArrayList<>();

    PromptLines(ModelDefinitions defs) {
        this.defs = defs;
    }

    /** No line succeeded since the last replay (only then may a load come from the cache or go into it). */
    boolean isEmpty() {
        return history.isEmpty();
    }

    /**
     * Takes what the line {@code input} gave when it ran ({@code out}): its resources become models like those of a
     * file, unless refused. Returns the outcome with every problem, refusals included.
     */
    SnippetRunner.Outcome accept(String input, SnippetRunner.Outcome out) {
        List<Diagnostic> diags = new ArrayList<>(out.diagnostics());
        List<Definition> kept = defs.promptDefinitions();
        if (out.ok()) {
            diags.addAll(acceptDefinitions(out.resources()));
        } else if (!out.resources().isEmpty()) {
            // a line that failed defines nothing: it is not replayed, so a model it made would vanish later
            diags.add(new Diagnostic(SOURCE, 0, 0, "", "the line failed, so what it created is not defined: "
                    + out.resources().stream().map(c -> c.resource().name()).distinct().toList()));
        }
        if (!out.resources().isEmpty()) {
            List<Diagnostic> before = defs.report().diagnostics();
            defs.reassemble();
            List<Diagnostic> added = defs.report().diagnostics().stream().filter(d -> !before.contains(d)).toList();
            if (!added.isEmpty()) {
                // a definition that does not assemble is refused whole: the models stay as they were
                diags.addAll(added);
                defs.restorePrompt(kept);
                defs.reassemble();
            }
        }
        if (diags.isEmpty()) {
            history.add(input);
            if (!out.mappings().isEmpty()) {
                defs.promptMappings(out.mappings());
                defs.reassemble();
            }
        }
        return new SnippetRunner.Outcome(out.values(), diags, out.resources(), out.mappings());
    }

    /**
     * Replays the history in the fresh session {@code runner} gives. A line that fails now is reported and leaves the
     * history; its models are gone, so this load is incomplete (nothing they made is dropped by a plan made from it).
     * Returns the lines kept, each with the models it defines (for {@link #forgetUnsure}).
     */
    Map<String, Set<String>> replay(Supplier<SnippetRunner> runner, List<Diagnostic> diags) {
        List<String> replay = new ArrayList<>(history);
        history.clear();
        defs.clearPrompt();
        Map<String, Set<String>> kept = new LinkedHashMap<>();
        boolean failed = false;
        for (String snippet : replay) {
            SnippetRunner.Outcome out = runner.get().run(SOURCE, snippet);
            if (!out.ok()) {
                out.diagnostics().forEach(d -> diags.add(new Diagnostic(d.file(), d.line(), d.column(), d.source(),
                        d.message() + " (a line typed at the prompt, replayed: it leaves the history)")));
                failed = true;
                continue;
            }
            List<Diagnostic> refused = acceptDefinitions(out.resources());
            diags.addAll(refused);
            if (refused.isEmpty()) {
                history.add(snippet);
                defs.promptMappings(out.mappings());
                Set<String> names = new LinkedHashSet<>();
                out.resources().forEach(c -> names.add(c.resource().name()));
                kept.put(snippet, names);
            }
        }
        if (failed) {
            defs.promptFailed();
        }
        return kept;
    }

    /**
     * After the replay's assembly: a prompt model that no longer assembles (its record changed in a file) was
     * reported; its lines leave the history, so that the next reload is not refused for ever.
     */
    void forgetUnsure(Map<String, Set<String>> replayed) {
        ModelWorkspace.LoadReport now = defs.report();
        if (now.failedFiles().contains(SOURCE)) {
            replayed.forEach((snippet, names) -> {
                if (names.stream().anyMatch(now.unsure()::contains)) {
                    history.remove(snippet);
                }
            });
        }
    }

    /** Adds the prompt's new definitions, except those of a model a file defines; returns why any was refused. */
    private List<Diagnostic> acceptDefinitions(List<SnippetRunner.Created> created) {
        List<Diagnostic> refused = new ArrayList<>();
        for (Definition d : Evaluation.definitions(created, SOURCE)) {
            String name = d.resource().name();
            Definition inFile = defs.inFile(name);
            if (inFile != null) {
                refused.add(new Diagnostic(SOURCE, 0, 0, "", "model " + name + " is already defined at "
                        + inFile.source() + "; a definition at the prompt cannot replace a file's model: edit that"
                        + " file and `reload`, or use another name"));
                continue;
            }
            defs.definePrompt(d);
        }
        return refused;
    }
}
