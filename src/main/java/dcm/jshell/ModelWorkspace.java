package dcm.jshell;

import dcm.api.ModelAssembler;
import dcm.api.ModelAssembler.Definition;
import dcm.core.ModelSpec;
import dcm.core.versions.MappingEdit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The models of a project: every {@code models/*.jsh} evaluated in one JShell session, plus what was defined at the
 * prompt. A file that fails keeps the models it gave at its last good load (stale), so a typo never unloads a model;
 * and the report says which models are unsure, so that nothing is planned on them.
 */
public final class ModelWorkspace implements AutoCloseable {
    /**
     * The result of a (re)load: the models in force and what went wrong.
     *
     * @param models      the models in force (stale ones included)
     * @param diagnostics every problem, at its file:line
     * @param files       how many model files there are
     * @param millis      how long the load took
     * @param failedFiles files that did not load completely: any object may belong to a model they define
     * @param unsure      model names whose definition is not certain (failed file, conflict, assembly error)
     * @param stale       unsure models kept from their last good load
     * @param mappings    the mappings between versions the scripts and the prompt define ({@code new Mapping(...)}),
     *                    each at its {@code file:line}
     */
    public record LoadReport(List<ModelSpec> models, List<Diagnostic> diagnostics, int files, long millis,
                             Set<String> failedFiles, Set<String> unsure, Set<String> stale,
                             List<MappingEdit> mappings) {
        public LoadReport {
            models = List.copyOf(models);
            mappings = List.copyOf(mappings);
            diagnostics = List.copyOf(diagnostics);
            failedFiles = Set.copyOf(failedFiles);
            unsure = Set.copyOf(unsure);
            stale = Set.copyOf(stale);
        }

        /** No problem at all. */
        public boolean ok() {
            return diagnostics.isEmpty();
        }

        /** Every file loaded and every model is certain: only then may a plan drop anything. */
        public boolean complete() {
            return failedFiles.isEmpty() && unsure.isEmpty();
        }
    }

    private static final long SNIPPET_TIMEOUT_MS = 30_000;
    private static final String PROMPT = "<prompt>";
    private final Path projectDir;
    private ModelAssembler.Settings settings;
    private final Map<String, Assembly.FileDefs> byFile = new LinkedHashMap<>();
    private final List<Definition> promptDefinitions = new ArrayList<>();
    private final List<String> promptHistory = new ArrayList<>();
    private final Map<String, ModelSpec> lastGood = new HashMap<>();
    private ScriptMappings mappings = new ScriptMappings();
    /** Where complete loads are kept between runs, or null (no cache: every load evaluates). */
    private LoadCache cache;
    private java.util.function.Consumer<String> notes = s -> { };
    /** The cache key of the files the definitions in force were evaluated from (null: not to be cached). */
    private String evaluatedKey;
    /** The evaluation a load from the cache still owes (null: the definitions in force were evaluated). */
    private volatile PendingEvaluation pending;
    private volatile SnippetRunner runner;
    /** The thread evaluating a prompt line now (holding the workspace), or null. */
    private volatile Thread evaluating;
    /** A dialect learned while a prompt line ran, switched to when it ends. */
    private volatile dcm.core.Dialect pendingDialect;
    /** Each model's schema record class, as last assembled. */
    private volatile Map<String, Class<?>> recordTypes = Map.of();
    private volatile LoadReport current = new LoadReport(List.of(), List.of(), 0, 0, Set.of(), Set.of(), Set.of(),
            List.of());
    private List<Diagnostic> loadDiagnostics = List.of();
    private Map<String, Long> loadedContent = Map.of();

    public ModelWorkspace(Path projectDir, ModelAssembler.Settings settings) {
        this.projectDir = projectDir;
        this.settings = settings;
    }

    /**
     * Keeps complete loads in {@code cache} and lets {@link #load()} start from it; {@code notes} hears when the
     * evaluation of a cached load disagrees with the cache.
     */
    public synchronized void useCache(LoadCache cache, java.util.function.Consumer<String> notes) {
        this.cache = cache;
        this.notes = notes;
    }

    /**
     * The first load of a run: from the cache when it holds a complete load of exactly these files (and this build,
     * and these settings), without starting JShell; otherwise as {@link #reload()}. The scripts of a cached load are
     * evaluated when something needs them (a Java line, the record classes, settings the cache lacks) or in the
     * background ({@link #warmInBackground()}).
     */
    public synchronized LoadReport load() {
        long t0 = System.nanoTime();
        Map<String, byte[]> contents = ModelFiles.read(projectDir);
        String key = cache == null ? null : cache.key(contents);
        var hit = key == null || !promptHistory.isEmpty() ? java.util.Optional.<LoadCache.Entry>empty()
                : cache.find(key, settings);
        if (hit.isEmpty()) {
            return reload(contents, key, t0);
        }
        discardEvaluation();
        byFile.clear();
        promptDefinitions.clear();
        mappings = new ScriptMappings();
        loadDiagnostics = List.of();
        loadedContent = ModelFiles.fingerprints(contents);
        recordTypes = Map.of();
        pending = new PendingEvaluation(contents, key, SNIPPET_TIMEOUT_MS);
        fromCache(hit.get(), (System.nanoTime() - t0) / 1_000_000);
        return current;
    }

    private void fromCache(LoadCache.Entry entry, long millis) {
        lastGood.clear();
        entry.models().forEach(m -> lastGood.put(m.name(), m));
        current = new LoadReport(entry.models(), List.of(), entry.files(), millis, Set.of(), Set.of(), Set.of(),
                entry.mappings());
    }

    /** True while the models in force come from the cache and their scripts are not evaluated yet. */
    public boolean fromCache() {
        return pending != null;
    }

    /** Evaluates the scripts of a load from the cache on a background thread (nothing when there is none). */
    public synchronized void warmInBackground() {
        PendingEvaluation p = pending;
        if (p != null) {
            p.startInBackground(() -> {
                synchronized (this) {
                    if (pending == p) {
                        ensureEvaluated();
                    }
                }
            });
        }
    }

    /**
     * Puts the evaluation a load from the cache owes in force (evaluating now, or waiting for the background): the
     * evaluated models win; a note says so if they differ from the cached ones (they should not).
     */
    private void ensureEvaluated() {
        PendingEvaluation p = pending;
        if (p == null) {
            return;
        }
        Evaluation.Result r;
        try {
            r = p.await();
        } finally {
            pending = null;
        }
        runner = r.runner();
        byFile.clear();
        byFile.putAll(r.byFile());
        mappings = r.mappings();
        loadDiagnostics = List.copyOf(r.diagnostics());
        evaluatedKey = p.key();
        LoadReport cached = current;
        assemble(cached.files(), cached.millis());
        if (!cached.models().equals(current.models()) || !cached.mappings().equals(current.mappings())
                || !current.ok()) {
            notes.accept("note: evaluating the model files gave other models than the cache (" + LoadCache.FILE
                    + ") had; the evaluated ones are in force" + (current.ok() ? "" : ", with "
                    + current.diagnostics().size() + " problem(s) (`reload` shows them)"));
        }
        store();
    }

    /** Drops the evaluation a load from the cache owed (its session is closed once it ends). */
    private void discardEvaluation() {
        PendingEvaluation p = pending;
        pending = null;
        if (p != null) {
            p.abandon();
        }
    }

    /** Keeps the load in force in the cache when it is complete, evaluated, and only the files define it. */
    private void store() {
        if (cache == null || evaluatedKey == null || pending != null || !current.ok() || !current.complete()
                || !promptDefinitions.isEmpty() || !promptHistory.isEmpty() || byFile.containsKey(PROMPT)) {
            return;
        }
        cache.store(evaluatedKey, new LoadCache.Entry(settings, current.models(), current.mappings(),
                current.files()));
    }

    /** From the cache when it has these settings (true), else the scripts are evaluated now to assemble anew. */
    private boolean cachedAt(ModelAssembler.Settings next) {
        PendingEvaluation p = pending;
        var hit = p == null ? java.util.Optional.<LoadCache.Entry>empty() : cache.find(p.key(), next);
        if (hit.isPresent()) {
            settings = next;
            fromCache(hit.get(), current.millis());
            return true;
        }
        ensureEvaluated();
        return false;
    }

    /**
     * Switches the server dialect (type mappings differ between ClickHouse versions) and re-assembles the models
     * from the definitions already evaluated; returns the problems that only the new dialect has.
     */
    public List<Diagnostic> useDialect(dcm.core.Dialect dialect) {
        Thread holder = evaluating;
        if (holder != null && holder != Thread.currentThread()) {
            // a prompt line calls into the shell (dcm.api.Dcm) from JShell's own thread while the line's thread holds
            // the workspace: taking it here would wait for ever; the types switch once the line ends
            pendingDialect = dialect;
            return List.of();
        }
        synchronized (this) {
            return switchDialect(dialect);
        }
    }

    private List<Diagnostic> switchDialect(dcm.core.Dialect dialect) {
        if (dialect.equals(settings.dialect())) {
            return List.of();
        }
        ModelAssembler.Settings next = new ModelAssembler.Settings(settings.version(), settings.namespace(),
                settings.defaultRetentionMs(), dialect);
        if (cachedAt(next)) {
            return List.of();
        }
        List<Diagnostic> before = current.diagnostics();
        settings = next;
        assemble(current.files(), current.millis());
        store();
        return current.diagnostics().stream().filter(d -> !before.contains(d)).toList();
    }

    /**
     * Puts the models at another version (after {@code bump}): the definitions already evaluated are assembled again
     * with the new version's names, as {@link #useDialect} does for types. The JShell session, its variables and
     * what was typed at the prompt stay; nothing is evaluated again. Returns the models' state now.
     */
    public synchronized LoadReport useVersion(String version) {
        dcm.core.Names.requireVersion(version);
        if (!version.equals(settings.version())) {
            ModelAssembler.Settings next = new ModelAssembler.Settings(version, settings.namespace(),
                    settings.defaultRetentionMs(), settings.dialect());
            if (cachedAt(next)) {
                return current;
            }
            settings = next;
            // the models kept from a last good load (what a failed file's models stay at) move to the new version's
            // names too; the others are assembled again from their definitions
            lastGood.replaceAll((name, m) -> ModelAssembler.rename(m, settings));
            assemble(current.files(), current.millis());
            store();
        }
        return current;
    }

    /** The version the models are assembled at ({@code [project] version}). */
    public synchronized String version() {
        return settings.version();
    }

    /** The models in force. */
    public List<ModelSpec> models() {
        // not synchronized: the ingest routes read the models while a prompt line or a reload runs
        return current.models();
    }

    /**
     * Each model's schema record class (the record its script declares), by model name, as last assembled. Not
     * synchronized: a prompt line reads it (through {@code dcm.api.Dcm}) while it holds the workspace.
     */
    public Map<String, Class<?>> recordTypes() {
        PendingEvaluation p = pending;
        if (p != null && !p.onItsThread()) {
            // from the cache: the classes exist once the scripts are evaluated (no prompt line runs before that)
            synchronized (this) {
                ensureEvaluated();
            }
        }
        return recordTypes;
    }

    /** The state now: the last load, with what was defined at the prompt since. */
    public LoadReport state() {
        return current;
    }

    /** Stops the Java snippet running now, if any (Ctrl-C); false when none runs. The session stays usable. Not
     * synchronized: it is called while an evaluation holds the workspace. */
    public boolean stopSnippet() {
        SnippetRunner r = runner;
        return r != null && r.stop();
    }

    /** The running JShell (started on first use). */
    public synchronized SnippetRunner runner() {
        ensureEvaluated();
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
        Map<String, byte[]> contents = ModelFiles.read(projectDir);
        return reload(contents, cache == null ? null : cache.key(contents), t0);
    }

    private LoadReport reload(Map<String, byte[]> contents, String key, long t0) {
        // a load from the cache is evaluated first: a file that fails now keeps the models of that load (stale)
        ensureEvaluated();
        if (runner != null) {
            runner.close();
            runner = null;
        }
        Map<String, Assembly.FileDefs> previous = new LinkedHashMap<>(byFile);
        byFile.clear();
        loadedContent = ModelFiles.fingerprints(contents);
        Evaluation.Result evaluated = Evaluation.run(runner(), contents, previous, mappings);
        byFile.putAll(evaluated.byFile());
        List<Diagnostic> diags = new ArrayList<>(evaluated.diagnostics());
        evaluatedKey = key;
        Map<String, Set<String>> replayed = replayPrompt(diags);
        loadDiagnostics = List.copyOf(diags);
        assemble(contents.size(), (System.nanoTime() - t0) / 1_000_000);
        if (current.failedFiles().contains(PROMPT)) {
            // a prompt model that no longer assembles (its record changed in a file): reported now, and its lines
            // leave the history, so that the next reload is not refused for ever
            replayed.forEach((snippet, names) -> {
                if (names.stream().anyMatch(current.unsure()::contains)) {
                    promptHistory.remove(snippet);
                }
            });
        }
        store();
        return current;
    }

    /**
     * Replays the prompt's lines in the fresh session. A line that fails now is reported and leaves the history; its
     * models are gone, so this load is incomplete (nothing they made is dropped by a plan made from it).
     */
    private Map<String, Set<String>> replayPrompt(List<Diagnostic> diags) {
        List<String> replay = new ArrayList<>(promptHistory);
        promptHistory.clear();
        promptDefinitions.clear();
        mappings.clearPrompt();
        Map<String, Set<String>> kept = new LinkedHashMap<>();
        boolean failed = false;
        for (String snippet : replay) {
            SnippetRunner.Outcome out = runner().run(PROMPT, snippet);
            if (!out.ok()) {
                out.diagnostics().forEach(d -> diags.add(new Diagnostic(d.file(), d.line(), d.column(), d.source(),
                        d.message() + " (a line typed at the prompt, replayed: it leaves the history)")));
                failed = true;
                continue;
            }
            List<Diagnostic> refused = acceptPromptDefinitions(out.resources());
            diags.addAll(refused);
            if (refused.isEmpty()) {
                promptHistory.add(snippet);
                mappings.prompt(PROMPT, out.mappings());
                Set<String> names = new LinkedHashSet<>();
                out.resources().forEach(c -> names.add(c.resource().name()));
                kept.put(snippet, names);
            }
        }
        if (failed) {
            byFile.put(PROMPT, new Assembly.FileDefs(PROMPT, List.of(), true, Set.of()));
        }
        return kept;
    }

    /**
     * Evaluates a line typed at the prompt; resources it creates become models like those of a file. A resource
     * named like a file's model is refused: the prompt never replaces what a file defines.
     */
    public synchronized SnippetRunner.Outcome evalPrompt(String input) {
        SnippetRunner.Outcome out;
        evaluating = Thread.currentThread();
        try {
            out = runner().run(PROMPT, input);
        } finally {
            evaluating = null;
            dcm.core.Dialect learned = pendingDialect;
            pendingDialect = null;
            if (learned != null) {
                switchDialect(learned);
            }
        }
        List<Diagnostic> diags = new ArrayList<>(out.diagnostics());
        List<Definition> kept = List.copyOf(promptDefinitions);
        if (out.ok()) {
            diags.addAll(acceptPromptDefinitions(out.resources()));
        } else if (!out.resources().isEmpty()) {
            // a line that failed defines nothing: it is not replayed, so a model it made would vanish later
            diags.add(new Diagnostic(PROMPT, 0, 0, "", "the line failed, so what it created is not defined: "
                    + out.resources().stream().map(c -> c.resource().name()).distinct().toList()));
        }
        if (!out.resources().isEmpty()) {
            List<Diagnostic> before = current.diagnostics();
            assemble(current.files(), current.millis());
            List<Diagnostic> added = current.diagnostics().stream().filter(d -> !before.contains(d)).toList();
            if (!added.isEmpty()) {
                // a definition that does not assemble is refused whole: the models stay as they were
                diags.addAll(added);
                promptDefinitions.clear();
                promptDefinitions.addAll(kept);
                assemble(current.files(), current.millis());
            }
        }
        if (diags.isEmpty()) {
            promptHistory.add(input);
            if (!out.mappings().isEmpty()) {
                mappings.prompt(PROMPT, out.mappings());
                assemble(current.files(), current.millis());
            }
        }
        return new SnippetRunner.Outcome(out.values(), diags, out.resources(), out.mappings());
    }

    /** Adds the prompt's new definitions, except those of a model a file defines; returns why any was refused. */
    private List<Diagnostic> acceptPromptDefinitions(List<SnippetRunner.Created> created) {
        List<Diagnostic> refused = new ArrayList<>();
        for (Definition d : Evaluation.definitions(created, PROMPT)) {
            String name = d.resource().name();
            Definition inFile = byFile.values().stream().flatMap(f -> f.definitions().stream())
                    .filter(f -> f.resource().name().equals(name)).findFirst().orElse(null);
            if (inFile != null) {
                refused.add(new Diagnostic(PROMPT, 0, 0, "", "model " + name + " is already defined at "
                        + inFile.source() + "; a definition at the prompt cannot replace a file's model: edit that"
                        + " file and `reload`, or use another name"));
                continue;
            }
            // a prompt definition replaces an earlier prompt definition of the same kind: that is how one iterates
            promptDefinitions.removeIf(old -> old.resource().name().equals(name)
                    && old.resource().getClass() == d.resource().getClass());
            promptDefinitions.add(d);
        }
        return refused;
    }

    private void assemble(int files, long millis) {
        Assembly.Result r = new Assembly(settings, this::locate, lastGood)
                .run(List.copyOf(byFile.values()), List.copyOf(promptDefinitions));
        List<Diagnostic> diags = new ArrayList<>(loadDiagnostics);
        diags.addAll(r.diagnostics());
        Map<String, Class<?>> types = new LinkedHashMap<>();
        java.util.stream.Stream.concat(byFile.values().stream().flatMap(f -> f.definitions().stream()),
                promptDefinitions.stream()).forEach(d -> types.putIfAbsent(d.resource().name(),
                d.resource().schema()));
        recordTypes = java.util.Collections.unmodifiableMap(types);
        current = new LoadReport(r.models(), diags, files, millis, r.failedFiles(), r.unsure(), r.stale(),
                mappings.all());
    }

    /**
     * A problem found later (e.g. by ClickHouse) in a model, located as load problems are: at the line of the field
     * it names, or at the model's definition.
     */
    public synchronized Diagnostic problemIn(String model, String field, String message) {
        ensureEvaluated();
        Definition where = java.util.stream.Stream.concat(byFile.values().stream().flatMap(f -> f.definitions()
                .stream()), promptDefinitions.stream()).filter(d -> d.resource().name().equals(model)).findFirst()
                .orElse(null);
        return where == null ? new Diagnostic(model, 0, 0, "", message) : locate(where, field, message);
    }

    /** A diagnostic at a definition, or at the line of one field of its schema record when it names one. */
    private Diagnostic locate(Definition where, String field, String message) {
        String file = Assembly.fileOf(where);
        int line = lineOf(where.source());
        List<String> lines = lines(file);
        if (field != null && runner != null) {
            var declared = runner.declaredAt(where.resource().schema().getSimpleName());
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
            return file.equals(PROMPT) ? List.of() : Files.readAllLines(projectDir.resolve(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The model files added, removed or edited since the last load (empty when none). */
    public synchronized List<String> changedSinceLoad() {
        return ModelFiles.changed(loadedContent, fingerprints(modelFiles()));
    }

    private Map<String, Long> fingerprints(List<Path> files) {
        return ModelFiles.fingerprints(projectDir, files);
    }

    /** The model scripts, in name order. */
    public List<Path> modelFiles() {
        return ModelFiles.list(projectDir);
    }

    @Override
    public synchronized void close() {
        discardEvaluation();
        if (runner != null) {
            runner.close();
            runner = null;
        }
    }
}
