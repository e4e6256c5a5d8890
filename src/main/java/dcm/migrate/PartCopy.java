package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.core.plan.SqlGen;
import java.util.List;
import java.util.Set;

/**
 * Copies a group of parts of one table into another through a mapping, exactly once, without firing the target's
 * materialized views: the rows go into a staging table shaped like the target, whose partitions are then attached
 * to the target ({@code ATTACH PARTITION ID ... FROM}: the parts are linked, no insert happens, so no view fires).
 * Each attached partition is journaled; a crash leaves the staging table, and the next run asks the query log
 * whether the attach it was doing finished, so nothing is attached twice or missed.
 */
final class PartCopy {
    private final ClickHouse ch;
    private final SqlGen sql;
    private final Journal journal;
    private final String planId;
    private final int step;

    PartCopy(ClickHouse ch, SqlGen sql, Journal journal, String planId, int step) {
        this.ch = ch;
        this.sql = sql;
        this.journal = journal;
        this.planId = planId;
        this.step = step;
    }

    /**
     * Copies {@code parts} of {@code source} into {@code target} as unit {@code unit} of this step, unless the
     * journal says it was.
     */
    void copy(String unit, String source, List<String> parts, String target, String columns, String selectList,
              Set<String> done) {
        String stage = staging(target, unit);
        if (done.contains(step + ":unit:" + unit)) {
            ch.execute("DROP TABLE IF EXISTS " + sql.t(stage));
            return;
        }
        if (ch.tableExists(stage)) {
            // a crash while this unit was copied. An attach runs only once the staging table is full: when one
            // happened, finish the others; when none did, the staging table may be half full, start it over
            List<String> partitions = ActiveParts.partitionIds(ch, stage);
            if (partitions.stream().anyMatch(p -> attached(unit, p, done))) {
                attachAll(unit, stage, target, partitions, done, true);
                finish(unit, stage);
                return;
            }
            ch.execute("DROP TABLE " + sql.t(stage));
        }
        if (sql.cluster().replicated()) {
            LocalTables.createLike(ch, sql, target, stage, "");
        } else {
            ch.execute("CREATE TABLE " + sql.t(stage) + " AS " + sql.t(target));
        }
        ch.execute("INSERT INTO " + sql.t(stage) + " (" + columns + ") SELECT " + selectList + " FROM "
                + sql.t(source) + " WHERE _part IN (" + String.join(", ", parts.stream().map(Sql::str).toList())
                + ")");
        attachAll(unit, stage, target, ActiveParts.partitionIds(ch, stage), done, false);
        finish(unit, stage);
    }

    /** The staging table of one unit of a target. */
    static String staging(String target, String unit) {
        return target + STAGING + unit;
    }

    /** What staging tables' names have after their target's. */
    static final String STAGING = "__dcm_part_";

    private void attachAll(String unit, String stage, String target, List<String> partitions, Set<String> done,
                           boolean recovering) {
        for (String p : partitions) {
            if (recovering ? attached(unit, p, done) : done.contains(step + ":attached:" + unit + ":" + p)) {
                continue;
            }
            ch.executeLogged("ALTER TABLE " + sql.t(target) + " ATTACH PARTITION ID " + Sql.str(p) + " FROM "
                    + sql.t(stage), queryId(unit, p));
            dcm.infra.Failpoint.reached("backfill-after-attach");
            journal.done(planId, step, "attached:" + unit + ":" + p, "");
            done.add(step + ":attached:" + unit + ":" + p);
        }
    }

    private void finish(String unit, String stage) {
        journal.done(planId, step, "unit:" + unit, "");
        ch.execute("DROP TABLE IF EXISTS " + sql.t(stage));
    }

    /** Whether the attach of a partition is journaled, or (after a crash before its journal entry) logged done. */
    private boolean attached(String unit, String partition, Set<String> done) {
        if (done.contains(step + ":attached:" + unit + ":" + partition)) {
            return true;
        }
        if (finished(queryId(unit, partition))) {
            journal.done(planId, step, "attached:" + unit + ":" + partition, "from the query log");
            done.add(step + ":attached:" + unit + ":" + partition);
            return true;
        }
        return false;
    }

    /**
     * Whether a query finished, by the server's query log: first wait until it is no longer running (the server
     * goes on with a query whose client died), then flush the log and look.
     */
    private boolean finished(String queryId) {
        Waits.untilZero(ch, () -> "SELECT count() AS n FROM system.processes WHERE query_id = " + Sql.str(queryId),
                100, 600_000, "query " + queryId + " is still running after 10 minutes", "run apply again later");
        ch.execute("SYSTEM FLUSH LOGS", false);
        if (!ch.tableExists("query_log", "system")) {
            throw new ApplyException("cannot tell whether the copy " + queryId + " finished before the crash: the"
                    + " server keeps no query log", List.of(), "enable <query_log> in the ClickHouse server config,"
                    + " or compare the tables' rows by hand");
        }
        Rows r = ch.query("SELECT count() AS n FROM system.query_log WHERE query_id = " + Sql.str(queryId)
                + " AND type = 2", false);
        return !"0".equals(String.valueOf(r.get(0, "n")));
    }

    /** A query id per plan run, step, unit and partition: the query log tells whether that attach happened. */
    private String queryId(String unit, String partition) {
        return "dcm-attach-" + Integer.toHexString(planId.hashCode()) + "-" + step + "-" + unit + "-"
                + partition.replaceAll("[^A-Za-z0-9_]", "_") + "-" + Integer.toHexString(partition.hashCode());
    }

}
