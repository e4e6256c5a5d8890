package dcm.jshell;

import dcm.api.ModelAssembler;
import dcm.api.ModelAssembler.Definition;
import dcm.core.ModelSpec;
import dcm.jshell.ModelWorkspace.LoadReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The definitions in force (each model file's, the prompt's) and the models assembled from them: the files'
 * definitions of their last good evaluation, the models of the last good assembly (what a failed file's models stay
 * at), the mappings, and the {@link LoadReport} they make. It evaluates nothing and takes no lock: the workspace
 * calls it while it holds its own, except for {@link #report()} and {@link #recordTypes()}, which other threads read
 * (hence volatile).
 */
final class ModelDefinitions {
    private final Assembly.Locator locator;
    private ModelAssembler.Settings settings;
    private final Map<String, Assembly.FileDefs> byFile = new LinkedHashMap<>();
    private final List<Definition> promptDefinitions = new ArrayList<>();
    private final Map<String, ModelSpec> lastGood = new HashMap<>();
    private ScriptMappings mappings = new ScriptMappings();
    /** The problems of evaluating the files (and replaying the prompt), which every assembly reports again. */
    private List<Diagnostic> loadDiagnostics = List.of();
    /** Each model's schema record class, as last assembled. */
    private volatile Map<String, Class<?>> recordTypes = Map.of();
    private volatile LoadReport current = new LoadReport(List.of(), List.of(), 0, 0, Set.of(), Set.of(), Set.of(),
            List.of());

    ModelDefinitions(ModelAssembler.Settings settings, Assembly.Locator locator) {
        this.settings = settings;
        this.locator = locator;
    }

    ModelAssembler.Settings settings() {
        return settings;
    }

    /** Assembles with other settings from now on (the caller assembles again, or takes a cached load of them). */
    void settings(ModelAssembler.Settings next) {
        settings = next;
    }

    /** The state now: the last assembly (or load from the cache). */
    LoadReport report() {
        return current;
    }

    /** Each model's schema record class, by model name, as last assembled. */
    Map<String, Class<?>> recordTypes() {
        return recordTypes;
    }

    /** Forgets every definition, before a load from the cache (whose definitions are evaluated later). */
    void clear() {
        byFile.clear();
        promptDefinitions.clear();
        mappings = new ScriptMappings();
        loadDiagnostics = List.of();
        recordTypes = Map.of();
    }

    /** Puts a cached load's models in force: they are the last good ones too (a file that fails later keeps them). */
    void fromCache(LoadCache.Entry entry, long millis) {
        lastGood.clear();
        entry.models().forEach(m -> lastGood.put(m.name(), m));
        current = new LoadReport(entry.models(), List.of(), entry.files(), millis, Set.of(), Set.of(), Set.of(),
                entry.mappings());
    }

    /** Takes the files' definitions of an evaluation owed by a load from the cache (the caller assembles). */
    void evaluated(Evaluation.Result r) {
        byFile.clear();
        byFile.putAll(r.byFile());
        mappings = r.mappings();
        loadDiagnostics = List.copyOf(r.diagnostics());
    }

    /**
     * Evaluates the files anew in the session {@code runner} gives; a file that fails keeps its definitions of the
     * last good evaluation. Returns the problems (the caller adds the prompt's, then {@link #loaded}).
     */
    List<Diagnostic> reevaluate(Supplier<SnippetRunner> runner, Map<String, byte[]> contents) {
        Map<String, Assembly.FileDefs> previous = new LinkedHashMap<>(byFile);
        byFile.clear();
        Evaluation.Result evaluated = Evaluation.run(runner.get(), contents, previous, mappings);
        byFile.putAll(evaluated.byFile());
        return evaluated.diagnostics();
    }

    /** The problems of this load, reported by every assembly until the next load. */
    void loaded(List<Diagnostic> diagnostics) {
        loadDiagnostics = List.copyOf(diagnostics);
    }

    /** The models kept from a last good load move to the names of the settings' version (after a bump). */
    void renameLastGood() {
        lastGood.replaceAll((name, m) -> ModelAssembler.rename(m, settings));
    }

    /** Assembles the definitions in force into the report (of {@code files} files, loaded in {@code millis}). */
    void assemble(int files, long millis) {
        Assembly.Result r = new Assembly(settings, locator, lastGood)
                .run(List.copyOf(byFile.values()), List.copyOf(promptDefinitions));
        List<Diagnostic> diags = new ArrayList<>(loadDiagnostics);
        diags.addAll(r.diagnostics());
        Map<String, Class<?>> types = new LinkedHashMap<>();
        all().forEach(d -> types.putIfAbsent(d.resource().name(), d.resource().schema()));
        recordTypes = Collections.unmodifiableMap(types);
        current = new LoadReport(r.models(), diags, files, millis, r.failedFiles(), r.unsure(), r.stale(),
                mappings.all());
    }

    /** Assembles again with the files and time of the report in force. */
    void reassemble() {
        assemble(current.files(), current.millis());
    }

    /** The first definition of a model (the files' in load order, then the prompt's), or null. */
    Definition definitionOf(String model) {
        return all().filter(d -> d.resource().name().equals(model)).findFirst().orElse(null);
    }

    /** A file's definition of a model, or null: the prompt cannot replace it. */
    Definition inFile(String model) {
        return byFile.values().stream().flatMap(f -> f.definitions().stream())
                .filter(f -> f.resource().name().equals(model)).findFirst().orElse(null);
    }

    /** A definition made at the prompt; it replaces the prompt's earlier one of the same name and kind. */
    void definePrompt(Definition d) {
        // that is how one iterates at the prompt
        promptDefinitions.removeIf(old -> old.resource().name().equals(d.resource().name())
                && old.resource().getClass() == d.resource().getClass());
        promptDefinitions.add(d);
    }

    /** The prompt's definitions now, to {@link #restorePrompt} them when a line's definitions are refused. */
    List<Definition> promptDefinitions() {
        return List.copyOf(promptDefinitions);
    }

    void restorePrompt(List<Definition> kept) {
        promptDefinitions.clear();
        promptDefinitions.addAll(kept);
    }

    /** Forgets the prompt's definitions and mappings (before its lines are replayed). */
    void clearPrompt() {
        promptDefinitions.clear();
        mappings.clearPrompt();
    }

    /** Mappings a prompt line defined. */
    void promptMappings(List<SnippetRunner.CreatedMapping> created) {
        mappings.prompt(PromptLines.SOURCE, created);
    }

    /** A replayed prompt line failed: the prompt counts as a failed file, so the load is incomplete. */
    void promptFailed() {
        byFile.put(PromptLines.SOURCE, new Assembly.FileDefs(PromptLines.SOURCE, List.of(), true, Set.of()));
    }

    /** Whether anything in force comes from the prompt (such a load is not cached). */
    boolean fromPrompt() {
        return !promptDefinitions.isEmpty() || byFile.containsKey(PromptLines.SOURCE);
    }

    private Stream<Definition> all() {
        return Stream.concat(byFile.values().stream().flatMap(f -> f.definitions().stream()),
                promptDefinitions.stream());
    }
}
