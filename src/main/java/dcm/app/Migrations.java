package dcm.app;

import dcm.app.AppError.Code;
import dcm.app.Outcomes.ApplyOutcome;
import dcm.app.Outcomes.PlanOutcome;
import dcm.clickhouse.ClickHouse;
import dcm.core.ModelSpec;
import dcm.core.live.LiveState;
import dcm.core.plan.Operation;
import dcm.core.plan.Plan;
import dcm.core.plan.PlanOptions;
import dcm.core.plan.Planner;
import dcm.core.plan.SqlGen;
import dcm.core.versions.Desired;
import dcm.jshell.Diagnostic;
import dcm.jshell.ModelWorkspace.LoadReport;
import dcm.migrate.Applier;
import dcm.migrate.ApplyException;
import dcm.migrate.Drift;
import dcm.migrate.FragmentCheck;
import dcm.migrate.Journal;
import dcm.migrate.LiveReader;
import dcm.migrate.PlanJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The migration use cases under the shell: plan, apply (the models or a saved plan file) and one dev round. Each
 * reads the live state, plans with the pure planner, and returns facts (outcome records) or fails with an
 * {@link AppError} carrying a stable code; a {@link Listener} gets progress, the plan to review and the questions.
 */
public final class Migrations {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Migrations.class);
    /** Where {@code plan --save} writes when no file is named. */
    public static final String DEFAULT_FILE = "migrations/plan.json";
    private final Project project;
    private final Listener listener;

    public Migrations(Project project, Listener listener) {
        this.project = project;
        this.listener = listener;
    }

    /** The planner's options: the config's, what the load left unsure, and whether drops are planned. */
    public PlanOptions options(boolean drops) {
        LoadReport load = project.workspace().state();
        return new PlanOptions(project.config().ignoreLowCardinality(), project.config().broker()
                .replicationFactor(), load.complete(), load.unsure(), drops, project.config().clickhouse().cluster());
    }

    /**
     * Plans; with {@code sql} keeps the SQL generator (a rebuild's old table named after the journal run an apply
     * would use); with {@code saveTo} (a path, or "" for the default) saves it, unless the plan is not applicable.
     */
    public PlanOutcome plan(boolean sql, String saveTo) {
        if (saveTo != null) {
            project.workspace().verified(); // a saved plan is applied later: from JShell's evaluation only
        }
        ClickHouse ch = project.clickhouse();
        LiveState live = LiveReader.read(ch, project.broker());
        LoadReport load = project.workspace().state();
        Versioned versioned = versioned();
        Plan plan = Planner.plan(versioned.desired(), live, options(true));
        String planId = PlanJson.planId(plan.operations());
        SqlGen gen = sql ? new SqlGen(ch.database(), ch.dialect(), new Journal(ch).runFor(planId), ch.cluster()) : null;
        List<Diagnostic> refused = new ArrayList<>();
        if (load.complete()) {
            refused.addAll(sqlProblems());
            refused.addAll(versioned.problems());
        }
        int interrupted = new Journal(ch).interruptedOperations().size();
        Path saved = saveTo != null && load.complete() && refused.isEmpty() ? save(saveTo, plan, ch.database(), live)
                : null;
        return new PlanOutcome(plan, load, refused, interrupted, gen, saved, planId);
    }

    /**
     * What ClickHouse says of the models' hand-written SQL (types, defaults, PARTITION BY, engine), each at its
     * model file's line; unsure models (not planned) are not asked about.
     */
    public List<Diagnostic> sqlProblems() {
        LoadReport load = project.workspace().state();
        List<ModelSpec> planned = project.workspace().models().stream()
                .filter(m -> !load.unsure().contains(m.name())).toList();
        List<Diagnostic> out = new ArrayList<>();
        for (FragmentCheck.Problem p : new FragmentCheck(project.clickhouse()).check(planned)) {
            String what = p.kind().name().toLowerCase(Locale.ROOT) + " " + p.fragment() + ": " + p.message()
                    + (p.code() == 0 ? "" : " (ClickHouse code " + p.code() + ")") + (p.hint() == null ? ""
                    : "; " + p.hint());
            out.add(project.workspace().problemIn(p.model(), p.field(), "model " + p.model() + (p.field() == null
                    ? "" : ", field " + p.field()) + ": " + what));
        }
        return out;
    }

    /**
     * Why the mappings between the project's versions cannot be used, each at its line (a mapping file, a model
     * script), including what ClickHouse says when each runs with {@code LIMIT 0}; empty for a project without old
     * versions.
     */
    public List<Diagnostic> mappingProblems() {
        return versioned().problems();
    }

    /**
     * The desired state and the mappings it was built with (their choices locate each mapping's problems): made
     * once per plan or apply, as the mapping files and snapshots are read to make it.
     */
    private record Versioned(Project project, ProjectMappings mappings, Desired desired) {
        List<Diagnostic> problems() {
            return new MappingProblems(project).all(mappings, desired);
        }
    }

    private Versioned versioned() {
        ProjectMappings mappings = ProjectMappings.of(project);
        return new Versioned(project, mappings, new ProjectVersions(project, mappings).desired());
    }

    /**
     * Refuses while the models did not load completely: a plan could drop what a failed file defines. The models are
     * those of JShell's own evaluation (a load from the cache or a compiled one is evaluated first).
     */
    public void requireComplete(String what) {
        LoadReport load = project.workspace().verified();
        if (!load.complete()) {
            throw new AppError(Code.LOAD_INCOMPLETE, what + " refused: the models did not load completely, so a plan"
                    + " could drop what a failed file defines; nothing was applied", LoadProblems.evidence(load),
                    LoadProblems.HINT);
        }
    }

    /**
     * Applies the models' plan ({@code file} null) or a saved plan file, after review and consent: {@code yes}
     * confirms, {@code allowDestructive} consents to drops (else a typed yes does). Resumable: every step is
     * journaled, and a stop request ends the apply between two steps.
     */
    public ApplyOutcome apply(String file, boolean yes, boolean allowDestructive, boolean interactive) {
        requireComplete("apply");
        ClickHouse ch = project.clickhouse();
        Versioned versioned = file == null ? versioned() : null;
        if (file == null) {
            List<Diagnostic> refused = sqlProblems();
            if (!refused.isEmpty()) {
                throw new AppError(Code.MODEL_SQL_REFUSED, "apply refused: ClickHouse refuses " + refused.size()
                        + " piece(s) of SQL in the models; nothing was applied", refused.stream().map(d ->
                        d.location() + ": " + d.message()).toList(), "fix the model files (`plan` shows each"
                        + " problem at its line)");
            }
            List<Diagnostic> mappings = versioned.problems();
            if (!mappings.isEmpty()) {
                throw new AppError(Code.VERSIONS, "apply refused: " + mappings.size() + " problem(s) in the mappings"
                        + " between versions; nothing was applied", mappings.stream().map(d -> d.location() + ": "
                        + d.message()).toList(), "fix them (`plan` shows each at its line, `mapping <Model>` the"
                        + " mappings in force)");
            }
        }
        new Applier(ch, project.broker()).recover(listener::progress);
        LiveState live = LiveReader.read(ch, project.broker());
        if (file != null) {
            Path path = project.config().projectDir().resolve(file);
            // a saved plan file was reviewed: batch runs apply it without --yes
            return applySaved(ch, live, load(path), path.getFileName().toString(), yes || !interactive,
                    allowDestructive, interactive);
        }
        // the same desired state whose mappings were checked above (the recovery changes the servers, not it)
        Plan plan = Planner.plan(versioned.desired(), live, options(true));
        if (plan.isEmpty()) {
            if (!plan.findings().isEmpty() || !plan.blocked().isEmpty()) {
                // foreign or protected objects, conflicts: reported, never a failure (nothing failed)
                listener.review(plan);
            }
            return new ApplyOutcome(PlanJson.planId(List.of()), 0, 0, plan, plan.findings().isEmpty()
                    && plan.blocked().isEmpty() ? "already at target: nothing to apply"
                    : "nothing to apply: no operation reaches what is left above");
        }
        String planId = PlanJson.planId(plan.operations());
        return review(planId, plan, yes, allowDestructive, interactive);
    }

    /**
     * Applies a saved plan that came from elsewhere ({@code apply --url} sends it to {@code serve}) exactly as
     * {@code apply <file>} does: after recovering, refused when the live state drifted from the plan's snapshot;
     * applied as reviewed (drops only with {@code allowDestructive}).
     */
    public ApplyOutcome applySaved(PlanJson.SavedPlan saved, String name, boolean allowDestructive) {
        requireComplete("apply");
        ClickHouse ch = project.clickhouse();
        new Applier(ch, project.broker()).recover(listener::progress);
        return applySaved(ch, LiveReader.read(ch, project.broker()), saved, name, true, allowDestructive, false);
    }

    private ApplyOutcome applySaved(ClickHouse ch, LiveState live, PlanJson.SavedPlan saved, String name,
                                    boolean yes, boolean allowDestructive, boolean interactive) {
        if (Planner.plan(new ProjectVersions(project).desired(saved.models(), ch.viewsCascade()), live,
                options(true)).isEmpty()) {
            return new ApplyOutcome(saved.planId(), 0, 0, new Plan(List.of(), List.of(), List.of()),
                    "already at target: nothing to apply");
        }
        checkDrift(ch, saved, live, name);
        return review(saved.planId(), new Plan(saved.operations(), saved.findings(), saved.blocked()), yes,
                allowDestructive, interactive);
    }

    /**
     * Plans the models against a live state read elsewhere ({@code plan --url}: a {@code serve}'s), with that
     * server's ClickHouse version and view behaviour; saves it ({@code saveTo} a path, or "" for the default) for
     * {@code apply --url}. The checks that run SQL in ClickHouse (the models' SQL, the mappings) are not made here.
     */
    public PlanOutcome planAgainst(dcm.remote.LiveView remote, String saveTo) {
        if (saveTo != null) {
            project.workspace().verified(); // a saved plan is applied later: from JShell's evaluation only
        }
        // the models' types follow the server's ClickHouse for this plan, then this shell's again
        dcm.core.Dialect here = project.workspace().dialect();
        project.workspace().useDialect(new dcm.core.Dialect(remote.dialect()))
                .forEach(d -> listener.progress("warning: " + d.render()));
        try {
            LoadReport load = project.workspace().state();
            ProjectMappings mappings = ProjectMappings.of(project);
            Desired desired = new ProjectVersions(project, mappings).desired(project.config().oldVersions().isEmpty()
                    || remote.viewsCascade());
            Plan plan = Planner.plan(desired, remote.live(), options(true));
            Path saved = load.complete() && saveTo != null ? save(saveTo, plan, remote.database(), remote.live())
                    : null;
            return new PlanOutcome(plan, load, List.of(), remote.interrupted(), null, saved,
                    PlanJson.planId(plan.operations()));
        } finally {
            project.workspace().useDialect(here);
        }
    }

    private Path save(String saveTo, Plan plan, String database, LiveState live) {
        Path saved = project.config().projectDir().resolve(saveTo.isEmpty() ? DEFAULT_FILE : saveTo);
        try {
            PlanJson.save(saved, plan, database, live, project.workspace().models());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + saved + ": " + e.getMessage(), e);
        }
        return saved;
    }

    private ApplyOutcome review(String planId, Plan plan, boolean yes, boolean allowDestructive,
                                boolean interactive) {
        listener.review(plan);
        consent(plan, yes, allowDestructive, interactive);
        long t0 = System.nanoTime();
        run(planId, plan.operations());
        return new ApplyOutcome(planId, plan.operations().size(), (System.nanoTime() - t0) / 1_000_000, plan, null);
    }

    /** Runs operations through the journaled applier; a failed or stopped step is an APPLY_FAILED error. */
    void run(String planId, List<Operation> ops) {
        LOG.info("apply plan {}: {} operation(s)", planId, ops.size());
        ops.forEach(o -> LOG.info("  {} {}: {}", o.symbol(), o.target(), o.describe()));
        long t0 = System.nanoTime();
        try {
            new Applier(project.clickhouse(), project.broker()).apply(planId, ops, listener::progress,
                    listener::stopRequested);
        } catch (ApplyException e) {
            LOG.warn("apply plan {} stopped: {}", planId, e.getMessage());
            throw new AppError(Code.APPLY_FAILED, e.getMessage(), e.evidence(), e.hint());
        }
        LOG.info("applied plan {}: {} operation(s) in {} ms", planId, ops.size(), (System.nanoTime() - t0)
                / 1_000_000);
    }

    private static PlanJson.SavedPlan load(Path path) {
        try {
            return PlanJson.load(path);
        } catch (ApplyException e) {
            throw new AppError(Code.PLAN_FILE, e.getMessage(), e.evidence(), e.hint());
        }
    }

    /** Asks for what the plan needs: a typed yes for drops (unless allowed), else a y unless {@code yes}. */
    void consent(Plan plan, boolean yes, boolean allowDestructive, boolean interactive) {
        List<String> drops = plan.operations().stream().filter(Operation::destructive)
                .map(o -> o.symbol() + " " + o.target() + ": " + o.describe()).toList();
        if (!drops.isEmpty() && !allowDestructive) {
            if (!listener.confirm("this drops data (" + drops.size() + " operation(s)); type 'yes' to go on:",
                    "yes")) {
                throw new AppError(Code.DESTRUCTIVE_NOT_CONFIRMED, "the plan drops data; nothing was applied", drops,
                        "review it, then apply with --allow-destructive (or answer yes interactively)");
            }
            return;
        }
        if (!yes && !listener.confirm("apply " + plan.operations().size() + " operation(s)? [y/N]", "y")) {
            throw new AppError(Code.NOT_CONFIRMED, "not applied", List.of(), interactive ? null
                    : "in batch runs, confirm with --yes");
        }
    }

    private void checkDrift(ClickHouse ch, PlanJson.SavedPlan saved, LiveState live, String name) {
        // the database is the project's own, the broker may be shared: only this project's topics can drift
        Set<String> ours = new java.util.HashSet<>(saved.live().lifecycles().keySet());
        ours.addAll(live.lifecycles().keySet());
        saved.models().stream().filter(m -> m.topic() != null).forEach(m -> ours.add(m.topic().name()));
        saved.operations().stream().filter(Operation::onTopic).forEach(o -> ours.add(o.target()));
        List<Drift.Item> drift = Drift.between(saved.live(), live).stream()
                .filter(d -> !d.kind().equals("topic") || ours.contains(d.name())).toList();
        Journal journal = new Journal(ch);
        journal.ensure();
        if (journal.inProgress(saved.planId())) {
            // the plan's own finished steps changed its targets: only objects it does not touch must match (a
            // rebuild's work tables, T__dcm_new / T__dcm_old..., count as its target)
            Set<String> touched = saved.operations().stream().map(Operation::target).collect(Collectors.toSet());
            drift = drift.stream().filter(d -> touched.stream().noneMatch(t -> d.name().equals(t)
                    || d.name().startsWith(t + "__dcm_"))).toList();
        }
        if (!drift.isEmpty()) {
            throw new AppError(Code.DRIFT, "the database or broker changed since " + name + " was made;"
                    + " nothing was applied", drift.stream().map(Drift.Item::describe).toList(), "make a new plan"
                    + " with `plan --save` and review it, or revert the change");
        }
    }
}
