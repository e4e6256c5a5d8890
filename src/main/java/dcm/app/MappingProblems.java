package dcm.app;

import dcm.core.versions.Desired;
import dcm.core.versions.MappingEdit.At;
import dcm.jshell.Diagnostic;
import dcm.migrate.MappingCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Why the mappings between a project's versions cannot be used, each where it is (a mapping file's line and column,
 * a model script's line, or the model's definition for a generated mapping): the mappings that do not parse or do
 * not fit the schemas, and what ClickHouse says of the SQL of each one the desired state uses ({@link MappingCheck},
 * {@code LIMIT 0}). Nothing for a project without old versions.
 */
final class MappingProblems {
    private final Project project;

    MappingProblems(Project project) {
        this.project = project;
    }

    /**
     * Every problem of the desired state built with {@code mappings} (whose choices say where each mapping came
     * from); throws when ClickHouse does not answer (as the models' own SQL check does).
     */
    List<Diagnostic> all(ProjectMappings mappings, Desired desired) {
        if (project.config().oldVersions().isEmpty()) {
            return List.of();
        }
        List<Diagnostic> out = new ArrayList<>();
        List<String> reported = new ArrayList<>();
        for (ProjectMappings.Choice c : mappings.choices()) {
            if (c.mapping().usable()) {
                continue;
            }
            reported.add(c.step() + " (");
            if (!c.problems().isEmpty()) {
                c.problems().forEach(p -> out.add(at(p.at(), c.step() + ": " + p.message())));
            } else {
                c.mapping().errors().forEach(e -> out.add(c.edit() == null
                        ? project.workspace().problemIn(c.model(), null, c.step() + " (generated): " + e)
                        : at(c.where(null), c.step() + ": " + e)));
            }
        }
        for (String p : desired.problems()) {
            if (reported.stream().noneMatch(p::startsWith)) {
                out.add(project.workspace().problemIn(p.substring(0, Math.max(0, p.indexOf(' '))), null, p));
            }
        }
        for (MappingCheck.Problem p : new MappingCheck(project.clickhouse()).check(desired)) {
            ProjectMappings.Choice c = p.view().origin().equals("composed") ? null : mappings.choices().stream()
                    .filter(x -> x.model().equals(p.view().model()) && x.to().equals(p.view().to())).findFirst()
                    .orElse(null);
            At where = c == null ? null : c.where(p.column());
            out.add(where == null ? project.workspace().problemIn(p.view().model(), p.column(), p.describe())
                    : at(where, p.describe()));
        }
        return out;
    }

    /** A diagnostic at a place in a project file, with its source line. */
    private Diagnostic at(At at, String message) {
        String source = "";
        if (at.line() > 0) {
            try {
                List<String> lines = Files.readAllLines(project.config().projectDir().resolve(at.file()));
                source = at.line() <= lines.size() ? lines.get(at.line() - 1) : "";
            } catch (IOException | RuntimeException e) {
                source = "";
            }
        }
        return new Diagnostic(at.file(), at.line(), at.column(), source, message);
    }
}
