package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.core.plan.Operation.RebuildTable;
import dcm.core.plan.SqlGen;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A table rebuild that keeps every row, even while writers keep inserting: with merges stopped (so part names
 * stay stable), copy the parts that exist into a new table, swap the names so writers reach the new table, wait
 * for inserts still running on the old one, then copy each part that arrived meanwhile. Every part is copied
 * exactly once; the bulk part list and each copied late part are journaled, so a crash resumes without loss or
 * duplicates (each late part goes through a staging table attached to the table: no view of it fires a second
 * time, and the query log tells after a crash whether an attach happened).
 */
final class Rebuild {
    private final ClickHouse ch;
    private final SqlGen sql;
    private final Journal journal;
    private final String planId;
    private final int step;
    private final Set<String> done;
    private final int attempt;

    Rebuild(ClickHouse ch, SqlGen sql, Journal journal, String planId, int step, Set<String> done) {
        this.ch = ch;
        this.sql = sql;
        this.journal = journal;
        this.planId = planId;
        this.step = step;
        this.done = done;
        this.attempt = (int) done.stream().filter(d -> d.startsWith(step + ":op#")).count();
    }

    /** The old table's name: per plan run, so a kept old table of an earlier rebuild never blocks this one. */
    String oldName(RebuildTable r) {
        return SqlGen.oldTable(r.table().name(), planId);
    }

    /**
     * Whether the names were swapped: journaled, or visible (old table there, new one gone) even when a crash or
     * a client timeout came between the RENAME and its journal entry.
     */
    boolean swapped(RebuildTable r) {
        String name = r.table().name();
        return done.contains(step + ":swap") || (ch.tableExists(oldName(r))
                && !ch.tableExists(name + SqlGen.NEW_SUFFIX) && ch.tableExists(name));
    }

    /**
     * After a crash before the swap: the original table is still the live one; drop the half-filled new table and
     * let the original merge again. Nothing else needs undoing.
     */
    void abandon(RebuildTable r) {
        String name = r.table().name();
        if (!ch.tableExists(name) && ch.tableExists(oldName(r))) {
            // a swap cut off half-way (18.16 renames the pair one by one): put the original back
            ch.execute("RENAME TABLE " + sql.t(oldName(r)) + " TO " + sql.t(name));
        }
        ch.execute("DROP TABLE IF EXISTS " + sql.t(name + SqlGen.NEW_SUFFIX));
        ch.execute("SYSTEM START MERGES " + sql.t(name));
        journal.done(planId, step, "abandoned:" + attempt, "");
    }

    void run(RebuildTable r) {
        String name = r.table().name();
        // per plan, so a kept old table of an earlier rebuild never blocks this one
        String old = oldName(r);
        String fresh = name + SqlGen.NEW_SUFFIX;
        String cols = r.copyColumns().stream().map(Sql::id).collect(Collectors.joining(", "));
        String exprs = String.join(", ", r.copyExpressions());
        boolean swapped = swapped(r);
        long swapMillis = System.currentTimeMillis();
        if (!swapped) {
            stopMerges(name);
            try {
                List<String> parts = ActiveParts.names(ch, name);
                ch.execute("DROP TABLE IF EXISTS " + sql.t(fresh));
                ch.execute(sql.createTable(r.table(), fresh));
                if (!parts.isEmpty()) {
                    ch.execute("INSERT INTO " + sql.t(fresh) + " (" + cols + ") SELECT " + exprs + " FROM "
                            + sql.t(name) + " WHERE _part IN (" + parts.stream().map(Sql::str)
                            .collect(Collectors.joining(", ")) + ")");
                }
                journal.done(planId, step, "bulk", String.join(",", parts));
                dcm.infra.Failpoint.reached("rebuild-after-bulk");
                ch.execute("RENAME TABLE " + sql.t(name) + " TO " + sql.t(old) + ", " + sql.t(fresh) + " TO "
                        + sql.t(name));
            } catch (RuntimeException e) {
                // the live table must not stay without merges (parts would pile up) while the user fixes the cause
                restartMerges(name);
                throw e;
            }
            swapMillis = System.currentTimeMillis();
            journal.done(planId, step, "swap", "");
            dcm.infra.Failpoint.reached("rebuild-after-swap");
        }
        // merges are stopped in memory only: stop them again (a ClickHouse restart undoes it) before reading parts
        stopMerges(old);
        awaitInsertsStartedBefore(swapMillis);
        List<String> bulk = bulkParts();
        java.util.Set<String> copied = new java.util.HashSet<>();
        List<String> late;
        do {
            late = ActiveParts.names(ch, old).stream().filter(p -> !bulk.contains(p) && !copied.contains(p)).toList();
            for (String part : late) {
                if (!done.contains(step + ":part:" + part) && !done.contains(step + ":unit:late_" + part)) {
                    requireUnmerged(part, bulk, old);
                    // through a staging table attached to the new one: the late rows already passed the views of
                    // the table when they were inserted, an INSERT would fire them a second time
                    String unit = "late_" + part.replaceAll("[^A-Za-z0-9_]", "_");
                    new PartCopy(ch, sql, journal, planId, step).copy(unit, old, List.of(part), name, cols, exprs,
                            done);
                }
                copied.add(part);
            }
        } while (!late.isEmpty());
        if (r.keepOld()) {
            ch.execute("SYSTEM START MERGES " + sql.t(old));
        } else {
            ch.execute("DROP TABLE IF EXISTS " + sql.t(old));
        }
    }

    private void restartMerges(String table) {
        try {
            if (ch.tableExists(table)) {
                ch.execute("SYSTEM START MERGES " + sql.t(table));
            }
        } catch (RuntimeException ignored) {
            // ClickHouse is away; a restart of it starts merges anyway
        }
    }

    /**
     * Stops merges and waits for those already running: STOP MERGES only keeps new ones from starting, and a merge
     * finishing after the part list would rename listed parts.
     */
    private void stopMerges(String table) {
        ch.execute("SYSTEM STOP MERGES " + sql.t(table));
        Waits.untilZero(ch, () -> "SELECT count() AS n FROM system.merges WHERE database = " + Sql.str(ch.database())
                + " AND table = " + Sql.str(table), 50, 600_000, "a merge on " + table + " did not finish in 10"
                + " minutes", "run apply again later: the rebuild starts over");
    }

    /**
     * A late part whose block range covers a bulk part is the product of a merge (merges ran again, e.g. after a
     * ClickHouse restart): its rows are partly in the new table already, so it cannot be copied exactly once.
     */
    private static void requireUnmerged(String part, List<String> bulk, String old) {
        long[] p = range(part);
        for (String b : bulk) {
            long[] q = range(b);
            if (p != null && q != null && p[0] == q[0] && p[1] <= q[2] && q[1] <= p[2]) {
                throw new ApplyException("part " + part + " of " + old + " merged bulk part " + b + " (merges ran"
                        + " during the rebuild, e.g. after a ClickHouse restart); its late rows cannot be copied exactly"
                        + " once", List.of("late part: " + part, "already copied: " + b),
                        "copy the rows of " + old + " missing from the new table by key, then drop " + old);
            }
        }
    }

    /** {partition hash, min block, max block} of a part name {@code <partition>_<min>_<max>_<level>}, or null. */
    private static long[] range(String part) {
        String[] f = part.split("_");
        if (f.length < 4) {
            return null;
        }
        try {
            String partition = String.join("_", java.util.Arrays.copyOf(f, f.length - 3));
            return new long[] {partition.hashCode(), Long.parseLong(f[f.length - 3]), Long.parseLong(f[f.length - 2])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private List<String> bulkParts() {
        Rows rows = ch.query("SELECT detail FROM " + Sql.table(ch.database(), Journal.JOURNAL) + " WHERE plan_id = "
                + Sql.str(planId) + " AND step = " + step + " AND item = 'bulk' ORDER BY at DESC LIMIT 1", false);
        if (rows.size() == 0 || String.valueOf(rows.get(0, "detail")).isEmpty()) {
            return List.of();
        }
        return List.of(String.valueOf(rows.get(0, "detail")).split(","));
    }


    /**
     * Inserts that began before the swap still write into the old table: wait until none of those is running
     * (inserts that began later go to the new table and do not matter). On timeout the rebuild stops, resumable.
     */
    private void awaitInsertsStartedBefore(long swapMillis) {
        Waits.untilZero(ch, () -> "SELECT count() AS n FROM system.processes WHERE lower(query) LIKE 'insert%'"
                + " AND elapsed >= " + Math.max(0, (System.currentTimeMillis() - swapMillis) / 1000.0 - 0.05)
                + " AND position(query, 'system.processes') = 0", 50, 120_000,
                "inserts that began before the rebuild's swap are still running after 120 s",
                "run apply again when they finished: the rebuild continues where it stopped");
    }
}
