package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.LifeCycle;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.core.plan.Operation.Backfill;
import dcm.core.plan.SqlGen;
import dcm.core.versions.MigrationView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Fills a new version's table from the previous version's while ingestion goes on, with nothing lost or repeated.
 * <ol>
 * <li>With every sync writing into the sources paused (in every process, acknowledged), the previous table's
 * parts are linked into a private snapshot table that never merges, and the migration views are created: every
 * row is either in the snapshot (inserted before) or passes through a view (inserted after), never both.</li>
 * <li>The syncs resume; the snapshot's parts are copied through the mapping in units of about {@link #UNIT_ROWS}
 * rows, each exactly once ({@link PartCopy}), journaled, so a crash resumes at the first unit not done.</li>
 * <li>A parity check: the new table holds at least as many rows as the previous one (a view that refused a row
 * would leave it short); the alias moves only after it passes (it is the plan's next step).</li>
 * </ol>
 */
final class Backfiller {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Backfiller.class);
    /**
     * Rows per copy unit: big enough that the per-unit statements cost little, small enough to resume often (a crash
     * repeats at most one unit's copy). Each unit costs eight statements besides its copy (two of them journal
     * inserts, each a new part: 12-20 ms on the 2-core test machine), 50-100 ms a unit there, against 0.2-0.7 s to
     * copy a million rows. A backfill of 10,000,000 rows in 10 parts took 1.37-1.60 times its own copy statements'
     * time with units of 1,000,000 rows, 1.11-1.28 with 4,000,000, 1.08-1.13 with a single unit
     * (`scripts/bench versions`, 2026-11-30; docs/design.md, "Versions: measurements").
     */
    static final long UNIT_ROWS = 4_000_000;
    private final ClickHouse ch;
    private final SqlGen sql;
    private final Journal journal;
    private final SyncPauses pauses;

    /** Pauses the syncs writing into tables (in every process, acknowledged) until the returned handle is run. */
    interface SyncPauses {
        Runnable pause(List<String> tables);

        /** Resumes them whoever paused them (after a crash that left them paused). */
        void resume(List<String> tables);
    }

    Backfiller(ClickHouse ch, SqlGen sql, Journal journal, SyncPauses pauses) {
        this.ch = ch;
        this.sql = sql;
        this.journal = journal;
        this.pauses = pauses;
    }

    /** The snapshot table of a backfill into {@code target}. */
    static String snapshot(String target) {
        return target + "__dcm_from";
    }

    /**
     * The previous table holds rows the mapping refuses: nothing was changed (no view, no copy), so the backfill is
     * given up, and the next plan makes a new one with the mapping as it is then.
     */
    static final class Refused extends RuntimeException {
        final ApplyException reason;

        Refused(ApplyException reason) {
            super(reason.getMessage());
            this.reason = reason;
        }
    }

    void run(Backfill b, String planId, int step, Set<String> done, Consumer<String> progress) {
        LOG.info("backfill {} from {} through mapping {} -> {} (plan {}, step {})", b.target(), b.copy().source(),
                b.copy().from(), b.copy().to(), planId, step);
        String snap = snapshot(b.target());
        if (!done.contains(step + ":views")) {
            requireMappable(b, progress);
            progress.accept("  pausing the syncs into " + String.join(", ", b.paused()));
            Runnable resume = pauses.pause(b.paused());
            try {
                snapshotOf(b.copy().source(), snap);
                for (MigrationView v : b.views()) {
                    journal.recordObject(v.name(), "migration " + v.key(), LifeCycle.FULLY_MANAGED);
                    ch.execute(sql.createMigrationView(v));
                }
                journal.done(planId, step, "views", String.join(",", b.views().stream().map(MigrationView::name)
                        .toList()));
                dcm.infra.Failpoint.reached("backfill-after-views");
            } finally {
                resume.run();
            }
            progress.accept("  views created, syncs resumed");
        } else {
            // a crash between the views' journal entry and the resume left the syncs paused
            pauses.resume(b.paused());
        }
        List<Part> parts = parts(planId, step, snap, done);
        long total = parts.stream().mapToLong(Part::rows).sum();
        List<List<Part>> units = units(parts);
        PartCopy copy = new PartCopy(ch, sql, journal, planId, step);
        String columns = b.copy().columns().stream().map(Sql::id).collect(Collectors.joining(", "));
        long copied = 0;
        for (int i = 0; i < units.size(); i++) {
            List<Part> unit = units.get(i);
            copy.copy(Integer.toString(i), snap, unit.stream().map(Part::name).toList(), b.target(), columns,
                    b.copy().selectList(), done);
            copied += unit.stream().mapToLong(Part::rows).sum();
            progress.accept("  " + bar(copied, total) + " " + copied + " of " + total + " rows");
            dcm.infra.Failpoint.reached("backfill-after-unit");
        }
        ch.execute("DROP TABLE IF EXISTS " + sql.t(snap));
        parity(b, progress);
    }

    /**
     * Links every part of {@code source} into a new snapshot table that never merges (so its part names stay what
     * the journal lists, even across a ClickHouse restart). A snapshot left by a crash is made again: the syncs
     * stayed paused since (the pause outlives its owner), so the source holds the same rows.
     */
    private void snapshotOf(String source, String snap) {
        ch.execute("DROP TABLE IF EXISTS " + sql.t(snap));
        String settings = "max_bytes_to_merge_at_max_space_in_pool = 1, max_bytes_to_merge_at_min_space_in_pool = 1";
        LocalTables.createLike(ch, sql, source, snap, settings);
        for (String p : ActiveParts.partitionIds(ch, source)) {
            ch.execute("ALTER TABLE " + sql.t(snap) + " ATTACH PARTITION ID " + Sql.str(p) + " FROM " + sql.t(source));
        }
    }

    /**
     * Before any view exists: every row of the previous table passes the mapping's conversions. A view that refuses
     * a row fails the insert that brought it (after the old table stored it), so a mapping that refuses existing rows
     * must be fixed before it carries new ones. Only the expressions that compute something are evaluated
     * ({@code ignore} takes them as arguments, so each is computed for every row).
     */
    private void requireMappable(Backfill b, Consumer<String> progress) {
        List<Integer> computed = new ArrayList<>();
        for (int i = 0; i < b.copy().expressions().size(); i++) {
            if (!b.copy().expressions().get(i).matches("`[^`]*`") && b.copy().expressions().get(i).contains("`")) {
                computed.add(i);
            }
        }
        if (computed.isEmpty()) {
            return;
        }
        progress.accept("  checking that every row of " + b.copy().source() + " converts");
        try {
            ch.query("SELECT count() AS n FROM " + sql.t(b.copy().source()) + " WHERE NOT ignore(" + computed.stream()
                    .map(b.copy().expressions()::get).collect(Collectors.joining(", ")) + ")", false);
        } catch (dcm.clickhouse.ClickHouseException e) {
            String column = computed.stream().map(b.copy().columns()::get).filter(c -> refuses(b, c))
                    .findFirst().orElse("?");
            throw new Refused(new ApplyException("the mapping " + b.copy().from() + " -> " + b.copy().to()
                    + " refuses rows of " + b.copy().source() + " (column " + column + "); nothing was changed",
                    List.of("ClickHouse: " + e.getMessage().lines().findFirst().orElse(""), "mapping: "
                    + b.copy().origin()), "fix those rows, or the mapping (`mapping " + b.copy().model() + "`), then"
                    + " run apply again"));
        }
    }

    private boolean refuses(Backfill b, String column) {
        String expr = b.copy().expressions().get(b.copy().columns().indexOf(column));
        try {
            ch.query("SELECT count() AS n FROM " + sql.t(b.copy().source()) + " WHERE NOT ignore(" + expr + ")", false);
            return false;
        } catch (dcm.clickhouse.ClickHouseException e) {
            return true;
        }
    }

    /** A part of the snapshot and its rows. */
    record Part(String name, long rows) {}

    /** The snapshot's parts: journaled once, so every run copies the same units. */
    private List<Part> parts(String planId, int step, String snap, Set<String> done) {
        Rows journaled = ch.query("SELECT detail FROM " + Sql.table(ch.database(), Journal.JOURNAL)
                + " WHERE plan_id = " + Sql.str(planId) + " AND step = " + step + " AND item = 'parts' LIMIT 1", false);
        String list;
        if (journaled.size() > 0) {
            list = String.valueOf(journaled.get(0, "detail"));
        } else {
            Rows r = ch.query("SELECT name, rows FROM system.parts WHERE database = " + Sql.str(ch.database())
                    + " AND table = " + Sql.str(snap) + " AND active ORDER BY name", false);
            List<String> entries = new ArrayList<>();
            r.rows().forEach(row -> entries.add(row.get(0) + ":" + row.get(1)));
            list = String.join(",", entries);
            journal.done(planId, step, "parts", list);
        }
        List<Part> out = new ArrayList<>();
        for (String e : list.isEmpty() ? new String[0] : list.split(",")) {
            int colon = e.lastIndexOf(':');
            out.add(new Part(e.substring(0, colon), Long.parseLong(e.substring(colon + 1))));
        }
        return out;
    }

    /** Consecutive groups of parts of about {@link #UNIT_ROWS} rows each. */
    static List<List<Part>> units(List<Part> parts) {
        List<List<Part>> out = new ArrayList<>();
        List<Part> cur = new ArrayList<>();
        long rows = 0;
        for (Part p : parts) {
            if (!cur.isEmpty() && rows + p.rows() > UNIT_ROWS) {
                out.add(cur);
                cur = new ArrayList<>();
                rows = 0;
            }
            cur.add(p);
            rows += p.rows();
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /**
     * The new table must hold at least every row of the previous one: each row of the previous table was copied or
     * passed through a view.
     */
    private void parity(Backfill b, Consumer<String> progress) {
        // ClickHouse writes an insert's block into the table before it pushes it through the views: counted in
        // between, the new table lags by the inserts in flight. Counted with the syncs paused (every insert they
        // began has finished, views included), the two counts are of the same rows
        long before;
        long after;
        Runnable resume = pauses.pause(b.paused());
        try {
            before = count(b.copy().source());
            after = count(b.target());
        } finally {
            resume.run();
        }
        progress.accept("  parity: " + b.copy().source() + " " + before + " rows, " + b.target() + " " + after
                + " rows");
        LOG.info("backfill {}: parity {} {} rows, {} {} rows", b.target(), b.copy().source(), before, b.target(),
                after);
        if (after < before) {
            throw new ApplyException("parity check failed: " + b.target() + " holds fewer rows than "
                    + b.copy().source() + "; the alias stays on the version before", List.of(b.copy().source() + ": "
                    + before + " rows", b.target() + ": " + after + " rows"), "look for rows the mapping refused"
                    + " (`mapping " + b.copy().model() + "`), fix it, then run apply again");
        }
    }

    private long count(String table) {
        return Long.parseLong(ch.scalar("SELECT count() FROM " + sql.t(table) + " FORMAT TabSeparated"));
    }


    /** {@code [#####     ]}: the share done, for the progress line. */
    static String bar(long done, long total) {
        int filled = total <= 0 ? 20 : (int) Math.min(20, done * 20 / total);
        return "[" + "#".repeat(filled) + " ".repeat(20 - filled) + "]";
    }
}
