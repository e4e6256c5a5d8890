package dcm.app;

import dcm.app.AppError.Code;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.versions.Desired;
import dcm.core.versions.Mappings;
import dcm.core.versions.Versions;
import dcm.migrate.VersionSnapshots;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The project's versions: the current models (evaluated from the scripts) and the supported old versions
 * ({@code [supported_old_versions]}, each read from its snapshot {@code versions/<v>.json}), resolved into the
 * {@link Desired} state the planner takes the servers to.
 */
public final class ProjectVersions {
    private final Project project;
    private final Mappings mappings;

    /** The project's versions with the mappings it owns ({@link ProjectMappings}: scripts, files, else generated). */
    public ProjectVersions(Project project) {
        this(project, ProjectMappings.of(project));
    }

    /** The project's versions with these mappings. */
    public ProjectVersions(Project project, Mappings mappings) {
        this.project = project;
        this.mappings = mappings;
    }

    /** The supported old versions, oldest first. */
    public List<String> oldVersions() {
        return project.config().oldVersions().keySet().stream().sorted(Names::compareVersions).toList();
    }

    /**
     * The snapshot of each supported old version; a version listed without its snapshot (or listed at or after the
     * current version) is a {@link Code#VERSIONS} error naming the file and the fix.
     */
    public Map<String, List<ModelSpec>> snapshots() {
        VersionSnapshots files = new VersionSnapshots(project.config().projectDir());
        Map<String, List<ModelSpec>> out = new TreeMap<>(Names::compareVersions);
        List<String> problems = new ArrayList<>();
        String current = project.config().version();
        for (String v : oldVersions()) {
            if (Names.compareVersions(v, current) >= 0) {
                problems.add("[supported_old_versions] lists " + v + ", which is not before the project's version "
                        + current);
                continue;
            }
            if (!java.nio.file.Files.isRegularFile(files.file(v))) {
                problems.add("[supported_old_versions] lists " + v + " but its snapshot "
                        + project.config().projectDir().relativize(files.file(v)) + " is missing");
                continue;
            }
            try {
                out.put(v, files.load(v));
            } catch (UncheckedIOException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new AppError(Code.VERSIONS, "the project's old versions cannot be read", problems, "restore the"
                    + " snapshot from git (`git checkout -- versions/`), or remove the version from"
                    + " [supported_old_versions] in moose.config.toml (`retire <version>` does it)");
        }
        return out;
    }

    /**
     * The snapshots of versions before the current one that {@code [supported_old_versions]} no longer lists (retired
     * ones: {@code retire} keeps the file). They are not planned, but a later version unchanged since one of them
     * still shares its table and topic: they say which tables those are.
     */
    public Map<String, List<ModelSpec>> retired() {
        VersionSnapshots files = new VersionSnapshots(project.config().projectDir());
        Map<String, List<ModelSpec>> out = new TreeMap<>(Names::compareVersions);
        String current = project.config().version();
        for (String v : files.versions()) {
            if (!project.config().oldVersions().containsKey(v) && Names.compareVersions(v, current) < 0) {
                try {
                    out.put(v, files.load(v));
                } catch (UncheckedIOException e) {
                    throw new AppError(Code.VERSIONS, "the project's old versions cannot be read", List.of(
                            e.getMessage()), "restore the snapshot from git (`git checkout -- versions/`): a later"
                            + " version unchanged since " + v + " uses " + v + "'s tables, and only its snapshot"
                            + " says so");
                }
            }
        }
        return out;
    }

    /**
     * The desired state: current models, old versions, migration views (for a server whose views cascade or not).
     * Retired versions ({@link #retired()}) only anchor the tables later versions share: their own routes, syncs and
     * views are not wanted, and their tables are not touched.
     */
    public Desired desired(boolean cascade) {
        return desired(project.workspace().models(), cascade);
    }

    /** The desired state with the given current models (a saved plan's), for a server whose views cascade or not. */
    public Desired desired(List<ModelSpec> current, boolean cascade) {
        Map<String, List<ModelSpec>> snapshots = snapshots();
        Map<String, List<ModelSpec>> retired = retired();
        if (snapshots.isEmpty() && retired.isEmpty()) {
            return Desired.of(current);
        }
        Map<String, List<ModelSpec>> all = new TreeMap<>(Names::compareVersions);
        all.putAll(retired);
        all.putAll(snapshots);
        Desired d = Versions.desired(current, all, mappings, cascade);
        if (retired.isEmpty()) {
            return d;
        }
        List<ModelSpec> older = d.older().stream().filter(m -> !retired.containsKey(m.version())).toList();
        Set<String> tables = new HashSet<>();
        java.util.stream.Stream.concat(older.stream(), d.latest().stream()).filter(m -> m.table() != null)
                .forEach(m -> tables.add(m.table().name()));
        // a view from a table no version in force uses any more goes (the retired version's rows stay in it)
        return new Desired(d.latest(), older, d.views().stream().filter(v -> tables.contains(v.source())).toList(),
                d.steps(), d.problems());
    }

    /** The desired state for the project's ClickHouse. */
    public Desired desired() {
        return desired(project.config().oldVersions().isEmpty() || project.clickhouse().viewsCascade());
    }
}
