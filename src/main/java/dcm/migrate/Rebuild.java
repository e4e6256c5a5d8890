package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.core.plan.Operation.RebuildTable;
import dcm.core.plan.SqlGen;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A table rebuild that keeps every row, even while writers keep inserting: with merges stopped (so part names
 * stay stable), copy the parts that exist into a new table, swap the names so writers reach the new table, wait
 * for inserts still running on the old one, then copy each part that arrived meanwhile. Every part is copied
 * exactly once; the bulk part list and each copied late part are journaled, so a crash resumes without loss or
 * duplicates (a crash between a late part's copy and its journal entry is the one window left: it is one INSERT).
 */
final class Rebuild {
    private final ClickHouse ch;
    private final SqlGen sql;
    private final Journal journal;
    private final String planId;
    private final int step;
    private final Set<String> done;

    Rebuild(ClickHouse ch, SqlGen sql, Journal journal, String planId, int step, Set<String> done) {
        this.ch = ch;
        this.sql = sql;
        this.journal = journal;
        this.planId = planId;
        this.step = step;
        this.done = done;
    }

    /**
     * After a crash before the swap: the original table is still the live one; drop the half-filled new table and
     * let the original merge again. Nothing else needs undoing.
     */
    void abandon(RebuildTable r) {
        ch.execute("DROP TABLE IF EXISTS " + sql.t(r.table().name() + SqlGen.NEW_SUFFIX));
        ch.execute("SYSTEM START MERGES " + sql.t(r.table().name()));
        journal.done(planId, step, "abandoned", "");
    }

    void run(RebuildTable r) {
        String name = r.table().name();
        // per plan, so a kept old table of an earlier rebuild never blocks this one
        String old = name + SqlGen.OLD_SUFFIX + "_" + planId.substring(0, 8);
        String fresh = name + SqlGen.NEW_SUFFIX;
        String cols = r.copyColumns().stream().map(Sql::id).collect(Collectors.joining(", "));
        String exprs = String.join(", ", r.copyExpressions());
        boolean swapped = done.contains(step + ":swap") || (exists(old) && !exists(fresh) && exists(name)
                && done.contains(step + ":bulk"));
        if (!swapped) {
            ch.execute("SYSTEM STOP MERGES " + sql.t(name));
            List<String> parts = parts(name);
            ch.execute("DROP TABLE IF EXISTS " + sql.t(fresh));
            ch.execute(sql.createTable(r.table(), fresh));
            if (!parts.isEmpty()) {
                ch.execute("INSERT INTO " + sql.t(fresh) + " (" + cols + ") SELECT " + exprs + " FROM " + sql.t(name)
                        + " WHERE _part IN (" + parts.stream().map(Sql::str).collect(Collectors.joining(", ")) + ")");
            }
            journal.done(planId, step, "bulk", String.join(",", parts));
            dcm.infra.Failpoint.reached("rebuild-after-bulk");
            ch.execute("RENAME TABLE " + sql.t(name) + " TO " + sql.t(old) + ", " + sql.t(fresh) + " TO "
                    + sql.t(name));
            journal.done(planId, step, "swap", "");
            dcm.infra.Failpoint.reached("rebuild-after-swap");
        }
        awaitInserts(name);
        List<String> bulk = bulkParts();
        for (String part : parts(old)) {
            if (bulk.contains(part) || done.contains(step + ":part:" + part)) {
                continue;
            }
            ch.execute("INSERT INTO " + sql.t(name) + " (" + cols + ") SELECT " + exprs + " FROM " + sql.t(old)
                    + " WHERE _part = " + Sql.str(part));
            journal.done(planId, step, "part:" + part, "");
        }
        if (r.keepOld()) {
            ch.execute("SYSTEM START MERGES " + sql.t(old));
        } else {
            ch.execute("DROP TABLE IF EXISTS " + sql.t(old));
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

    private List<String> parts(String table) {
        Rows rows = ch.query("SELECT name FROM system.parts WHERE database = " + Sql.str(ch.database())
                + " AND table = " + Sql.str(table) + " AND active ORDER BY name", false);
        List<String> out = new ArrayList<>();
        rows.rows().forEach(r -> out.add(String.valueOf(r.get(0))));
        return out;
    }

    private boolean exists(String table) {
        return "1".equals(String.valueOf(ch.query("SELECT count() AS n FROM system.tables WHERE database = "
                + Sql.str(ch.database()) + " AND name = " + Sql.str(table), false).get(0, "n")));
    }

    /** Inserts that began before the swap still write into the old table: wait until none is running. */
    private void awaitInserts(String base) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            Rows r = ch.query("SELECT count() AS n FROM system.processes WHERE query LIKE 'INSERT%' AND (position(query, "
                    + Sql.str(base) + ") > 0) AND position(query, 'system.processes') = 0", false);
            if ("0".equals(String.valueOf(r.get(0, "n")))) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
