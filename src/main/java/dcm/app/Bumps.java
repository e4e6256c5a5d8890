package dcm.app;

import dcm.app.AppError.Code;
import dcm.config.ConfigEdit;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.versions.Compatibility;
import dcm.jshell.ModelWorkspace.LoadReport;
import dcm.migrate.VersionSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code bump}: freezes the current version and starts the next one. The models as they are become
 * {@code versions/<current>.json}; {@code moose.config.toml} gets the new {@code [project] version} and the frozen
 * version in {@code [supported_old_versions]} with the project's git commit; the project then runs at the new
 * version (its models renamed, the JShell session kept). Whole or not at all: a failure after the snapshot was
 * written removes it again. ClickHouse must answer: the snapshot holds the column types the server has.
 */
public final class Bumps {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Bumps.class);
    /**
     * What a bump did.
     *
     * @param from       the version frozen
     * @param to         the version now current
     * @param commit     the git commit recorded for {@code from}, or ""
     * @param commitNote why no commit was recorded, or what to know about it (uncommitted model changes); or null
     * @param snapshot   the snapshot written ({@code versions/<from>.json})
     * @param models     how many models it holds
     * @param verdicts   per model, the new version against the frozen one (FULL: it starts as a copy)
     * @param changes    what the frozen version changed since the version before it (empty without one)
     */
    public record Outcome(String from, String to, String commit, String commitNote, Path snapshot, int models,
                          List<Compatibility> verdicts, VersionReport changes) {
        public Outcome {
            verdicts = List.copyOf(verdicts);
        }
    }

    /** The commit a version is frozen at, or "" and why. */
    record Commit(String id, String note) {}

    private final Project project;
    private final Listener listener;

    public Bumps(Project project, Listener listener) {
        this.project = project;
        this.listener = listener;
    }

    /**
     * Bumps to {@code version} (null: the next minor version), asking first unless {@code yes}; refused unless the
     * models loaded completely and the version is after the current one and not already an old version.
     */
    public Outcome bump(String version, boolean yes, boolean interactive) {
        // the snapshot holds the column types as this server has them (DateTime64 only on 20.1+): the models take
        // the server's dialect once it answered
        project.clickhouse();
        LoadReport load = project.workspace().verified();
        String from = project.config().version();
        if (!load.complete()) {
            throw new AppError(Code.LOAD_INCOMPLETE, "bump refused: the models did not load completely, so the"
                    + " snapshot of " + from + " would not hold every model as it is; nothing was changed",
                    LoadProblems.evidence(load), LoadProblems.HINT);
        }
        String to = version == null ? Names.nextMinor(from) : version;
        check(from, to);
        ProjectVersions versions = new ProjectVersions(project);
        Map<String, List<ModelSpec>> frozen = new TreeMap<>(Names::compareVersions);
        frozen.putAll(versions.retired());
        frozen.putAll(versions.snapshots());
        Path dir = project.config().projectDir();
        Commit commit = commitOf(dir);
        if (!yes && !listener.confirm("bump " + from + " -> " + to + ": freeze the models as "
                + VersionSnapshots.DIR + "/" + from + ".json and make " + to + " the current version? [y/N]", "y")) {
            throw new AppError(Code.NOT_CONFIRMED, "not bumped: nothing was changed", List.of(), interactive ? null
                    : "in batch runs, confirm with --yes");
        }
        List<ModelSpec> models = load.models();
        VersionReport changes = VersionReport.between(from, models, frozen);
        Path snapshot = freeze(dir, from, models, commit.id(), to);
        LoadReport now;
        try {
            now = project.reloadConfig();
        } catch (RuntimeException e) {
            throw new AppError(Code.VERSIONS, "bumped to " + to + " on disk, but this shell could not read the new"
                    + " config: " + e.getMessage(), List.of(), "start the shell again: it runs at " + to);
        }
        if (!project.config().version().equals(to)) {
            throw new AppError(Code.VERSIONS, "bumped to " + to + " in moose.config.toml, but the project still runs"
                    + " at " + project.config().version(), List.of("MOOSE_PROJECT__VERSION overrides [project]"
                    + " version"), "unset MOOSE_PROJECT__VERSION (or set it to " + to + ") and start the shell again");
        }
        List<Compatibility> verdicts = new ArrayList<>();
        for (ModelSpec m : now.models()) {
            models.stream().filter(o -> o.name().equals(m.name())).findFirst()
                    .ifPresent(o -> verdicts.add(Compatibility.of(o, m)));
        }
        LOG.info("bumped {} -> {}: {} model(s) frozen in {}, commit {}", from, to, models.size(), snapshot,
                commit.id().isEmpty() ? "(none)" : commit.id());
        return new Outcome(from, to, commit.id(), commit.note(), snapshot, models.size(), verdicts, changes);
    }

    private void check(String from, String to) {
        if (!Names.isValidVersion(to)) {
            throw new AppError(Code.BUMP_REFUSED, "bump refused: '" + to + "' is not a version", List.of(),
                    "use numbers separated by dots, after " + from + ", e.g. `bump " + Names.nextMinor(from) + "`");
        }
        if (Names.compareVersions(to, from) <= 0) {
            throw new AppError(Code.BUMP_REFUSED, "bump refused: " + to + " is not after the current version " + from,
                    List.of(), "name a later version, e.g. `bump " + Names.nextMinor(from) + "`");
        }
        if (project.config().oldVersions().containsKey(to)) {
            throw new AppError(Code.BUMP_REFUSED, "bump refused: " + to + " is already listed in"
                    + " [supported_old_versions]", List.of("moose.config.toml: \"" + to + "\" = \""
                    + project.config().oldVersions().get(to) + "\""), "name another version, or fix"
                    + " [supported_old_versions] in moose.config.toml");
        }
    }

    /**
     * Writes the snapshot, then the config; when the config cannot be written, the snapshot is undone (removed, or
     * put back as it was) and the bump is refused: never half a bump.
     */
    private Path freeze(Path dir, String from, List<ModelSpec> models, String commit, String to) {
        VersionSnapshots snapshots = new VersionSnapshots(dir);
        Path file = snapshots.file(from);
        byte[] before = null;
        String text;
        try {
            before = Files.exists(file) ? Files.readAllBytes(file) : null;
            text = ConfigEdit.bump(ConfigFile.read(dir), from, commit, to);
        } catch (IOException | IllegalArgumentException e) {
            throw new AppError(Code.BUMP_REFUSED, "bump refused: cannot read moose.config.toml: " + e.getMessage()
                    + "; nothing was changed", List.of(), "give moose.config.toml a [project] version");
        }
        try {
            snapshots.save(from, models);
        } catch (UncheckedIOException e) {
            throw new AppError(Code.BUMP_REFUSED, "bump refused: " + e.getMessage() + "; nothing was changed",
                    List.of(), "make " + VersionSnapshots.DIR + "/ writable");
        }
        // the one moment a crash leaves a bump half done: the snapshot written, the config not yet
        dcm.infra.Failpoint.reached("bump-after-snapshot");
        try {
            ConfigFile.write(dir, text);
            return file;
        } catch (IOException | RuntimeException e) {
            String undone = undo(file, before);
            throw new AppError(Code.BUMP_REFUSED, "bump failed: cannot write moose.config.toml: " + e.getMessage()
                    + "; " + undone, List.of(), "make moose.config.toml writable, then bump again");
        }
    }

    private static String undo(Path file, byte[] before) {
        try {
            if (before == null) {
                Files.deleteIfExists(file);
                return "nothing was changed (" + file.getFileName() + " removed again)";
            }
            Files.write(file, before);
            return "nothing was changed (" + file.getFileName() + " put back as it was)";
        } catch (IOException e) {
            return "and " + file + " could not be undone (" + e.getMessage() + "): delete it by hand";
        }
    }

    /**
     * The project's git commit ({@code git rev-parse HEAD} in its folder): "" with the reason when the folder is no
     * git checkout, has no commit yet, or git is not installed; a note when the model files have uncommitted changes.
     */
    static Commit commitOf(Path dir) {
        String[] head = git(dir, "rev-parse", "--verify", "HEAD");
        if (head == null) {
            return new Commit("", "git is not installed: no commit recorded");
        }
        if (!head[0].equals("0") || !head[1].matches("[0-9a-f]{40,64}")) {
            String why = head[1].contains("not a git repository") ? "not a git checkout"
                    : "git gives no commit here (" + head[1].lines().findFirst().orElse("") + ")";
            return new Commit("", why + ": no commit recorded (the snapshot holds the models)");
        }
        String[] dirty = git(dir, "status", "--porcelain", "--", "models");
        if (dirty != null && dirty[0].equals("0") && !dirty[1].isBlank()) {
            return new Commit(head[1], "models/ has changes not committed: commit " + head[1].substring(0, 12)
                    + " does not hold the models as frozen (the snapshot does)");
        }
        return new Commit(head[1], null);
    }

    /** Runs git in {@code dir}: {exit code, output} (stderr included), or null when git cannot be run. */
    private static String[] git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new String[] {"timeout", "git did not answer in 30 s"};
            }
            return new String[] {Integer.toString(p.exitValue()), out};
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new String[] {"interrupted", "interrupted"};
        }
    }
}
