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
    private final ClickHouse ch;

    public Journal(ClickHouse ch) {
        this.ch = ch;
    }

    private String t(String name) {
        return Sql.table(ch.database(), name);
    }

    /**
     * Creates the database and the internal tables when missing. On a cluster, every replica must answer (DDL ON
     * CLUSTER waits for each), and the database is created on each; the internal tables (journal, objects, leases,
     * pauses) stay on the server this shell talks to: keep every shell of a project pointed at the same one.
     */
    public void ensure() {
        dcm.clickhouse.ClusterCheck.requireReplicas(ch);
        ch.execute("CREATE DATABASE IF NOT EXISTS " + Sql.id(ch.database()) + ch.cluster().on());
        ch.execute("CREATE TABLE IF NOT EXISTS " + t(JOURNAL) + " (plan_id String, step UInt32, item String,"
                + " status String, detail String, at DateTime DEFAULT now()) ENGINE = MergeTree() ORDER BY (plan_id, step)");
        ch.execute("CREATE TABLE IF NOT EXISTS " + t(OBJECTS) + " (name String, kind String, lifecycle String,"
                + " at UInt64) ENGINE = MergeTree() ORDER BY name");
        new dcm.clickhouse.Lease(ch).ensure();
        new dcm.clickhouse.SyncPause(ch).ensure();
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

    /**
     * Operations journaled as they start (rebuilds, backfills, view replacements) that a crash or a failure cut off,
     * oldest first (none when apply never ran here).
     */
    public List<Interrupted> interruptedOperations() {
        if (!ch.tableExists(JOURNAL)) {
            return List.of();
        }
        Rows r = ch.query("SELECT plan_id, step, argMax(detail, at) AS op, count() AS attempts, min(at) AS first FROM "
                + t(JOURNAL) + " WHERE item LIKE 'op#%' GROUP BY plan_id, step ORDER BY first", false);
        List<Interrupted> out = new java.util.ArrayList<>();
        for (List<Object> row : r.rows()) {
            String plan = String.valueOf(row.get(0));
            int step = Integer.parseInt(String.valueOf(row.get(1)));
            long attempts = Long.parseLong(String.valueOf(row.get(3)));
            Set<String> p = progress(plan);
            // an "abandoned" mark counts only for the attempt it was made in
            if (!p.contains(Integer.toString(step)) && !p.contains(step + ":abandoned:" + attempts)) {
                out.add(new Interrupted(plan, step, String.valueOf(row.get(2))));
            }
        }
        return out;
    }

    /**
     * The run of a plan to continue or start: {@code <planId>#<n>}. The same operations can be planned again later
     * (add a column, drop it, add it again); a finished run is never continued, so its steps are not skipped.
     */
    public String run(String planId) {
        Rows r = ch.query("SELECT plan_id, countIf(item = 'complete') AS c FROM " + t(JOURNAL) + " WHERE plan_id LIKE "
                + Sql.str(planId + "#%") + " GROUP BY plan_id", false);
        int last = 0;
        boolean lastComplete = false;
        for (List<Object> row : r.rows()) {
            int n = Integer.parseInt(String.valueOf(row.get(0)).substring(planId.length() + 1));
            if (n > last) {
                last = n;
                lastComplete = !"0".equals(String.valueOf(row.get(1)));
            }
        }
        return planId + "#" + (last == 0 || lastComplete ? last + 1 : last);
    }

    /** The run an apply of the plan would journal under now: {@link #run}, or the first when apply never ran here. */
    public String runFor(String planId) {
        return ch.tableExists(JOURNAL) ? run(planId) : planId + "#1";
    }

    /** True when a run of the plan has started and not finished. */
    public boolean inProgress(String planId) {
        return !progress(run(planId)).isEmpty();
    }

    /** Marks a run finished. */
    public void complete(String runId, int steps) {
        done(runId, steps, "complete", "");
    }

    /** Records who owns an object and under which lifecycle. */
    public void recordObject(String name, String kind, LifeCycle lifeCycle) {
        ch.execute("INSERT INTO " + t(OBJECTS) + " (name, kind, lifecycle, at) VALUES (" + Sql.str(name) + ", "
                + Sql.str(kind) + ", " + Sql.str(lifeCycle.name()) + ", " + stamp() + ")");
    }

    /** Records several objects of one kind and lifecycle at once, in one insert. */
    public void recordObjects(List<String> names, String kind, LifeCycle lifeCycle) {
        if (names.isEmpty()) {
            return;
        }
        StringBuilder values = new StringBuilder();
        for (String name : names) {
            values.append(values.length() == 0 ? "" : ", ").append("(").append(Sql.str(name)).append(", ")
                    .append(Sql.str(kind)).append(", ").append(Sql.str(lifeCycle.name())).append(", ").append(stamp())
                    .append(")");
        }
        ch.execute("INSERT INTO " + t(OBJECTS) + " (name, kind, lifecycle, at) VALUES " + values);
    }

    /** Records that an object was dropped (it is no longer ours to plan). */
    public void forgetObject(String name) {
        ch.execute("INSERT INTO " + t(OBJECTS) + " (name, kind, lifecycle, at) VALUES (" + Sql.str(name)
                + ", 'dropped', '', " + stamp() + ")");
    }

    private static final java.util.concurrent.atomic.AtomicLong LAST_STAMP = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The order of object records: nanoseconds since the epoch, increasing within a process. (System.nanoTime has
     * no common origin across hosts; records stamped with it before are smaller, so a new record wins.)
     */
    static long stamp() {
        java.time.Instant now = java.time.Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return LAST_STAMP.updateAndGet(last -> Math.max(last + 1, nanos));
    }

    /** The objects dcm created: each one's last recorded lifecycle and kind (dropped ones left out). */
    record Objects(Map<String, LifeCycle> lifecycles, Map<String, String> kinds) {}

    static Objects objects(ClickHouse ch) {
        Rows r = ch.query("SELECT name, argMax(lifecycle, at) AS lc, argMax(kind, at) AS k FROM "
                + Sql.table(ch.database(), OBJECTS) + " GROUP BY name", false);
        Map<String, LifeCycle> lifecycles = new HashMap<>();
        Map<String, String> kinds = new HashMap<>();
        for (List<Object> row : r.rows()) {
            String lc = String.valueOf(row.get(1));
            if (!lc.isEmpty()) {
                lifecycles.put(String.valueOf(row.get(0)), LifeCycle.valueOf(lc));
                kinds.put(String.valueOf(row.get(0)), String.valueOf(row.get(2)));
            }
        }
        return new Objects(lifecycles, kinds);
    }

    static Map<String, LifeCycle> lifecycles(ClickHouse ch) {
        return objects(ch).lifecycles();
    }

    private static final String APPLY_LEASE = "apply";

    /** A lock owner name for this process. */
    public static String owner() {
        return dcm.clickhouse.Lease.owner("apply");
    }

    /** Takes the apply lock: one apply at a time (see {@link dcm.clickhouse.Lease}). */
    public void lock(String owner, long ttlMillis) {
        new dcm.clickhouse.Lease(ch).acquire(APPLY_LEASE, owner, ttlMillis).ifPresent(h -> {
            throw new ApplyException("another apply is running (" + h.owner() + "), lock expires at "
                    + java.time.Instant.ofEpochMilli(h.expiresMillis()), List.of(),
                    "wait for it to finish, or after it crashed, for the lock to expire");
        });
    }

    /** Extends the lock of a long apply. */
    public void refresh(String owner, long ttlMillis) {
        new dcm.clickhouse.Lease(ch).refresh(APPLY_LEASE, owner, ttlMillis);
    }

    /** Releases the lock. */
    public void unlock(String owner) {
        new dcm.clickhouse.Lease(ch).release(APPLY_LEASE, owner);
    }
}
