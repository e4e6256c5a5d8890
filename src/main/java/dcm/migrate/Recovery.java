package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.plan.Operation;
import dcm.core.plan.Operation.RebuildTable;
import dcm.core.plan.SqlGen;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a crashed apply left half done, finished before anything is planned: a rebuild cut off after its swap is
 * finished (rows that arrived during its copy are only in the old table), one cut off before it is undone; a backfill
 * or a view replacement continues where its journal says (the syncs it paused stayed paused); then the pauses of an
 * apply that stopped are resumed.
 */
final class Recovery {
    private final Applier applier;
    private final ClickHouse ch;
    private final SqlGen sql;
    private final Journal journal;
    private final Backfiller.SyncPauses pauses;

    Recovery(Applier applier, ClickHouse ch, SqlGen sql, Journal journal, Backfiller.SyncPauses pauses) {
        this.applier = applier;
        this.ch = ch;
        this.sql = sql;
        this.journal = journal;
        this.pauses = pauses;
    }

    void resumeInterrupted(Consumer<String> progress) {
        for (Journal.Interrupted i : journal.interruptedOperations()) {
            Operation op = read(i);
            Set<String> done = journal.progress(i.planId());
            if (op instanceof Operation.ReplaceMigrationView v) {
                progress.accept("finishing the interrupted replacement of " + v.view().name());
                applier.replaceMigrationView(v.view());
                journal.done(i.planId(), i.step(), "", v.describe());
                continue;
            }
            if (op instanceof Operation.Backfill b) {
                progress.accept("resuming the interrupted backfill of " + b.target() + " (plan " + i.planId()
                        + ", step " + (i.step() + 1) + ")");
                try {
                    new Backfiller(ch, sql, journal, pauses).run(b, i.planId(), i.step(), done, progress);
                } catch (Backfiller.Refused r) {
                    long attempts = done.stream().filter(d -> d.startsWith(i.step() + ":op#")).count();
                    journal.done(i.planId(), i.step(), "abandoned:" + attempts, "");
                    throw r.reason;
                }
                journal.done(i.planId(), i.step(), "", b.describe());
                continue;
            }
            RebuildTable r = (RebuildTable) op;
            Rebuild rebuild = new Rebuild(ch, sql, journal, i.planId(), i.step(), done);
            if (rebuild.swapped(r)) {
                progress.accept("resuming the interrupted rebuild of " + r.table().name() + " (plan " + i.planId()
                        + ", step " + (i.step() + 1) + ")");
                rebuild.run(r);
                journal.done(i.planId(), i.step(), "", r.describe());
            } else {
                progress.accept("undoing the interrupted rebuild of " + r.table().name() + " (it stopped before the"
                        + " swap; the table is as it was)");
                rebuild.abandon(r);
            }
        }
    }

    /**
     * Pauses an apply made and never resumed (it crashed): under the apply lock no other apply runs, and the
     * interrupted operations that needed them paused were finished first ({@link Applier#recover}).
     */
    void resumeStalePauses(Consumer<String> progress) {
        dcm.clickhouse.SyncPause sp = new dcm.clickhouse.SyncPause(ch);
        List<String> stale = sp.paused().stream().filter(p -> p.pauser().startsWith("apply@"))
                .map(dcm.clickhouse.SyncPause.Paused::table).distinct().toList();
        if (!stale.isEmpty()) {
            sp.resume(stale);
            progress.accept("resumed the syncs into " + String.join(", ", stale) + " (paused by an apply that"
                    + " stopped)");
        }
    }

    /** The interrupted operation, as journaled (rebuilds journaled before the type was recorded read as such). */
    private static Operation read(Journal.Interrupted i) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = PlanJson.MAPPER.readTree(i.op());
            return node.has("op") ? PlanJson.MAPPER.treeToValue(node, Operation.class)
                    : PlanJson.MAPPER.treeToValue(node, RebuildTable.class);
        } catch (java.io.IOException e) {
            throw new ApplyException("cannot read the interrupted operation of plan " + i.planId() + ": "
                    + e.getMessage(), List.of(), "look at " + Journal.JOURNAL);
        }
    }
}
