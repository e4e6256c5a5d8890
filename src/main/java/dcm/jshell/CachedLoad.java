package dcm.jshell;

import dcm.api.ModelAssembler;
import dcm.jshell.ModelWorkspace.LoadReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The workspace's side of the load cache: finding a complete load of exactly these files, keeping one when the load
 * in force is complete, evaluated and defined by the files alone, and the evaluation a load from the cache still owes
 * ({@link PendingEvaluation}). What the evaluation gives is put in force by the workspace, under its lock, which every
 * method here is called with too ({@link #owed()} excepted: it is volatile, for the threads that must not wait).
 */
final class CachedLoad {
    /** Where complete loads are kept between runs, or null (no cache: every load evaluates). */
    private LoadCache cache;
    private Consumer<String> notes = s -> { };
    /** The cache key of the files the definitions in force were evaluated from (null: not to be cached). */
    private String evaluatedKey;
    /** The evaluation a load from the cache still owes (null: the definitions in force were evaluated). */
    private volatile PendingEvaluation pending;
    /** What compiling the scripts at once gave, while their JShell evaluation is owed (else null). */
    private CompiledScripts.Result compiled;

    /** Keeps complete loads in {@code cache}; {@code notes} hears when an evaluation disagrees with it. */
    void use(LoadCache cache, Consumer<String> notes) {
        this.cache = cache;
        this.notes = notes;
    }

    /** The key of these contents, or null without a cache. */
    String key(Map<String, byte[]> contents) {
        return cache == null ? null : cache.key(contents);
    }

    /** The cached load of these files (by {@code key}, never null) with these settings, if any. */
    Optional<LoadCache.Entry> find(String key, ModelAssembler.Settings settings) {
        return cache.find(key, settings);
    }

    /**
     * The cached load with other settings of the files a load from the cache owes the evaluation of, if any; when
     * they were compiled at once, their definitions assembled with these settings (and kept), as JShell's would be.
     */
    Optional<LoadCache.Entry> findOwed(ModelAssembler.Settings settings, Assembly.Locator locator) {
        PendingEvaluation p = pending;
        if (p == null) {
            return Optional.empty();
        }
        Optional<LoadCache.Entry> hit = cache.find(p.key(), settings);
        if (hit.isEmpty()) {
            hit = compiledAt(settings, locator);
            hit.ifPresent(e -> cache.store(p.key(), e));
        }
        return hit;
    }

    /**
     * The load the scripts of {@code contents} give when compiled and run at once ({@link CompiledScripts}), as the
     * cache holds one (and kept there under {@code key}): only a complete load without any problem, else empty (JShell
     * then evaluates them and reports the problems).
     */
    Optional<LoadCache.Entry> compile(String key, Map<String, byte[]> contents, ModelAssembler.Settings settings,
                                      Assembly.Locator locator, long timeoutMillis) {
        compiled = CompiledScripts.evaluate(contents, timeoutMillis).orElse(null);
        Optional<LoadCache.Entry> entry = compiledAt(settings, locator);
        if (entry.isEmpty()) {
            compiled = null;
        }
        entry.ifPresent(e -> cache.store(key, e));
        return entry;
    }

    /** Forgets a compiled load (a new load starts: from the cache, compiled again or evaluated). */
    void forgetCompiled() {
        compiled = null;
    }

    /** The compiled load assembled with these settings, when complete and without problems. */
    private Optional<LoadCache.Entry> compiledAt(ModelAssembler.Settings settings, Assembly.Locator locator) {
        CompiledScripts.Result c = compiled;
        if (c == null) {
            return Optional.empty();
        }
        ModelDefinitions scratch = new ModelDefinitions(settings, locator);
        scratch.evaluated(new Evaluation.Result(null, c.byFile(), List.of(), c.mappings()));
        scratch.assemble(c.byFile().size(), 0);
        LoadReport r = scratch.report();
        return r.ok() && r.complete()
                ? Optional.of(new LoadCache.Entry(settings, r.models(), r.mappings(), r.files()))
                : Optional.empty();
    }

    /** The models in force now come from the cache: their files' evaluation is owed. */
    void owe(Map<String, byte[]> contents, String key, long timeoutMillis) {
        pending = new PendingEvaluation(contents, key, timeoutMillis);
    }

    /** The evaluation owed, or null. */
    PendingEvaluation owed() {
        return pending;
    }

    /** The definitions in force were evaluated from the files of this key (null: not to be cached). */
    void evaluatedFrom(String key) {
        evaluatedKey = key;
    }

    /**
     * The evaluation owed, evaluated now or waited for (null when none is owed); it is owed no more, even when it
     * failed.
     */
    Evaluation.Result awaitOwed() {
        compiled = null;
        PendingEvaluation p = pending;
        if (p == null) {
            return null;
        }
        Evaluation.Result r;
        try {
            r = p.await();
        } finally {
            pending = null;
        }
        evaluatedKey = p.key();
        return r;
    }

    /** Drops the evaluation owed (its session is closed once it ends). */
    void discard() {
        PendingEvaluation p = pending;
        pending = null;
        if (p != null) {
            p.abandon();
        }
    }

    /** Says so when the evaluation gave other models than the cache had (they should not differ). */
    void compare(LoadReport cached, LoadReport evaluated) {
        if (!cached.models().equals(evaluated.models()) || !cached.mappings().equals(evaluated.mappings())
                || !evaluated.ok()) {
            notes.accept("note: evaluating the model files gave other models than the cache (" + LoadCache.FILE
                    + ") had; the evaluated ones are in force" + (evaluated.ok() ? "" : ", with "
                    + evaluated.diagnostics().size() + " problem(s) (`reload` shows them)"));
        }
    }

    /**
     * Keeps the load in force in the cache when it is complete, evaluated, and only the files define it
     * ({@code promptLines}: a line typed at the prompt is in the history).
     */
    void store(ModelDefinitions defs, boolean promptLines) {
        LoadReport current = defs.report();
        if (cache == null || evaluatedKey == null || pending != null || !current.ok() || !current.complete()
                || defs.fromPrompt() || promptLines) {
            return;
        }
        cache.store(evaluatedKey, new LoadCache.Entry(defs.settings(), current.models(), current.mappings(),
                current.files()));
    }
}
