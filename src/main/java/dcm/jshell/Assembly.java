package dcm.jshell;

import dcm.api.ModelAssembler;
import dcm.api.ModelAssembler.Definition;
import dcm.api.ModelProblem;
import dcm.core.ModelSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the definitions of every model file and of the prompt into models, deciding what is certain. A model is
 * defined in one place: two files (or a file and the prompt) defining one name is an error at the second
 * definition, naming the first. A model whose file failed, whose definitions conflict or that does not assemble is
 * <em>unsure</em>: the planner must not touch it. Its last good version stays in force (stale) for the REPL.
 */
final class Assembly {
    /** What one model file gave: its definitions in force, and whether its last evaluation failed. */
    record FileDefs(String file, List<Definition> definitions, boolean failed, Set<String> attempted) {}

    /** Where a definition's problems are reported. */
    interface Locator {
        /** A diagnostic at a definition's source ({@code file:line}), or at one field of its schema. */
        Diagnostic at(Definition where, String field, String message);
    }

    /** The outcome: models in force and what is not certain about them. */
    record Result(List<ModelSpec> models, List<Diagnostic> diagnostics, Set<String> failedFiles, Set<String> unsure,
                  Set<String> stale) {}

    private final ModelAssembler.Settings settings;
    private final Locator locator;
    private final Map<String, ModelSpec> lastGood;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Set<String> failedFiles = new LinkedHashSet<>();
    private final Set<String> unsure = new LinkedHashSet<>();

    Assembly(ModelAssembler.Settings settings, Locator locator, Map<String, ModelSpec> lastGood) {
        this.settings = settings;
        this.locator = locator;
        this.lastGood = lastGood;
    }

    /** The file part of a definition's source ({@code models/users.jsh} of {@code models/users.jsh:5}). */
    static String fileOf(Definition d) {
        int colon = d.source().lastIndexOf(':');
        return colon < 0 ? d.source() : d.source().substring(0, colon);
    }

    /** Assembles the files' definitions (in load order) and the prompt's; updates {@code lastGood}. */
    Result run(List<FileDefs> files, List<Definition> prompt) {
        Map<String, List<Definition>> byName = new LinkedHashMap<>();
        for (FileDefs f : files) {
            if (f.failed()) {
                failedFiles.add(f.file());
                f.definitions().forEach(d -> unsure.add(d.resource().name()));
                unsure.addAll(f.attempted());
            }
            f.definitions().forEach(d -> byName.computeIfAbsent(d.resource().name(), k -> new ArrayList<>()).add(d));
        }
        prompt.forEach(d -> byName.computeIfAbsent(d.resource().name(), k -> new ArrayList<>()).add(d));
        List<ModelSpec> models = new ArrayList<>();
        for (Map.Entry<String, List<Definition>> e : byName.entrySet()) {
            ModelSpec m = one(e.getKey(), e.getValue());
            if (m != null) {
                models.add(m);
            }
        }
        models.sort(Comparator.comparing(ModelSpec::name));
        Set<String> stale = new LinkedHashSet<>();
        models.stream().map(ModelSpec::name).filter(unsure::contains).forEach(stale::add);
        return new Result(List.copyOf(models), List.copyOf(diagnostics), Set.copyOf(failedFiles), Set.copyOf(unsure),
                Set.copyOf(stale));
    }

    private ModelSpec one(String name, List<Definition> group) {
        List<Definition> kept = withoutConflicts(name, group);
        if (kept.size() < group.size()) {
            unsure.add(name);
        }
        try {
            ModelSpec m = ModelAssembler.assembleOne(kept, settings);
            if (!unsure.contains(name)) {
                lastGood.put(name, m);
            }
            return m;
        } catch (RuntimeException e) {
            // any exception, not only the expected ones: a model that cannot be assembled is reported, never fatal
            String field = e instanceof ModelProblem p ? p.field() : null;
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (!(e instanceof IllegalArgumentException)) {
                message = e.getClass().getSimpleName() + ": " + message;
            }
            diagnostics.add(locator.at(kept.get(0), field, message));
            failedFiles.add(fileOf(kept.get(0)));
            unsure.add(name);
            return lastGood.get(name);
        }
    }

    /**
     * The definitions of the place that defines {@code name} first; every other place is reported at its first
     * definition. The first place is where the last good model came from, else the first in load order.
     */
    private List<Definition> withoutConflicts(String name, List<Definition> group) {
        Map<String, List<Definition>> byFile = new LinkedHashMap<>();
        group.forEach(d -> byFile.computeIfAbsent(fileOf(d), k -> new ArrayList<>()).add(d));
        if (byFile.size() == 1) {
            return group;
        }
        ModelSpec before = lastGood.get(name);
        String origin = before != null && byFile.containsKey(sourceFile(before.source())) ? sourceFile(before.source())
                : byFile.keySet().iterator().next();
        Definition first = byFile.get(origin).get(0);
        for (Map.Entry<String, List<Definition>> other : byFile.entrySet()) {
            if (other.getKey().equals(origin)) {
                continue;
            }
            Definition again = other.getValue().get(0);
            diagnostics.add(locator.at(again, null, "model " + name + " is already defined at " + first.source()
                    + " (record " + first.resource().schema().getSimpleName() + "); a model is defined in one place:"
                    + " rename this one, or remove one of the two"));
            failedFiles.add(other.getKey());
        }
        return byFile.get(origin);
    }

    private static String sourceFile(String source) {
        int colon = source.lastIndexOf(':');
        return colon < 0 ? source : source.substring(0, colon);
    }
}
