package dcm.jshell;

import dcm.api.ModelAssembler;
import dcm.api.ModelAssembler.Definition;
import dcm.core.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The models of a project: every {@code models/*.jsh} evaluated in one JShell session, plus what was defined at the
 * prompt. A file that fails keeps the models it gave at its last good load, so a typo never unloads a model.
 */
public final class ModelWorkspace implements AutoCloseable {
    /** The result of a (re)load: the models in force and what went wrong, file by file. */
    public record LoadReport(List<ModelSpec> models, List<Diagnostic> diagnostics, int files, long millis) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    private static final long SNIPPET_TIMEOUT_MS = 30_000;
    private final Path projectDir;
    private ModelAssembler.Settings settings;
    private final Map<String, List<Definition>> byFile = new LinkedHashMap<>();
    private final List<Definition> promptDefinitions = new ArrayList<>();
    private final List<String> promptHistory = new ArrayList<>();
    private SnippetRunner runner;
    private List<ModelSpec> models = List.of();
    private List<Diagnostic> assemblyDiagnostics = List.of();

    public ModelWorkspace(Path projectDir, ModelAssembler.Settings settings) {
        this.projectDir = projectDir;
        this.settings = settings;
    }

    /**
     * Switches the server dialect (type mappings differ between ClickHouse versions) and re-assembles the models
     * from the definitions already evaluated; returns the problems that only the new dialect has.
     */
    public synchronized List<Diagnostic> useDialect(dcm.core.Dialect dialect) {
        if (dialect.equals(settings.dialect())) {
            return List.of();
        }
        List<Diagnostic> before = assemblyDiagnostics;
        settings = new ModelAssembler.Settings(settings.version(), settings.namespace(),
                settings.defaultRetentionMs(), dialect);
        assemble();
        return assemblyDiagnostics.stream().filter(d -> !before.contains(d)).toList();
    }

    /** The models in force. */
    public synchronized List<ModelSpec> models() {
        return models;
    }

    /** The running JShell (started on first use). */
    public synchronized SnippetRunner runner() {
        if (runner == null) {
            runner = new SnippetRunner(SNIPPET_TIMEOUT_MS);
        }
        return runner;
    }

    /**
     * Re-evaluates every model file in a fresh session, then replays the prompt snippets that had succeeded, as
     * jshell's /reload does.
     */
    public synchronized LoadReport reload() {
        long t0 = System.nanoTime();
        if (runner != null) {
            runner.close();
            runner = null;
        }
        List<Diagnostic> diags = new ArrayList<>();
        List<Path> files = modelFiles();
        Map<String, List<Definition>> previous = new LinkedHashMap<>(byFile);
        byFile.clear();
        for (Path file : files) {
            String rel = projectDir.relativize(file).toString();
            SnippetRunner.Outcome out = runner().run(rel, read(file));
            if (out.ok()) {
                byFile.put(rel, definitions(out.resources(), rel));
            } else {
                diags.addAll(out.diagnostics());
                byFile.put(rel, previous.getOrDefault(rel, List.of()));
            }
        }
        promptDefinitions.clear();
        for (String snippet : promptHistory) {
            promptDefinitions.addAll(definitions(runner().run("<prompt>", snippet).resources(), "<prompt>"));
        }
        assemble();
        diags.addAll(assemblyDiagnostics);
        return new LoadReport(models, List.copyOf(diags), files.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Evaluates a line typed at the prompt; resources it creates become models like those of a file. */
    public synchronized SnippetRunner.Outcome evalPrompt(String input) {
        SnippetRunner.Outcome out = runner().run("<prompt>", input);
        if (out.ok()) {
            promptHistory.add(input);
        }
        if (!out.resources().isEmpty()) {
            promptDefinitions.addAll(definitions(out.resources(), "<prompt>"));
            assemble();
            if (!assemblyDiagnostics.isEmpty()) {
                List<Diagnostic> all = new ArrayList<>(out.diagnostics());
                all.addAll(assemblyDiagnostics);
                return new SnippetRunner.Outcome(out.values(), all, out.resources());
            }
        }
        return out;
    }

    private void assemble() {
        Map<String, List<Definition>> byName = new LinkedHashMap<>();
        byFile.values().forEach(defs -> defs.forEach(d -> byName.computeIfAbsent(d.resource().name(),
                k -> new ArrayList<>()).add(d)));
        // a prompt definition replaces a file's definition of the same kind: that is how one tries a change
        for (Definition d : promptDefinitions) {
            List<Definition> group = byName.computeIfAbsent(d.resource().name(), k -> new ArrayList<>());
            group.removeIf(old -> old.resource().getClass() == d.resource().getClass());
            group.add(d);
        }
        List<ModelSpec> out = new ArrayList<>();
        List<Diagnostic> diags = new ArrayList<>();
        for (List<Definition> group : byName.values()) {
            try {
                out.add(ModelAssembler.assembleOne(group, settings));
            } catch (IllegalArgumentException e) {
                diags.add(locate(group.get(0).source(), e.getMessage()));
            }
        }
        out.sort(Comparator.comparing(ModelSpec::name));
        models = List.copyOf(out);
        assemblyDiagnostics = List.copyOf(diags);
    }

    private Diagnostic locate(String source, String message) {
        int colon = source.lastIndexOf(':');
        if (colon < 0) {
            return new Diagnostic(source, 0, 0, "", message);
        }
        String file = source.substring(0, colon);
        int line = Integer.parseInt(source.substring(colon + 1));
        String text = "";
        try {
            List<String> lines = Files.readAllLines(projectDir.resolve(file));
            text = line <= lines.size() ? lines.get(line - 1) : "";
        } catch (IOException | RuntimeException ignored) {
            // the prompt, or a file that vanished: no source line to show
        }
        return new Diagnostic(file, line, 0, text, message);
    }

    private static List<Definition> definitions(List<SnippetRunner.Created> created, String file) {
        List<Definition> out = new ArrayList<>();
        for (SnippetRunner.Created c : created) {
            out.add(new Definition(c.resource(), file + ":" + c.line()));
        }
        return out;
    }

    /** The model scripts, in name order. */
    public List<Path> modelFiles() {
        Path dir = projectDir.resolve("models");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jsh")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (runner != null) {
            runner.close();
            runner = null;
        }
    }
}
