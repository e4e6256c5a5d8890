package dcm.jshell;

import dcm.api.ModelAssembler.Definition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Places a model's problem in its source: at the line of the schema record's field it names (as JShell says where the
 * record was declared), else at the line of the model's definition, with that line's text for the caret. Load
 * problems and those found later (by ClickHouse, {@link ModelWorkspace#problemIn}) are located alike.
 */
final class ProblemLocator implements Assembly.Locator {
    private final Path projectDir;
    /** The session the definitions were evaluated in, or null (a load from the cache, not evaluated yet). */
    private final Supplier<SnippetRunner> runner;

    ProblemLocator(Path projectDir, Supplier<SnippetRunner> runner) {
        this.projectDir = projectDir;
        this.runner = runner;
    }

    @Override
    public Diagnostic at(Definition where, String field, String message) {
        String file = Assembly.fileOf(where);
        int line = lineOf(where.source());
        List<String> lines = lines(file);
        SnippetRunner r = runner.get();
        if (field != null && r != null) {
            var declared = r.declaredAt(where.resource().schema().getSimpleName());
            if (declared.isPresent() && declared.get().file().equals(file)) {
                var hit = SourceText.findField(lines, declared.get().line(), field);
                if (hit != null) {
                    return new Diagnostic(file, hit[0], hit[1], lines.get(hit[0] - 1), message);
                }
            }
        }
        String text = line > 0 && line <= lines.size() ? lines.get(line - 1) : "";
        return new Diagnostic(file, line, 0, text, message);
    }

    private static int lineOf(String source) {
        try {
            return Integer.parseInt(source.substring(source.lastIndexOf(':') + 1));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private List<String> lines(String file) {
        try {
            return file.equals(PromptLines.SOURCE) ? List.of() : Files.readAllLines(projectDir.resolve(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
