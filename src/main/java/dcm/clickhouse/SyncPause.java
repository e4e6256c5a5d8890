package dcm.clickhouse;

import dcm.core.Rows;
import dcm.core.Sql;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Pauses the topic-to-table syncs writing into given tables, in every process, and knows when they obey. A pause
 * is a row in ClickHouse ({@code _dcm_pauses}); every sync reads its table's pauses before it hands over a batch
 * (and every {@code ~150 ms} while it waits), lets the batches already handed over land and be committed, then
 * writes an acknowledgement naming its lease owner and inserts nothing until every pause of its table is resumed.
 * {@link #pause} returns once every sync that holds the sync lease of one of the tables ({@link Lease#syncLease})
 * acknowledged; a sync that takes a lease later reads the pause before its first insert.
 *
 * <p>A pause is persistent: a pauser that crashes leaves the syncs paused (nothing is lost: the records wait in
 * their topic) until someone {@link #resume resumes} the tables. ClickHouse 18.16 has no updates, so every change
 * is a row ({@code pause}, {@code ack}, {@code resume}) and a pause stands while it has no {@code resume} row.
 */
public final class SyncPause {
    static final String TABLE = "_dcm_pauses";
    /** How often {@link #pause} looks for the acknowledgements. */
    private static final long POLL_MS = 25;
    /** The server stops a look at the pauses that takes longer (a sync must not hang on it). */
    private static final int QUERY_LIMIT_SECONDS = 5;
    private final ClickHouse ch;

    public SyncPause(ClickHouse ch) {
        this.ch = ch;
    }

    /** A pause that stands: its table, id, who paused, since when (epoch ms), the syncs that acknowledged it. */
    public record Paused(String table, String id, String pauser, long sinceMillis, List<String> acknowledgedBy) {
        /** {@code "Users_1_0 paused by apply@host:12:ab since 2026-12-01T10:00:00Z"}. */
        public String describe() {
            return table + " paused by " + pauser + " since "
                    + Instant.ofEpochMilli(sinceMillis).truncatedTo(ChronoUnit.SECONDS);
        }
    }

    /** Thrown when a sync did not acknowledge a pause in time (the pause was resumed before). */
    public static final class NotAcknowledged extends IllegalStateException {
        private final Map<String, String> syncs;

        NotAcknowledged(String message, Map<String, String> syncs) {
            super(message);
            this.syncs = Map.copyOf(syncs);
        }

        /** The syncs that did not acknowledge: table to the owner of its sync lease. */
        public Map<String, String> syncs() {
            return syncs;
        }
    }

    /** A pause made by {@link #pause}: {@link #resume()} (or {@link #close()}) ends it, once or more. */
    public final class Pause implements AutoCloseable {
        private final String id;
        private final List<String> tables;
        private final AtomicBoolean resumed = new AtomicBoolean();

        private Pause(String id, List<String> tables) {
            this.id = id;
            this.tables = List.copyOf(tables);
        }

        public String id() {
            return id;
        }

        public List<String> tables() {
            return tables;
        }

        /** Lets the syncs insert again (idempotent). */
        public void resume() {
            if (resumed.compareAndSet(false, true)) {
                write(tables, id, "resume", "");
            }
        }

        @Override
        public void close() {
            resume();
        }
    }

    private String t() {
        return Sql.table(ch.database(), TABLE);
    }

    /** Creates the table when missing (the database must exist). */
    public void ensure() {
        ch.execute("CREATE TABLE IF NOT EXISTS " + t() + " (" + Sql.id("tbl") + " String, " + Sql.id("pause_id")
                + " String, " + Sql.id("kind") + " String, " + Sql.id("who") + " String, " + Sql.id("at")
                + " UInt64) ENGINE = MergeTree() ORDER BY (" + Sql.id("tbl") + ", " + Sql.id("pause_id") + ")");
    }

    /**
     * Pauses the syncs writing into {@code tables} and waits until each one that holds a table's sync lease has
     * acknowledged (no insert in flight, none started until resumed); a table no sync holds needs none.
     *
     * @param owner            who pauses, as status shows it ({@link Lease#owner})
     * @param ackTimeoutMillis how long to wait for the acknowledgements
     * @throws NotAcknowledged when a sync did not acknowledge in time: the pause is resumed first
     */
    public Pause pause(List<String> tables, String owner, long ackTimeoutMillis) {
        ensure();
        Pause pause = new Pause(UUID.randomUUID().toString(), tables);
        write(tables, pause.id, "pause", owner);
        long deadline = System.currentTimeMillis() + ackTimeoutMillis;
        try {
            while (true) {
                Map<String, String> missing = unacknowledged(holders(tables), acks(pause.id));
                if (missing.isEmpty()) {
                    return pause;
                }
                if (System.currentTimeMillis() >= deadline) {
                    throw new NotAcknowledged(timeoutMessage(missing, ackTimeoutMillis), missing);
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pause.resume();
            throw new IllegalStateException("interrupted while pausing the syncs of " + tables
                    + " (the pause is resumed)", e);
        } catch (RuntimeException e) {
            // no pause outlives a pauser that gave up on it (if ClickHouse is away, `resume` clears it later)
            try {
                pause.resume();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** Resumes every pause of these tables, whoever made it (after a pauser crashed); returns how many. */
    public int resume(List<String> tables) {
        if (!ch.tableExists(TABLE)) {
            return 0;
        }
        Set<String> wanted = new HashSet<>(tables);
        List<Paused> standing = paused().stream().filter(p -> wanted.contains(p.table())).toList();
        for (Paused p : standing) {
            write(List.of(p.table()), p.id(), "resume", "");
        }
        return standing.size();
    }

    /** Every pause that stands, oldest first; empty when none was ever made. */
    public List<Paused> paused() {
        return ch.tableExists(TABLE) ? standing() : List.of();
    }

    /**
     * Every pause that stands, oldest first (the table must exist: a sync reads this every ~150 ms, without the
     * extra look at system.tables).
     */
    public List<Paused> standing() {
        String kind = Sql.id("kind");
        Rows r = ch.query("SELECT " + Sql.id("tbl") + ", " + Sql.id("pause_id") + ", anyIf(" + Sql.id("who") + ", "
                + kind + " = 'pause') AS " + Sql.id("pauser") + ", minIf(" + Sql.id("at") + ", " + kind
                + " = 'pause') AS " + Sql.id("since") + ", groupArrayIf(" + Sql.id("who") + ", " + kind + " = 'ack')"
                + " AS " + Sql.id("acks") + " FROM " + t() + " GROUP BY " + Sql.id("tbl") + ", " + Sql.id("pause_id")
                + " HAVING countIf(" + kind + " = 'pause') > 0 AND countIf(" + kind + " = 'resume') = 0 ORDER BY "
                + Sql.id("since") + ", " + Sql.id("tbl"), false, QUERY_LIMIT_SECONDS);
        List<Paused> out = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            List<String> acks = ((List<?>) row.get(4)).stream().map(String::valueOf).distinct().toList();
            out.add(new Paused(String.valueOf(row.get(0)), String.valueOf(row.get(1)), String.valueOf(row.get(2)),
                    Long.parseLong(String.valueOf(row.get(3))), acks));
        }
        return out;
    }

    /** A sync acknowledges these pauses of its table: nothing is in flight, and it inserts nothing until resumed. */
    public void acknowledge(String table, Collection<String> pauseIds, String syncOwner) {
        for (String id : pauseIds) {
            write(List.of(table), id, "ack", syncOwner);
        }
    }

    /** The owner of each table's sync lease, for the tables some sync holds now. */
    private Map<String, String> holders(List<String> tables) {
        Map<String, String> byLease = new LinkedHashMap<>();
        for (Lease.Held h : new Lease(ch).held("sync:")) {
            byLease.put(h.name(), h.holder().owner());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String table : tables) {
            String owner = byLease.get(Lease.syncLease(ch.database(), table));
            if (owner != null) {
                out.put(table, owner);
            }
        }
        return out;
    }

    /** The acknowledgements of one pause, as {@link #ackKey}s. */
    private Set<String> acks(String pauseId) {
        Rows r = ch.query("SELECT " + Sql.id("tbl") + ", " + Sql.id("who") + " FROM " + t() + " WHERE "
                + Sql.id("pause_id") + " = " + Sql.str(pauseId) + " AND " + Sql.id("kind") + " = 'ack'", false,
                QUERY_LIMIT_SECONDS);
        return r.rows().stream().map(row -> ackKey(String.valueOf(row.get(0)), String.valueOf(row.get(1))))
                .collect(Collectors.toSet());
    }

    static String ackKey(String table, String sync) {
        return table + "\t" + sync;
    }

    /**
     * The tables whose sync has not acknowledged: of {@code holders} (table to the owner of its sync lease), those
     * without an acknowledgement by that very owner among {@code acks} ({@link #ackKey}s): a sync that took over
     * the lease since must acknowledge itself.
     */
    static Map<String, String> unacknowledged(Map<String, String> holders, Set<String> acks) {
        Map<String, String> out = new LinkedHashMap<>();
        holders.forEach((table, owner) -> {
            if (!acks.contains(ackKey(table, owner))) {
                out.put(table, owner);
            }
        });
        return out;
    }

    static String timeoutMessage(Map<String, String> missing, long timeoutMillis) {
        String which = missing.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return "the sync" + (missing.size() == 1 ? "" : "s") + " of " + which + " did not acknowledge the pause within "
                + timeoutMillis + " ms (an insert may be stuck, or that process hangs); nothing stays paused. See"
                + " `sync status` in that process, stop it if it hangs (its lease then expires within 30 s), and"
                + " try again";
    }

    /** One row per table, all in one insert. */
    private void write(List<String> tables, String pauseId, String kind, String who) {
        if (tables.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        String values = tables.stream().map(table -> "(" + Sql.str(table) + ", " + Sql.str(pauseId) + ", "
                + Sql.str(kind) + ", " + Sql.str(who) + ", " + now + ")").collect(Collectors.joining(", "));
        ch.execute("INSERT INTO " + t() + " (" + Sql.id("tbl") + ", " + Sql.id("pause_id") + ", " + Sql.id("kind")
                + ", " + Sql.id("who") + ", " + Sql.id("at") + ") VALUES " + values);
    }
}
