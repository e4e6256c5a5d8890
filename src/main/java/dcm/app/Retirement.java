package dcm.app;

import dcm.app.AppError.Code;
import dcm.app.Outcomes.PlanOutcome;
import dcm.config.ConfigEdit;
import dcm.config.ProjectConfig;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.plan.Operation;
import dcm.core.versions.Desired;
import dcm.jshell.ModelWorkspace;
import dcm.migrate.LiveReader;
import dcm.migrate.PlanJson;
import dcm.migrate.VersionSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code retire}: an old version stops being supported. It leaves {@code [supported_old_versions]}, so its routes,
 * syncs and migration views go (the next {@code apply} drops the views); its tables and topics stay, unless
 * {@code dropData} drops its tables that no later version shares. Refused while its own topics received records
 * within the quiet time (producers still use it), unless forced. Its snapshot {@code versions/<v>.json} is kept: it
 * is the version's history, and it still says which tables later versions unchanged since it share.
 */
public final class Retirement {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Retirement.class);
    /**
     * A topic of the version and what was found of its use.
     *
     * @param topic      the topic
     * @param lastRecord the newest record's time (epoch ms), or null (none, or not read)
     * @param note       why it was not checked (shared with a later version, --force), or null
     */
    public record Activity(String topic, Long lastRecord, String note) {}

    /**
     * What a retire did.
     *
     * @param version  the version retired
     * @param routes   its ingest routes, now gone
     * @param topics   its topics and their last records
     * @param tables   each of its tables and what became of it ({@code dropped}, {@code kept}, {@code shared with
     *                 1.1}, {@code kept: DELETION_PROTECTED}, ...)
     * @param snapshot its snapshot, kept
     * @param plan     the plan that finishes it (its views dropped), or null when it could not be made
     * @param planProblem why there is no plan, or null
     */
    public record Outcome(String version, List<String> routes, List<Activity> topics, Map<String, String> tables,
                          Path snapshot, PlanOutcome plan, String planProblem) {
        public Outcome {
            routes = List.copyOf(routes);
            topics = List.copyOf(topics);
            tables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tables));
        }
    }

    private final Project project;
    private final Listener listener;

    public Retirement(Project project, Listener listener) {
        this.project = project;
        this.listener = listener;
    }

    /**
     * Retires {@code version}: refused unless it is a supported old version, and (without {@code force}) while one
     * of its own topics received a record within {@code quietFor}; asks first unless {@code yes}.
     */
    public Outcome retire(String version, boolean force, Duration quietFor, boolean dropData, boolean yes,
                          boolean interactive) {
        // the models take the server's types (the snapshots hold them): only then do shared tables show as such
        project.clickhouse();
        ProjectConfig config = project.config();
        if (!config.oldVersions().containsKey(version)) {
            List<String> listed = new ProjectVersions(project).oldVersions();
            throw new AppError(Code.RETIRE_REFUSED, "retire refused: " + version + " is not a supported old version",
                    List.of("[supported_old_versions]: " + (listed.isEmpty() ? "none" : String.join(", ", listed))),
                    "`ls` shows the versions in force; the current version " + config.version() + " cannot be"
                    + " retired");
        }
        Path snapshot = new VersionSnapshots(config.projectDir()).file(version);
        boolean known = Files.isRegularFile(snapshot);
        if (!known && (!force || dropData)) {
            throw new AppError(Code.RETIRE_REFUSED, "retire refused: the snapshot of " + version + " ("
                    + config.projectDir().relativize(snapshot) + ") is missing, so its topics and tables are not"
                    + " known", List.of(), dropData ? "restore it from git to drop its tables" : "restore it from git"
                    + " (`git checkout -- versions/`), or retire with --force to remove the version unchecked");
        }
        ModelWorkspace.LoadReport load = project.workspace().state();
        if (dropData && !load.complete()) {
            throw new AppError(Code.LOAD_INCOMPLETE, "retire --drop-data refused: the models did not load"
                    + " completely, so a table a failed file's model shares could be taken for unused; nothing was"
                    + " changed", LoadProblems.evidence(load), LoadProblems.HINT);
        }
        Desired before = known ? new ProjectVersions(project).desired(true) : null;
        List<ModelSpec> retired = before == null ? List.of() : before.older().stream()
                .filter(m -> m.version().equals(version)).toList();
        Desired after = new ProjectVersions(without(version)).desired(true);
        Set<String> usedTables = new LinkedHashSet<>();
        Map<String, String> users = new HashMap<>();
        for (ModelSpec m : after.all()) {
            if (m.table() != null) {
                usedTables.add(m.table().name());
                users.putIfAbsent(m.table().name(), m.version());
            }
            if (m.topic() != null) {
                users.putIfAbsent(m.topic().name(), m.version());
            }
        }
        List<Activity> topics = activity(retired, users, force, quietFor);
        Map<String, String> tables = fates(retired, usedTables, users, dropData);
        List<String> drops = tables.entrySet().stream().filter(e -> e.getValue().equals("dropped"))
                .map(Map.Entry::getKey).toList();
        consent(version, drops, yes, interactive);
        if (!drops.isEmpty()) {
            noApplyRunning();
        }
        write(version);
        reload(version);
        if (!drops.isEmpty()) {
            drop(drops, retired, version);
        }
        List<String> routes = retired.stream().filter(m -> m.topic() != null)
                .map(m -> Names.ingestRoute(m.name(), m.version())).toList();
        PlanOutcome plan = null;
        String planProblem = null;
        try {
            plan = new Migrations(project, listener).plan(false, null);
        } catch (RuntimeException e) {
            planProblem = e.getMessage();
        }
        LOG.info("retired {}: routes gone {}, tables {}", version, routes, tables);
        return new Outcome(version, routes, topics, tables, snapshot, plan, planProblem);
    }

    /** The version's own topics' last records (refused while one is recent); shared topics are not checked. */
    private List<Activity> activity(List<ModelSpec> retired, Map<String, String> users, boolean force,
                                    Duration quietFor) {
        List<Activity> out = new ArrayList<>();
        List<String> recent = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (String topic : retired.stream().filter(m -> m.topic() != null).map(m -> m.topic().name()).distinct()
                .toList()) {
            if (users.containsKey(topic)) {
                out.add(new Activity(topic, null, "shared with " + users.get(topic) + ": stays, not checked (its"
                        + " records do not say which route sent them)"));
            } else if (force) {
                out.add(new Activity(topic, null, "not checked (--force)"));
            } else {
                Long last = project.broker().lastRecordMillis(topic).stream().boxed().findFirst().orElse(null);
                out.add(new Activity(topic, last, null));
                if (last != null && now - last < quietFor.toMillis()) {
                    recent.add("topic " + topic + ": last record at " + Instant.ofEpochMilli(last) + ", "
                            + ago(now - last) + " ago (quiet time " + ago(quietFor.toMillis()) + ")");
                }
            }
        }
        if (!recent.isEmpty()) {
            throw new AppError(Code.VERSION_IN_USE, "retire refused: the version's topics received records lately,"
                    + " so producers still use it; nothing was changed", recent, "move those producers to the"
                    + " latest version's route, then retire again once the topics are quiet (--quiet-for sets how"
                    + " long), or retire with --force");
        }
        return out;
    }

    /** What becomes of each of the version's tables: dropped only with dropData, unshared, and dcm's to drop. */
    private Map<String, String> fates(List<ModelSpec> retired, Set<String> used, Map<String, String> users,
                                      boolean dropData) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Map<String, LifeCycle> recorded = null;
        for (String t : retired.stream().filter(m -> m.table() != null).map(m -> m.table().name()).distinct()
                .toList()) {
            if (used.contains(t)) {
                out.put(t, "shared with " + users.get(t));
            } else if (!dropData) {
                out.put(t, "kept");
            } else {
                if (recorded == null) {
                    recorded = LiveReader.read(project.clickhouse(), null).lifecycles();
                }
                LifeCycle lc = recorded.get(t);
                out.put(t, lc == LifeCycle.FULLY_MANAGED ? "dropped" : lc == null ? "kept: not created by dcm"
                        : "kept: " + lc);
            }
        }
        return out;
    }

    private void consent(String version, List<String> drops, boolean yes, boolean interactive) {
        if (!yes && !listener.confirm("retire " + version + ": remove it from [supported_old_versions] (its routes,"
                + " syncs and migration views go" + (drops.isEmpty() ? "; its tables stay" : "") + ")? [y/N]", "y")) {
            throw new AppError(Code.NOT_CONFIRMED, "not retired: nothing was changed", List.of(), interactive ? null
                    : "in batch runs, confirm with --yes");
        }
        if (!drops.isEmpty() && !yes && !listener.confirm("this drops " + drops.size() + " table(s) with every row: "
                + String.join(", ", drops) + "; type 'yes' to go on:", "yes")) {
            throw new AppError(Code.DESTRUCTIVE_NOT_CONFIRMED, "not retired: the tables were not confirmed to be"
                    + " dropped; nothing was changed", drops, "retire without --drop-data to keep them");
        }
    }

    private void write(String version) {
        Path dir = project.config().projectDir();
        try {
            ConfigFile.write(dir, ConfigEdit.retire(ConfigFile.read(dir), version));
        } catch (IOException | IllegalArgumentException e) {
            throw new AppError(Code.RETIRE_REFUSED, "retire failed: cannot edit moose.config.toml: " + e.getMessage()
                    + "; nothing was changed", List.of(), "make moose.config.toml writable, then retire again");
        }
    }

    private void reload(String version) {
        try {
            project.reloadConfig();
        } catch (RuntimeException e) {
            throw new AppError(Code.VERSIONS, "retired " + version + " in moose.config.toml, but this shell could"
                    + " not read the new config: " + e.getMessage(), List.of(), "start the shell again");
        }
    }

    /**
     * Drops the tables, the migration views reading them first (named {@code M_migrate__<table's version>__...}, one
     * per later version on servers whose views do not cascade), journaled like an apply's drops.
     */
    private void drop(List<String> tables, List<ModelSpec> retired, String version) {
        List<String> prefixes = retired.stream().filter(m -> m.table() != null && tables.contains(m.table().name()))
                .map(m -> m.name() + "_migrate__" + m.table().name().substring(m.name().length() + 1) + "__")
                .distinct().toList();
        List<Operation> ops = new ArrayList<>();
        project.clickhouse().tableNames().stream().filter(n -> prefixes.stream().anyMatch(n::startsWith)).sorted()
                .forEach(v -> ops.add(new Operation.DropView(v)));
        tables.forEach(t -> ops.add(new Operation.DropTable(t)));
        try {
            new Migrations(project, listener).run(PlanJson.planId(ops), ops);
        } catch (AppError e) {
            throw new AppError(Code.APPLY_FAILED, "retired " + version + " in moose.config.toml, but dropping its"
                    + " tables failed: " + e.getMessage(), e.evidence(), "drop what is left by hand: "
                    + String.join("; ", ops.stream().map(o -> "sql DROP TABLE IF EXISTS " + o.target()).toList()));
        }
    }

    /** Refuses before anything changes while an apply runs (its lock is taken and given back at once). */
    private void noApplyRunning() {
        dcm.migrate.Journal journal = new dcm.migrate.Journal(project.clickhouse());
        journal.ensure();
        String owner = dcm.migrate.Journal.owner();
        try {
            journal.lock(owner, 60_000);
        } catch (dcm.migrate.ApplyException e) {
            throw new AppError(Code.RETIRE_REFUSED, "retire --drop-data refused: " + e.getMessage() + "; nothing was"
                    + " changed", e.evidence(), e.hint());
        }
        journal.unlock(owner);
    }

    /** The project as it is once {@code version} is no longer listed (its snapshot an anchor only). */
    private Project without(String version) {
        ProjectConfig c = project.config();
        Map<String, String> old = new HashMap<>(c.oldVersions());
        old.remove(version);
        ProjectConfig next = new ProjectConfig(c.projectDir(), c.version(), c.clickhouse(), c.broker(), c.httpHost(),
                c.httpPort(), old, c.adminApiKey(), c.httpTls(), c.ignoreLowCardinality(), c.syncBatchRows(), c.syncBatchDelayMs(),
                c.syncMemoryMb(), c.sqlTimeoutSeconds(), c.warnings());
        Project p = project;
        return new Project() {
            public ProjectConfig config() {
                return next;
            }

            public ModelWorkspace workspace() {
                return p.workspace();
            }

            public dcm.clickhouse.ClickHouse clickhouse() {
                return p.clickhouse();
            }

            public dcm.kafka.Broker broker() {
                return p.broker();
            }
        };
    }

    private static String ago(long millis) {
        long s = millis / 1000;
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }
}
