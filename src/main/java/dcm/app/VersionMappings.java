package dcm.app;

import dcm.core.ModelSpec;
import dcm.core.versions.Desired;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code mapping} use case: for one model, each step between consecutive versions it exists in (the supported
 * old versions' snapshots, then the current models), with the mapping in force and where it comes from; and writing
 * a step's generated mapping as its file for the user to own. Needs no server.
 */
public final class VersionMappings {
    /** What a step between two versions is. */
    public enum State {
        /** The new version has a table of its own, filled through the mapping. */
        MAPPED,
        /** Nothing changed: the new version shares the old one's table; no mapping runs. */
        UNCHANGED,
        /** One of the two versions has no table: nothing to map. */
        NO_TABLE
    }

    /**
     * One step.
     *
     * @param from   the old version's model
     * @param to     the new version's model
     * @param state  what the step is
     * @param table  the table the new version uses (its own, or the shared one), or null
     * @param choice the mapping in force, when {@code state} is MAPPED
     */
    public record Step(ModelSpec from, ModelSpec to, State state, String table, ProjectMappings.Choice choice) {
        /** {@code 1.0 -> 1.1}. */
        public String versions() {
            return from.version() + " -> " + to.version();
        }
    }

    /**
     * One model's mappings.
     *
     * @param model    the model, as its versions spell it
     * @param versions the versions it exists in, oldest first
     * @param steps    the steps shown (all, or the one asked for)
     * @param unused   script mappings and files of the model that map none of its steps
     */
    public record Overview(String model, List<String> versions, List<Step> steps, List<String> unused) {}

    /** What {@code --write} did for one step: the file, and whether it was written (false: it exists, kept). */
    public record Written(Step step, Path file, boolean created) {}

    private final Project project;

    public VersionMappings(Project project) {
        this.project = project;
    }

    /**
     * The model's steps with their mappings: all, the one from {@code from} (when {@code to} is null), or the one
     * from {@code from} to {@code to}. A model in no version, or a step it does not have, is a {@link AppError}
     * naming what there is.
     */
    public Overview show(String model, String from, String to) {
        Map<String, List<ModelSpec>> snapshots = new ProjectVersions(project).snapshots();
        Map<String, ModelSpec> versions = new LinkedHashMap<>();
        String name = resolve(model, snapshots);
        snapshots.forEach((v, models) -> models.stream().filter(m -> m.name().equals(name)).findFirst()
                .ifPresent(m -> versions.put(v, m)));
        project.workspace().models().stream().filter(m -> m.name().equals(name)).findFirst()
                .ifPresent(m -> versions.put(m.version(), m));
        ProjectMappings mappings = ProjectMappings.of(project);
        Desired desired = new ProjectVersions(project, mappings).desired(true);
        List<ModelSpec> chain = new ArrayList<>(versions.values());
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i < chain.size(); i++) {
            steps.add(step(chain.get(i - 1), chain.get(i), desired, mappings));
        }
        List<Step> shown = steps.stream().filter(s -> from == null || s.from().version().equals(from)
                && (to == null || s.to().version().equals(to))).toList();
        if (from != null && shown.isEmpty()) {
            throw new AppError(AppError.Code.VERSIONS, name + " has no step " + from + " -> " + (to == null ? "..."
                    : to) + "; a mapping goes from one version of the model to the next", List.of(name
                    + " exists in " + String.join(", ", versions.keySet()) + (steps.isEmpty() ? "" : "; its steps: "
                    + String.join(", ", steps.stream().map(Step::versions).toList()))), "`mapping " + name
                    + "` shows every step");
        }
        return new Overview(name, List.copyOf(versions.keySet()), shown,
                mappings.unused(name, steps.stream().map(Step::versions).toList()));
    }

    /** Writes the generated mapping of each shown step that maps, as its file; an existing file is kept. */
    public List<Written> write(Overview overview) {
        Path dir = project.config().projectDir();
        List<Written> out = new ArrayList<>();
        for (Step s : overview.steps()) {
            if (s.state() == State.MAPPED) {
                Optional<Path> p = MappingFiles.writeGenerated(dir, s.from(), s.to());
                out.add(new Written(s, p.orElse(MappingFiles.path(dir, overview.model(), s.from().version(),
                        s.to().version())), p.isPresent()));
            }
        }
        return out;
    }

    private static Step step(ModelSpec from, ModelSpec to, Desired desired, ProjectMappings mappings) {
        Optional<ProjectMappings.Choice> c = mappings.choices().stream().filter(x -> x.model().equals(to.name())
                && x.from().equals(from.version()) && x.to().equals(to.version())).findFirst();
        ModelSpec a = resolved(desired, from);
        ModelSpec b = resolved(desired, to);
        String table = b.table() == null ? null : b.table().name();
        if (c.isPresent()) {
            return new Step(from, to, State.MAPPED, table, c.get());
        }
        boolean shared = table != null && a.table() != null && a.table().name().equals(table);
        return new Step(from, to, shared ? State.UNCHANGED : State.NO_TABLE, table, null);
    }

    private static ModelSpec resolved(Desired desired, ModelSpec m) {
        return desired.all().stream().filter(x -> x.name().equals(m.name()) && x.version().equals(m.version()))
                .findFirst().orElse(m);
    }

    /** The model's name as its versions spell it (exact, else ignoring case); an error naming the models if none. */
    private String resolve(String model, Map<String, List<ModelSpec>> snapshots) {
        List<String> names = new ArrayList<>();
        snapshots.values().forEach(ms -> ms.forEach(m -> names.add(m.name())));
        project.workspace().models().forEach(m -> names.add(m.name()));
        if (names.contains(model)) {
            return model;
        }
        return names.stream().filter(n -> n.equalsIgnoreCase(model)).findFirst().orElseThrow(() -> new AppError(
                AppError.Code.VERSIONS, "no model '" + model + "' in any version", List.of("models: " + String.join(
                ", ", names.stream().distinct().sorted().toList())), "`ls` lists the current models"));
    }
}
