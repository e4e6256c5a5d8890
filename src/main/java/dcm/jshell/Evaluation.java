package dcm.jshell;

import dcm.api.ModelAssembler.Definition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluating the model scripts, in name order, in one JShell session: each file's definitions (a file that fails keeps
 * those of its last good load), the mappings they define and the problems. It reads nothing itself: it evaluates the
 * very bytes it is given (those the load cache's key covers), so it may run on a background thread while the
 * workspace serves the cached models.
 */
final class Evaluation {
    /** What the files gave, and the session they were evaluated in (its declarations serve the prompt). */
    record Result(SnippetRunner runner, Map<String, Assembly.FileDefs> byFile, List<Diagnostic> diagnostics,
                  ScriptMappings mappings) {}

    private Evaluation() {}

    /**
     * Evaluates every file of {@code contents} in {@code runner}; {@code previous} holds each file's definitions of
     * its last good load; {@code mappings} learns the mappings of each file that loads.
     */
    static Result run(SnippetRunner runner, Map<String, byte[]> contents, Map<String, Assembly.FileDefs> previous,
                      ScriptMappings mappings) {
        List<Diagnostic> diags = new ArrayList<>();
        Map<String, Assembly.FileDefs> byFile = new LinkedHashMap<>();
        mappings.keepFiles(contents.keySet());
        contents.forEach((rel, bytes) -> byFile.put(rel, evaluate(runner, rel, bytes, previous.get(rel), mappings,
                diags)));
        return new Result(runner, byFile, diags, mappings);
    }

    /** One file's definitions; a file that fails keeps the definitions of its last good load. */
    private static Assembly.FileDefs evaluate(SnippetRunner runner, String rel, byte[] bytes,
                                              Assembly.FileDefs previous, ScriptMappings mappings,
                                              List<Diagnostic> diags) {
        List<Definition> before = previous == null ? List.of() : previous.definitions();
        SnippetRunner.Outcome out;
        try {
            if (bytes == null) {
                throw new java.io.IOException("the file cannot be read");
            }
            // strict, as Files.readString: a file that is not UTF-8 is said so at its line, not evaluated garbled
            dcm.core.Utf8.BadByte bad = dcm.core.Utf8.firstBadByte(bytes);
            if (bad != null) {
                diags.add(new Diagnostic(rel, bad.line(), bad.column(), sourceLine(bytes, bad), bad.describe()
                        + "; save the file as UTF-8"));
                return new Assembly.FileDefs(rel, before, true, Set.of());
            }
            out = runner.runScript(rel, new String(bytes, StandardCharsets.UTF_8));
        } catch (java.io.IOException | RuntimeException e) {
            // whatever goes wrong evaluating a file is that file's problem, reported like a compile error
            diags.add(new Diagnostic(rel, 0, 0, "", "could not be evaluated: " + e));
            return new Assembly.FileDefs(rel, before, true, Set.of());
        }
        if (out.ok()) {
            mappings.loaded(rel, out.mappings());
            return new Assembly.FileDefs(rel, definitions(out.resources(), rel), false, Set.of());
        }
        diags.addAll(out.diagnostics());
        Set<String> attempted = new LinkedHashSet<>();
        out.resources().forEach(c -> attempted.add(c.resource().name()));
        return new Assembly.FileDefs(rel, before, true, attempted);
    }

    /** The line holding the bad byte, as text (the bad bytes shown as U+FFFD), for the caret under it. */
    private static String sourceLine(byte[] bytes, dcm.core.Utf8.BadByte bad) {
        int start = bad.lineStart();
        int end = bad.offset();
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    /** The definitions of what a snippet created, each at {@code file:line}. */
    static List<Definition> definitions(List<SnippetRunner.Created> created, String file) {
        List<Definition> out = new ArrayList<>();
        for (SnippetRunner.Created c : created) {
            out.add(new Definition(c.resource(), file + ":" + c.line()));
        }
        return out;
    }
}
