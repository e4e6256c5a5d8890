package dcm.jshell;

import dcm.api.ModelAssembler;
import dcm.api.ModelAssembler.Definition;
import dcm.core.ModelSpec;
import dcm.core.versions.MappingEdit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The models of a project: every {@code models/*.jsh} evaluated in one JShell session, plus what was defined at the
 * prompt. A file that fails keeps the models it gave at its last good load (stale), so a typo never unloads a model;
 * and the report says which models are unsure, so that nothing is planned on them.
 *
 * <p>The facade of the loading: it orders the steps and holds the lock (every mutating method is synchronized on the
 * workspace) and the JShell session; the parts are package-private classes of one job each, called under that lock:
 * {@link ModelDefinitions} (the definitions in force and their assembly), {@link CachedLoad} (the load cache and the
 * evaluation a cached load owes), {@link PromptLines} (what is typed at the prompt, its history and replay) and
 * {@link ProblemLocator} (a problem's file:line).
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

    /** Where the models of the first load came from. */
    public enum Origin {
        /** the load cache, unchanged files */
        CACHE,
        /** the scripts compiled and run at once ({@link CompiledScripts}), no cached load of these files */
        COMPILED,
        /** the scripts evaluated by JShell, one snippet after another */
        EVALUATED
    }

    private static final long SNIPPET_TIMEOUT_MS = 30_000;
    private volatile Origin origin = Origin.EVALUATED;
    private final Path projectDir;
    private final ProblemLocator locator;
    private final ModelDefinitions defs;
    private final PromptLines prompt;
    private final CachedLoad cached = new CachedLoad();
    private volatile SnippetRunner runner;
    /** The thread evaluating a prompt line now (holding the workspace), or null. */
    private volatile Thread evaluating;
    /** A dialect learned while a prompt line ran, switched to when it ends. */
    private volatile dcm.core.Dialect pendingDialect;
    /** The checksums of the files the last load read, for {@link #changedSinceLoad()}. */
    private Map<String, Long> loadedContent = Map.of();

    public ModelWorkspace(Path projectDir, ModelAssembler.Settings settings) {
        this.projectDir = projectDir;
        // the field, not runner(): locating a problem never starts JShell nor evaluates a cached load
        this.locator = new ProblemLocator(projectDir, () -> runner);
        this.defs = new ModelDefinitions(settings, locator);
        this.prompt = new PromptLines(defs);
    }

    /**
     * Keeps complete loads in {@code cache} and lets {@link #load()} start from it; {@code notes} hears when the
     * evaluation of a cached load disagrees with the cache.
     */
    public synchronized void useCache(LoadCache cache, java.util.function.Consumer<String> notes) {
        cached.use(cache, notes);
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
        String key = cached.key(contents);
        var hit = key == null || !prompt.isEmpty() ? Optional.<LoadCache.Entry>empty()
                : cached.find(key, defs.settings());
        origin = Origin.CACHE;
        cached.forgetCompiled();
        if (hit.isEmpty() && key != null && prompt.isEmpty()) {
            hit = cached.compile(key, contents, defs.settings(), locator, SNIPPET_TIMEOUT_MS);
            origin = Origin.COMPILED;
        }
        if (hit.isEmpty()) {
            return reload(contents, key, t0);
        }
        cached.discard();
        defs.clear();
        loadedContent = ModelFiles.fingerprints(contents);
        cached.owe(contents, key, SNIPPET_TIMEOUT_MS);
        defs.fromCache(hit.get(), (System.nanoTime() - t0) / 1_000_000);
        return defs.report();
    }

    /** Where the models of the last load came from (a {@code reload} always evaluates). */
    public Origin origin() {
        return origin;
    }

    /**
     * Whether a prompt line is complete Java (false: it needs more lines). While the session is being warmed it is
     * told by the brackets, comments and literals alone, so the prompt never waits for the warm-up to read a line.
     */
    public boolean isComplete(String input) {
        if (warming()) {
            return ScriptChunks.balanced(input);
        }
        return runner().isComplete(input);
    }

    /** True while the scripts of a load from the cache are being evaluated in the background (Java waits). */
    public boolean warming() {
        PendingEvaluation p = cached.owed();
        return p != null && p.runningInBackground();
    }

    /**
     * The models as JShell's own evaluation of the scripts gives them: a load from the cache or a compiled one is
     * evaluated now (or its background evaluation waited for), and the evaluated models win where they differ (a
     * note says so). What changes data (apply, a saved plan, bump) acts on these only.
     */
    public synchronized LoadReport verified() {
        ensureEvaluated();
        return defs.report();
    }

    /** True while the models in force come from the cache and their scripts are not evaluated yet. */
    public boolean fromCache() {
        return cached.owed() != null;
    }

    /** Evaluates the scripts of a load from the cache on a background thread (nothing when there is none). */
    public synchronized void warmInBackground() {
        PendingEvaluation p = cached.owed();
        if (p != null) {
            p.startInBackground(() -> {
                synchronized (this) {
                    if (cached.owed() == p) {
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
        Evaluation.Result r = cached.awaitOwed();
        if (r == null) {
            return;
        }
        runner = r.runner();
        defs.evaluated(r);
        LoadReport fromCache = defs.report();
        defs.reassemble();
        cached.compare(fromCache, defs.report());
        store();
    }

    private void store() {
        cached.store(defs, !prompt.isEmpty());
    }

    /** From the cache when it has these settings (true), else the scripts are evaluated now to assemble anew. */
    private boolean cachedAt(ModelAssembler.Settings next) {
        var hit = cached.findOwed(next, locator);
        if (hit.isPresent()) {
            defs.settings(next);
            defs.fromCache(hit.get(), defs.report().millis());
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
        ModelAssembler.Settings settings = defs.settings();
        if (dialect.equals(settings.dialect())) {
            return List.of();
        }
        ModelAssembler.Settings next = new ModelAssembler.Settings(settings.version(), settings.namespace(),
                settings.defaultRetentionMs(), dialect);
        if (cachedAt(next)) {
            return List.of();
        }
        List<Diagnostic> before = defs.report().diagnostics();
        defs.settings(next);
        defs.reassemble();
        store();
        return defs.report().diagnostics().stream().filter(d -> !before.contains(d)).toList();
    }

    /**
     * Puts the models at another version (after {@code bump}): the definitions already evaluated are assembled again
     * with the new version's names, as {@link #useDialect} does for types. The JShell session, its variables and
     * what was typed at the prompt stay; nothing is evaluated again. Returns the models' state now.
     */
    public synchronized LoadReport useVersion(String version) {
        dcm.core.Names.requireVersion(version);
        ModelAssembler.Settings settings = defs.settings();
        if (!version.equals(settings.version())) {
            ModelAssembler.Settings next = new ModelAssembler.Settings(version, settings.namespace(),
                    settings.defaultRetentionMs(), settings.dialect());
            if (cachedAt(next)) {
                return defs.report();
            }
            defs.settings(next);
            // the models kept from a last good load (what a failed file's models stay at) move to the new version's
            // names too; the others are assembled again from their definitions
            defs.renameLastGood();
            defs.reassemble();
            store();
        }
        return defs.report();
    }

    /** The ClickHouse version whose types the models are assembled with. */
    public synchronized dcm.core.Dialect dialect() {
        return defs.settings().dialect();
    }

    /** The version the models are assembled at ({@code [project] version}). */
    public synchronized String version() {
        return defs.settings().version();
    }

    /** The models in force. */
    public List<ModelSpec> models() {
        // not synchronized: the ingest routes read the models while a prompt line or a reload runs
        return defs.report().models();
    }

    /**
     * Each model's schema record class (the record its script declares), by model name, as last assembled. Not
     * synchronized: a prompt line reads it (through {@code dcm.api.Dcm}) while it holds the workspace.
     */
    public Map<String, Class<?>> recordTypes() {
        PendingEvaluation p = cached.owed();
        if (p != null && !p.onItsThread()) {
            // from the cache: the classes exist once the scripts are evaluated (no prompt line runs before that)
            synchronized (this) {
                ensureEvaluated();
            }
        }
        return defs.recordTypes();
    }

    /** The state now: the last load, with what was defined at the prompt since. */
    public LoadReport state() {
        return defs.report();
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
        return reload(contents, cached.key(contents), t0);
    }

    private LoadReport reload(Map<String, byte[]> contents, String key, long t0) {
        origin = Origin.EVALUATED;
        // a load from the cache is evaluated first: a file that fails now keeps the models of that load (stale)
        ensureEvaluated();
        if (runner != null) {
            runner.close();
            runner = null;
        }
        loadedContent = ModelFiles.fingerprints(contents);
        List<Diagnostic> diags = new ArrayList<>(defs.reevaluate(this::runner, contents));
        cached.evaluatedFrom(key);
        Map<String, Set<String>> replayed = prompt.replay(this::runner, diags);
        defs.loaded(diags);
        defs.assemble(contents.size(), (System.nanoTime() - t0) / 1_000_000);
        prompt.forgetUnsure(replayed);
        store();
        return defs.report();
    }

    /**
     * Evaluates a line typed at the prompt; resources it creates become models like those of a file. A resource
     * named like a file's model is refused: the prompt never replaces what a file defines.
     */
    public synchronized SnippetRunner.Outcome evalPrompt(String input) {
        SnippetRunner.Outcome out;
        evaluating = Thread.currentThread();
        try {
            out = runner().run(PromptLines.SOURCE, input);
        } finally {
            evaluating = null;
            dcm.core.Dialect learned = pendingDialect;
            pendingDialect = null;
            if (learned != null) {
                switchDialect(learned);
            }
        }
        return prompt.accept(input, out);
    }

    /**
     * A problem found later (e.g. by ClickHouse) in a model, located as load problems are: at the line of the field
     * it names, or at the model's definition.
     */
    public synchronized Diagnostic problemIn(String model, String field, String message) {
        ensureEvaluated();
        Definition where = defs.definitionOf(model);
        return where == null ? new Diagnostic(model, 0, 0, "", message) : locator.at(where, field, message);
    }

    /** The model files added, removed or edited since the last load (empty when none). */
    public synchronized List<String> changedSinceLoad() {
        return ModelFiles.changed(loadedContent, ModelFiles.fingerprints(projectDir, modelFiles()));
    }

    /** The model scripts, in name order. */
    public List<Path> modelFiles() {
        return ModelFiles.list(projectDir);
    }

    @Override
    public synchronized void close() {
        cached.discard();
        if (runner != null) {
            runner.close();
            runner = null;
        }
    }
}
