package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.LifeCycle;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.core.live.LiveState;
import dcm.core.plan.Operation;
import dcm.core.plan.Operation.AddColumn;
import dcm.core.plan.Operation.AddPartitions;
import dcm.core.plan.Operation.CreateTable;
import dcm.core.plan.Operation.CreateTopic;
import dcm.core.plan.Operation.CreateView;
import dcm.core.plan.Operation.DeleteTopic;
import dcm.core.plan.Operation.DropColumn;
import dcm.core.plan.Operation.DropTable;
import dcm.core.plan.Operation.DropView;
import dcm.core.plan.Operation.ModifyColumn;
import dcm.core.plan.Operation.RebuildTable;
import dcm.core.plan.Operation.RenameColumn;
import dcm.core.plan.Operation.SetRetention;
import dcm.core.plan.SqlGen;
import dcm.kafka.Broker;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a plan's operations in order with {@code [i/N]} progress. Each finished step is journaled in ClickHouse;
 * each step first checks whether the live state already has its effect, so an apply that crashed between doing a
 * step and journaling it does not do it twice. One apply at a time, under a lock with expiry.
 */
public final class Applier {
    private final ClickHouse ch;
    private final Broker broker;
    private final SqlGen sql;
    private final Journal journal;
    private final Backfiller.SyncPauses pauses;
    private Consumer<String> progress = line -> { };

    public Applier(ClickHouse ch, Broker broker) {
        this.ch = ch;
        this.broker = broker;
        this.sql = new SqlGen(ch.database(), ch.dialect(), null, ch.cluster());
        this.journal = new Journal(ch);
        this.pauses = SyncPauses.of(ch);
    }

    /** Applies the operations; {@code plan} identifies the plan (its run in the journal is found or started). */
    public void apply(String plan, List<Operation> ops, Consumer<String> progress) {
        apply(plan, ops, progress, () -> false);
    }

    /**
     * Applies the operations, stopping between two of them once {@code stop} says so (Ctrl-C): every step is whole,
     * and the next apply continues at the first step not done.
     */
    public void apply(String plan, List<Operation> ops, Consumer<String> progress,
                      java.util.function.BooleanSupplier stop) {
        // every step is found before any runs: a plan with an operation this apply cannot do changes nothing
        List<Step> steps = ops.stream().map(Applier::step).toList();
        this.progress = progress;
        journal.ensure();
        try (ApplyLock lock = new ApplyLock(journal)) {
            new Recovery(this, ch, sql, journal, pauses).resumeStalePauses(progress);
            String planId = journal.run(plan);
            Set<String> done = journal.progress(planId);
            for (int i = 0; i < ops.size(); i++) {
                Operation op = ops.get(i);
                String head = "[" + (i + 1) + "/" + ops.size() + "] " + op.symbol() + " " + op.target() + ": "
                        + op.describe();
                if (done.contains(Integer.toString(i))) {
                    progress.accept(head + " (already applied)");
                    continue;
                }
                if (stop.getAsBoolean()) {
                    throw new ApplyException("stopped before operation " + (i + 1) + "/" + ops.size() + " (Ctrl-C);"
                            + " the " + i + " operation(s) before it are applied, none is half done", List.of(),
                            "run `apply` again: it continues at operation " + (i + 1));
                }
                progress.accept(head);
                try {
                    steps.get(i).run(this, new StepState(planId, i, done, LiveReader.read(ch, null)));
                } catch (ApplyException e) {
                    throw new ApplyException("migration failed at operation " + (i + 1) + "/" + ops.size() + ": "
                            + e.getMessage(), e.evidence(), e.hint());
                } catch (RuntimeException e) {
                    throw new ApplyException("migration failed at operation " + (i + 1) + "/" + ops.size() + ": "
                            + e.getMessage(), List.of(op.describe()), "fix the cause and run apply again: it"
                            + " continues at operation " + (i + 1));
                }
                // test hook: a crash after the step ran, before it is journaled
                dcm.infra.Failpoint.reached("after-step:" + (i + 1));
                journal.done(planId, i, "", op.describe());
            }
            journal.complete(planId, ops.size());
        }
    }

    /**
     * What apply does for an operation. The dispatch over the sealed {@link Operation} ends in a throw: an operation
     * added later and not handled here fails before any step of its plan runs, instead of being journaled as done
     * while nothing happened. Needs no server, so a unit test checks that every operation has a step.
     */
    static Step step(Operation op) {
        if (op instanceof CreateTable c) {
            return (a, s) -> a.createTable(c, s);
        } else if (op instanceof DropTable d) {
            return (a, s) -> a.dropTable(d);
        } else if (op instanceof AddColumn c) {
            return (a, s) -> a.addColumn(c, s);
        } else if (op instanceof DropColumn d) {
            return (a, s) -> a.dropColumn(d, s);
        } else if (op instanceof ModifyColumn m) {
            return (a, s) -> a.modifyColumn(m);
        } else if (op instanceof RenameColumn r) {
            return (a, s) -> a.rename(r, s.live());
        } else if (op instanceof RebuildTable r) {
            return (a, s) -> a.rebuild(r, s);
        } else if (op instanceof CreateView v) {
            return (a, s) -> a.createView(v, s);
        } else if (op instanceof DropView v) {
            return (a, s) -> a.dropView(v);
        } else if (op instanceof Operation.CreateMigrationView v) {
            return (a, s) -> a.createMigrationView(v.view(), s);
        } else if (op instanceof Operation.ReplaceMigrationView v) {
            return (a, s) -> a.replaceMigrationView(v, s);
        } else if (op instanceof Operation.Backfill b) {
            return (a, s) -> a.backfill(b, s);
        } else if (op instanceof CreateTopic c) {
            return (a, s) -> a.createTopic(c, s);
        } else if (op instanceof DeleteTopic d) {
            return (a, s) -> a.deleteTopic(d);
        } else if (op instanceof AddPartitions p) {
            return (a, s) -> a.addPartitions(p);
        } else if (op instanceof SetRetention r) {
            return (a, s) -> a.setRetention(r);
        } else {
            throw new IllegalStateException("unhandled operation: " + op);
        }
    }

    /** One operation's work, run by an applier. */
    @FunctionalInterface
    interface Step {
        void run(Applier applier, StepState state);
    }

    /**
     * What a step knows when it runs.
     *
     * @param planId the journal run
     * @param step   the operation's index in the plan
     * @param done   the journal's progress of the run when the step started
     * @param live   the live state read just before the step
     */
    record StepState(String planId, int step, Set<String> done, LiveState live) {}

    private void createTable(CreateTable c, StepState s) {
        // recorded first: a crash between the two leaves dcm's table, never a foreign-looking one
        claim(s.live(), c.table().name(), s.live().table(c.table().name()).isPresent());
        journal.recordObject(c.table().name(), "table", c.table().lifeCycle());
        sql.statements(c).forEach(ch::execute);
    }

    private void dropTable(DropTable d) {
        sql.statements(d).forEach(ch::execute);
        journal.forgetObject(d.table());
    }

    private void addColumn(AddColumn a, StepState s) {
        if (s.live().table(a.table()).flatMap(t -> t.column(a.column().name())).isEmpty()) {
            sql.statements(a).forEach(ch::execute);
        }
    }

    private void dropColumn(DropColumn d, StepState s) {
        if (s.live().table(d.table()).flatMap(t -> t.column(d.column())).isPresent()) {
            sql.statements(d).forEach(ch::execute);
        }
    }

    private void modifyColumn(ModifyColumn m) {
        if (m.typeChanged()) {
            TypeCheck.requireConvertible(ch, m);
        }
        sql.statements(m).forEach(ch::execute);
        Mutations.await(ch, m.table());
    }

    private void rebuild(RebuildTable r, StepState s) {
        if (sql.cluster().replicated()) {
            // a saved plan made without the cluster setting: the planner does not plan a rebuild on a cluster
            throw new ApplyException("rebuild of " + r.table().name() + " refused: rebuilds are not done on a cluster ("
                    + sql.cluster().name() + "): the copy reads one replica's parts while the others take inserts",
                    List.of(), "plan again: on a cluster a changed ORDER BY, PARTITION BY, engine or key type needs a"
                    + " new table (a new model version, filled by the backfill)");
        }
        checkCasts(r, s.live());
        // every attempt records the operation anew, so an earlier attempt's "abandoned" mark no longer applies
        long attempts = s.done().stream().filter(d -> d.startsWith(s.step() + ":op#")).count();
        journal.done(s.planId(), s.step(), "op#" + (attempts + 1), json(r));
        Set<String> done = journal.progress(s.planId());
        new Rebuild(ch, sql, journal, s.planId(), s.step(), done).run(r);
        journal.recordObject(r.table().name(), "table", r.table().lifeCycle());
    }

    private void createView(CreateView v, StepState s) {
        claim(s.live(), v.view(), s.live().table(v.view()).isPresent());
        journal.recordObject(v.view(), "view", LifeCycle.FULLY_MANAGED);
        sql.statements(v).forEach(ch::execute);
    }

    private void createMigrationView(dcm.core.versions.MigrationView v, StepState s) {
        claim(s.live(), v.name(), s.live().table(v.name()).isPresent());
        journal.recordObject(v.name(), "migration " + v.key(), LifeCycle.FULLY_MANAGED);
        ch.execute(sql.createMigrationView(v));
    }

    /**
     * Drops and creates the view with the syncs into its source paused: no row passes between the two. Journaled
     * first: after a crash the syncs stay paused and the next apply finishes it before anything else.
     */
    private void replaceMigrationView(Operation.ReplaceMigrationView r, StepState s) {
        long attempts = s.done().stream().filter(d -> d.startsWith(s.step() + ":op#")).count();
        journal.done(s.planId(), s.step(), "op#" + (attempts + 1), json(r));
        replaceMigrationView(r.view());
    }

    void replaceMigrationView(dcm.core.versions.MigrationView v) {
        Runnable resume = pauses.pause(List.of(v.source()));
        try {
            ch.execute(sql.dropTable(v.name()));
            journal.recordObject(v.name(), "migration " + v.key(), LifeCycle.FULLY_MANAGED);
            ch.execute(sql.createMigrationView(v));
        } finally {
            resume.run();
        }
    }

    private void backfill(Operation.Backfill b, StepState s) {
        long attempts = s.done().stream().filter(d -> d.startsWith(s.step() + ":op#")).count();
        journal.done(s.planId(), s.step(), "op#" + (attempts + 1), json(b));
        try {
            new Backfiller(ch, sql, journal, pauses).run(b, s.planId(), s.step(), journal.progress(s.planId()),
                    progress);
        } catch (Backfiller.Refused r) {
            journal.done(s.planId(), s.step(), "abandoned:" + (attempts + 1), "");
            throw r.reason;
        }
    }

    private void dropView(DropView v) {
        sql.statements(v).forEach(ch::execute);
        journal.forgetObject(v.view());
    }

    private void createTopic(CreateTopic c, StepState s) {
        claim(s.live(), c.topic().name(), broker.topicNames().contains(c.topic().name()));
        journal.recordObject(c.topic().name(), "topic", c.topic().lifeCycle());
        broker.createTopic(c.topic().name(), c.topic().partitions(), c.replicationFactor(), c.topic().retentionMs());
    }

    private void deleteTopic(DeleteTopic d) {
        broker.deleteTopic(d.topic());
        journal.forgetObject(d.topic());
    }

    private void addPartitions(AddPartitions p) {
        boolean already = broker.topics().stream().anyMatch(t -> t.name().equals(p.topic())
                && t.partitions() >= p.to());
        if (!already) {
            broker.addPartitions(p.topic(), p.to());
        }
    }

    private void setRetention(SetRetention r) {
        broker.setRetention(r.topic(), r.to());
    }

    /**
     * Before creating an object: one of that name that dcm did not create appeared since the plan was made (or a
     * saved plan's step is repeated after someone made it by hand). Creating "if not exists" would take it over
     * silently; refuse instead.
     */
    private static void claim(LiveState live, String name, boolean exists) {
        if (exists && !live.lifecycles().containsKey(name)) {
            throw new ApplyException(name + " exists, but dcm did not create it (it appeared after the plan was made);"
                    + " nothing was done to it", List.of(), "run `plan` again: it shows how " + name + " differs;"
                    + " `adopt " + name + "` lets dcm manage it");
        }
    }

    /**
     * Finishes what a crashed apply left half done, before anything is planned ({@link Recovery}).
     * Returns how many it handled.
     */
    public int recover(Consumer<String> progress) {
        List<Journal.Interrupted> pending = journal.interruptedOperations();
        if (pending.isEmpty()) {
            return 0;
        }
        try (ApplyLock lock = new ApplyLock(journal)) {
            this.progress = progress;
            new Recovery(this, ch, sql, journal, pauses).resumeInterrupted(progress);
        }
        return pending.size();
    }

    private static String json(Operation op) {
        try {
            return PlanJson.MAPPER.writerFor(Operation.class)
                    .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(op);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A rebuild that converts a column checks, before it starts, that every value converts. */
    private void checkCasts(RebuildTable r, LiveState live) {
        java.util.regex.Pattern cast = java.util.regex.Pattern.compile("CAST\\(`(\\w+)` AS (.+)\\)");
        for (String expr : r.copyExpressions()) {
            java.util.regex.Matcher m = cast.matcher(expr);
            if (m.matches()) {
                String from = m.group(1);
                live.table(r.table().name()).flatMap(t -> t.column(from)).ifPresent(c -> TypeCheck.requireConvertible(
                        ch, new ModifyColumn(r.table().name(), from, c.type(), m.group(2), null, null)));
            }
        }
    }

    private void rename(RenameColumn r, LiveState live) {
        var table = live.table(r.table()).orElseThrow(() -> new ApplyException("table " + r.table()
                + " does not exist", List.of(), "run `plan` again"));
        boolean hasFrom = table.column(r.from()).isPresent();
        boolean hasTo = table.column(r.to()).isPresent();
        if (!hasFrom && hasTo) {
            return;
        }
        List<String> statements = sql.statements(r);
        if (statements.size() == 1) {
            ch.execute(statements.get(0));
            return;
        }
        if (!hasTo) {
            ch.execute(statements.get(0));
        }
        ch.execute(statements.get(1));
        Mutations.await(ch, r.table());
        ch.execute(statements.get(2));
    }

    /** Waits for a table's mutations (ALTER UPDATE, MODIFY COLUMN) to finish, and fails on a failed one. */
    static final class Mutations {
        private Mutations() {}

        static void await(ClickHouse ch, String table) {
            Waits.untilZero(ch, () -> "SELECT count() AS n FROM system.mutations WHERE database = "
                    + Sql.str(ch.database()) + " AND table = " + Sql.str(table) + " AND is_done = 0", 100, 30 * 60_000,
                    "a mutation on " + table + " did not finish in 30 minutes", "look at system.mutations");
        }
    }
}
