package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.LifeCycle;
import dcm.core.Rows;
import dcm.core.Sql;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What apply records in ClickHouse: each finished step of each plan (so a crashed or failed apply continues where it
 * stopped and never repeats work), the lifecycle of each object it created, and the apply lock.
 */
public final class Journal {
    static final String JOURNAL = "_dcm_journal";
    static final String OBJECTS = "_dcm_objects";
    static final String LOCK = "_dcm_lock";
    private final ClickHouse ch;

    public Journal(ClickHouse ch) {
        this.ch = ch;
    }

    private String t(String name) {
        return Sql.table(ch.database(), name);
    }

    /** Creates the database and the internal tables when missing. */
    public void ensure() {
        ch.execute("CREATE DATABASE IF NOT EXISTS " + Sql.id(ch.database()));
        ch.execute("CREATE TABLE IF NOT EXISTS " + t(JOURNAL) + " (plan_id String, step UInt32, item String,"
                + " status String, detail String, at DateTime DEFAULT now()) ENGINE = MergeTree() ORDER BY (plan_id, step)");
        ch.execute("CREATE TABLE IF NOT EXISTS " + t(OBJECTS) + " (name String, kind String, lifecycle String,"
                + " at UInt64) ENGINE = MergeTree() ORDER BY name");
        ch.execute("CREATE TABLE IF NOT EXISTS " + t(LOCK) + " (owner String, ver UInt64, expires UInt64,"
                + " released UInt8) ENGINE = MergeTree() ORDER BY owner");
    }

    /** Records one finished step (or a sub-item of it, such as a copied part). */
    public void done(String planId, int step, String item, String detail) {
        ch.execute("INSERT INTO " + t(JOURNAL) + " (plan_id, step, item, status, detail) VALUES (" + Sql.str(planId)
                + ", " + step + ", " + Sql.str(item) + ", 'done', " + Sql.str(detail) + ")");
    }

    /** The steps of a plan already done (item empty), and their done sub-items as "step:item". */
    public Set<String> progress(String planId) {
        Rows r = ch.query("SELECT step, item FROM " + t(JOURNAL) + " WHERE plan_id = " + Sql.str(planId)
                + " AND status = 'done'", false);
        Set<String> out = new HashSet<>();
        for (List<Object> row : r.rows()) {
            String item = String.valueOf(row.get(1));
            out.add(item.isEmpty() ? String.valueOf(row.get(0)) : row.get(0) + ":" + item);
        }
        return out;
    }

    /** A rebuild step that recorded its operation but neither finished nor was abandoned. */
    public record Interrupted(String planId, int step, String op) {}

    /** Rebuilds cut off by a crash or a failure, oldest first (none when apply never ran here). */
    public List<Interrupted> interruptedRebuilds() {
        Rows exists = ch.query("SELECT count() AS n FROM system.tables WHERE database = " + Sql.str(ch.database())
                + " AND name = " + Sql.str(JOURNAL), false);
        if ("0".equals(String.valueOf(exists.get(0, "n")))) {
            return List.of();
        }
        Rows r = ch.query("SELECT plan_id, step, argMax(detail, at) AS op, min(at) AS first FROM " + t(JOURNAL)
                + " WHERE item = 'op' GROUP BY plan_id, step ORDER BY first", false);
        List<Interrupted> out = new java.util.ArrayList<>();
        for (List<Object> row : r.rows()) {
            String plan = String.valueOf(row.get(0));
            int step = Integer.parseInt(String.valueOf(row.get(1)));
            Set<String> p = progress(plan);
            if (!p.contains(Integer.toString(step)) && !p.contains(step + ":abandoned")) {
                out.add(new Interrupted(plan, step, String.valueOf(row.get(2))));
            }
        }
        return out;
    }

    /** True when any step of the plan was journaled. */
    public boolean started(String planId) {
        return !progress(planId).isEmpty();
    }

    /** Records who owns an object and under which lifecycle. */
    public void recordObject(String name, String kind, LifeCycle lifeCycle) {
        ch.execute("INSERT INTO " + t(OBJECTS) + " (name, kind, lifecycle, at) VALUES (" + Sql.str(name) + ", "
                + Sql.str(kind) + ", " + Sql.str(lifeCycle.name()) + ", " + System.nanoTime() + ")");
    }

    /** Records that an object was dropped (it is no longer ours to plan). */
    public void forgetObject(String name) {
        ch.execute("INSERT INTO " + t(OBJECTS) + " (name, kind, lifecycle, at) VALUES (" + Sql.str(name)
                + ", 'dropped', '', " + System.nanoTime() + ")");
    }

    static Map<String, LifeCycle> lifecycles(ClickHouse ch) {
        Rows r = ch.query("SELECT name, argMax(lifecycle, at) AS lc FROM " + Sql.table(ch.database(), OBJECTS)
                + " GROUP BY name", false);
        Map<String, LifeCycle> out = new HashMap<>();
        for (List<Object> row : r.rows()) {
            String lc = String.valueOf(row.get(1));
            if (!lc.isEmpty()) {
                out.put(String.valueOf(row.get(0)), LifeCycle.valueOf(lc));
            }
        }
        return out;
    }

    /** A lock owner name: host and pid (so a crashed owner on this host can be recognised) and a nonce. */
    public static String owner() {
        return "apply@" + host() + ":" + ProcessHandle.current().pid() + ":"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /**
     * Takes the apply lock: one apply at a time. ClickHouse has no compare-and-set, so every contender writes a row
     * and the oldest unexpired, unreleased one wins; the others withdraw. A holder on this host whose process is
     * gone (a crashed apply) is released at once instead of blocking until its lock expires.
     */
    public void lock(String owner, long ttlMillis) {
        long ver = System.currentTimeMillis() * 1000 + (System.nanoTime() % 1000);
        ch.execute("INSERT INTO " + t(LOCK) + " VALUES (" + Sql.str(owner) + ", " + ver + ", "
                + (System.currentTimeMillis() + ttlMillis) + ", 0)");
        for (int attempt = 0; attempt < 3; attempt++) {
            Rows r = ch.query("SELECT owner, min(ver) AS v, max(expires) AS e FROM " + t(LOCK) + " GROUP BY owner"
                    + " HAVING max(released) = 0 AND e > " + System.currentTimeMillis() + " ORDER BY v LIMIT 1", false);
            String winner = r.size() == 0 ? owner : String.valueOf(r.get(0, "owner"));
            if (winner.equals(owner)) {
                return;
            }
            if (crashedHere(winner)) {
                unlock(winner);
                continue;
            }
            unlock(owner);
            long expires = Long.parseLong(String.valueOf(r.get(0, "e")));
            throw new ApplyException("another apply is running (" + winner + "), lock expires at "
                    + java.time.Instant.ofEpochMilli(expires), List.of(),
                    "wait for it to finish, or after it crashed, for the lock to expire");
        }
        throw new ApplyException("could not take the apply lock", List.of(), "run apply again");
    }

    private static boolean crashedHere(String owner) {
        String[] parts = owner.split("[@:]");
        if (parts.length < 3 || !parts[1].equals(host())) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(parts[2])).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Extends the lock of a long apply. */
    public void refresh(String owner, long ttlMillis) {
        ch.execute("INSERT INTO " + t(LOCK) + " VALUES (" + Sql.str(owner) + ", " + Long.MAX_VALUE + ", "
                + (System.currentTimeMillis() + ttlMillis) + ", 0)");
    }

    /** Releases the lock. */
    public void unlock(String owner) {
        ch.execute("INSERT INTO " + t(LOCK) + " VALUES (" + Sql.str(owner) + ", 0, 0, 1)");
    }
}
