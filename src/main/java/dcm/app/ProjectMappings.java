package dcm.app;

import dcm.core.ModelSpec;
import dcm.core.versions.Mapping;
import dcm.core.versions.MappingEdit;
import dcm.core.versions.MappingEdit.At;
import dcm.core.versions.MappingEdit.Problem;
import dcm.core.versions.MappingFile;
import dcm.core.versions.Mappings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The mappings a project owns, and which one a step between versions uses: the {@code Mapping} for the step in a
 * model script if there is one, else the step's file {@code migrations/<Model>__<from>__<to>.sql}, else the mapping
 * generated from the two schemas. When a script and a file both map a step the script wins and the file is reported
 * as ignored. A script or a file with problems is chosen all the same, unusable, with its problems at their lines:
 * it never silently gives way to the generated mapping. Every choice is remembered, for {@code mapping} and for
 * reporting problems where they are.
 */
public final class ProjectMappings implements Mappings {
    /** The origin of a generated mapping. */
    public static final String GENERATED = "generated";

    /** Where a chosen mapping comes from. */
    public enum Kind {
        /** A {@code Mapping} in a model script. */
        SCRIPT,
        /** A mapping file. */
        FILE,
        /** Generated from the schemas. */
        GENERATED
    }

    /**
     * One step's choice.
     *
     * @param model    the model
     * @param from     the old version
     * @param to       the new version
     * @param mapping  the mapping in force (unusable when it has errors)
     * @param origin   {@code models/users.jsh:12}, {@code migrations/Users__1_0__1_1.sql} or {@code generated}
     * @param kind     where it comes from
     * @param edit     the script's or file's edit, or null when generated
     * @param problems the edit's problems, located
     * @param ignored  what also maps the step and is not used (a file a script mapping overrides)
     */
    public record Choice(String model, String from, String to, Mapping mapping, String origin, Kind kind,
                         MappingEdit edit, List<Problem> problems, List<String> ignored) {
        public Choice {
            problems = List.copyOf(problems);
            ignored = List.copyOf(ignored);
        }

        /**
         * Where a column of this mapping is written: its item in the file, the script's statement, or null when
         * generated.
         */
        public At where(String column) {
            if (edit == null) {
                return null;
            }
            return edit.sets().stream().filter(s -> s.column().equals(column)).map(MappingEdit.Assign::at)
                    .findFirst().orElse(kind == Kind.FILE ? new At(origin, 0, 0) : edit.at());
        }

        /** {@code Users 1.0 -> 1.1}. */
        public String step() {
            return model + " " + from + " -> " + to;
        }
    }

    private final Path projectDir;
    private final List<MappingEdit> script;
    private final List<Choice> choices = new ArrayList<>();

    /**
     * @param projectDir the project (its {@code migrations/} holds the mapping files)
     * @param script     the mappings the model scripts define, each at its line
     */
    public ProjectMappings(Path projectDir, List<MappingEdit> script) {
        this.projectDir = projectDir;
        this.script = List.copyOf(script);
    }

    /** The project's mappings: its files, and the scripts' mappings as last loaded. */
    public static ProjectMappings of(Project project) {
        return new ProjectMappings(project.config().projectDir(), project.workspace().state().mappings());
    }

    @Override
    public Chosen choose(ModelSpec from, ModelSpec to) {
        Choice c = decide(from, to);
        choices.add(c);
        return new Chosen(c.mapping(), c.origin());
    }

    /** Every choice {@link #choose} made, in order. */
    public List<Choice> choices() {
        return List.copyOf(choices);
    }

    /** The mapping of one step (not remembered): the script's, else the file's, else generated. */
    public Choice decide(ModelSpec from, ModelSpec to) {
        String model = to.name();
        List<MappingEdit> inScript = script.stream().filter(e -> e.model().equals(model)
                && e.from().equals(from.version()) && e.to().equals(to.version())).toList();
        String rel = MappingFiles.relative(model, from.version(), to.version());
        Path file = MappingFiles.path(projectDir, model, from.version(), to.version());
        if (!inScript.isEmpty()) {
            MappingEdit e = inScript.get(0);
            MappingEdit.Applied a = e.apply(from, to);
            List<Problem> problems = new ArrayList<>(a.problems());
            List<String> errors = new ArrayList<>(a.mapping().errors());
            for (MappingEdit again : inScript.subList(1, inScript.size())) {
                Problem p = new Problem(again.at(), "the mapping of " + model + " " + from.version() + " -> "
                        + to.version() + " is defined twice (first at " + e.origin() + "): keep one");
                problems.add(p);
                errors.add(p.toString());
            }
            Mapping m = a.mapping();
            m = new Mapping(m.model(), m.from(), m.to(), m.columns(), m.dropped(), m.notes(), errors);
            List<String> ignored = Files.exists(file) ? List.of(rel + " is ignored: the Mapping at " + e.origin()
                    + " wins; delete one of the two") : List.of();
            return new Choice(model, from.version(), to.version(), m, e.origin(), Kind.SCRIPT, e, problems,
                    ignored);
        }
        if (Files.exists(file)) {
            MappingEdit e = read(file, rel, model, from.version(), to.version());
            MappingEdit.Applied a = e.apply(from, to);
            return new Choice(model, from.version(), to.version(), a.mapping(), rel, Kind.FILE, e, a.problems(),
                    List.of());
        }
        return new Choice(model, from.version(), to.version(), Mapping.generate(from, to), GENERATED,
                Kind.GENERATED, null, List.of(), List.of());
    }

    private static MappingEdit read(Path file, String rel, String model, String from, String to) {
        try {
            return MappingFile.parse(rel, model, from, to, Files.readString(file));
        } catch (IOException | RuntimeException e) {
            At at = new At(rel, 0, 0);
            return new MappingEdit(model, from, to, rel, at, true, List.of(), List.of(), List.of(new Problem(at,
                    "cannot be read (" + e.getMessage() + "): fix it, or delete it to use the generated mapping")));
        }
    }

    /**
     * The scripts' mappings and the mapping files of {@code model} that map none of its steps (a version that does
     * not exist, two versions that are not consecutive): said, never an error, since a mapping may be written before
     * the version it leads to.
     *
     * @param steps the model's steps, as {@code from -> to}
     */
    public List<String> unused(String model, Collection<String> steps) {
        List<String> out = new ArrayList<>();
        for (MappingEdit e : script) {
            if (e.model().equals(model) && !steps.contains(e.from() + " -> " + e.to())) {
                out.add("the Mapping at " + e.origin() + " (" + e.from() + " -> " + e.to() + ") maps no step of "
                        + model + (steps.isEmpty() ? "" : " (its steps: " + String.join(", ", steps) + ")"));
            }
        }
        for (MappingFile.Step s : MappingFiles.present(projectDir)) {
            if (s.model().equals(model) && !steps.contains(s.from() + " -> " + s.to())) {
                out.add(MappingFiles.relative(s.model(), s.from(), s.to()) + " maps no step of " + model
                        + (steps.isEmpty() ? "" : " (its steps: " + String.join(", ", steps) + ")"));
            }
        }
        return out;
    }
}
