package dcm.sync;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.SyncPause;
import dcm.config.ProjectConfig;
import dcm.core.ModelSpec;
import dcm.ingest.Schema;
import dcm.kafka.Broker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The background topic-to-table syncs of a session: one per model version that has both a table and a topic
 * (both existing). Started by the shell and by {@code serve}, stopped cleanly on exit.
 */
public final class SyncManager implements AutoCloseable {
    /** Records per poll of a sync's consumer ({@code max.poll.records}). */
    public static final int MAX_POLL_RECORDS = 2_000;
    /**
     * One sync's state for {@code sync status} (in {@code --json} only: {@code memoryBytes}, the most the sync may
     * hold in fetch buffers and batches, its share of {@code [sync_config] memory_mb}; {@code largestBatchBytes},
     * the largest batch it inserted so far; {@code tsvRows}, how many of its rows went to ClickHouse as TabSeparated
     * rather than JSONEachRow).
     */
    public record Status(String model, String topic, String table, boolean paused, long rows, double rowsPerSecond,
                         long lag, long deadLetters, String lastError, String recovery, long memoryBytes,
                         long largestBatchBytes, long tsvRows) {}

    private final ProjectConfig config;
    private final ClickHouse ch;
    private final Broker broker;
    private final Map<String, TopicSync> syncs = new LinkedHashMap<>();
    private final Map<String, Thread> threads = new LinkedHashMap<>();
    private final int maxRows;
    private final long maxDelayMs;
    private final List<String> elsewhere = new ArrayList<>();
    /** The pauses in ClickHouse ({@link SyncPause}), read for all syncs of this manager at once. */
    private final PauseWatch pauses;

    public SyncManager(ProjectConfig config, ClickHouse ch, Broker broker, int maxRows, long maxDelayMs) {
        this.config = config;
        this.ch = ch;
        this.broker = broker;
        this.maxRows = maxRows;
        this.maxDelayMs = maxDelayMs;
        this.pauses = new PauseWatch(new SyncPause(ch));
    }

    /** The dead-letter topic of a topic. */
    public static String deadLetterTopic(String topic) {
        return topic + ".dlq";
    }

    /** The consumer group a table's sync commits under. */
    public String group(String table) {
        return dcm.clickhouse.Lease.syncGroup(config.clickhouse().dbName(), table);
    }

    /** Starts syncs for the models whose table and topic exist and that have none yet; returns how many started. */
    public synchronized int start(List<ModelSpec> models) {
        return start(models, Schema::new);
    }

    /**
     * Starts syncs like {@link #start(List)}, validating foreign records against {@code schemas} (with the
     * conversions later versions make of a version's values).
     */
    public synchronized int start(List<ModelSpec> models, java.util.function.Function<ModelSpec, Schema> schemas) {
        Set<String> topics = broker.topicNames();
        Set<String> tables = ch.tableNames();
        int started = 0;
        List<Thread> fresh = new ArrayList<>();
        for (ModelSpec m : models) {
            if (m.table() == null || m.topic() == null || syncs.containsKey(m.ref())
                    || !topics.contains(m.topic().name()) || !tables.contains(m.table().name())) {
                continue;
            }
            String lease = dcm.clickhouse.Lease.syncLease(config.clickhouse().dbName(), m.table().name());
            String owner = dcm.clickhouse.Lease.owner("sync");
            var leases = new dcm.clickhouse.Lease(ch);
            leases.ensure();
            // before the lease: a sync looks at the pauses before its first insert, and they must be there to read
            new SyncPause(ch).ensure();
            var holder = leases.acquire(lease, owner, TopicSync.LEASE_TTL_MS);
            if (holder.isPresent()) {
                // another shell or server already lands this topic: a second sync would insert every row twice
                elsewhere.add(m.ref() + " is synced by " + holder.get().owner());
                continue;
            }
            String dlq = deadLetterTopic(m.topic().name());
            if (!topics.contains(dlq)) {
                broker.createTopic(dlq, 1, config.broker().replicationFactor(), config.broker().retentionMs());
            }
            String topicName = m.topic().name();
            TopicSync sync = new TopicSync(new SyncTarget(topicName, () -> broker.topicId(topicName),
                    m.table().name(), schemas.apply(m), group(m.table().name()), lease, owner), ch, config.broker(),
                    new FlushRule(maxRows, maxDelayMs), SyncBudget.share(budgetBytes(), syncs.size() + 1), pauses);
            Thread t = new Thread(sync, "sync-" + m.table().name());
            t.setDaemon(true);
            syncs.put(m.ref(), sync);
            threads.put(m.ref(), t);
            fresh.add(t);
            started++;
        }
        // every sync's share of the memory budget, now that their number is known (the running ones make a new
        // consumer when their fetch size changes); then the new ones start
        SyncBudget share = SyncBudget.share(budgetBytes(), syncs.size());
        syncs.values().forEach(s -> s.budget(share));
        fresh.forEach(Thread::start);
        return started;
    }

    /**
     * What all syncs of this process may hold together: {@code [sync_config] memory_mb}, and never more than half
     * the heap (a small heap would otherwise run out under a backlog in every sync at once).
     */
    private long budgetBytes() {
        return Math.min((long) config.syncMemoryMb() << 20, Runtime.getRuntime().maxMemory() / 2);
    }

    /** The memory share each sync gets now. */
    public synchronized SyncBudget share() {
        return SyncBudget.share(budgetBytes(), Math.max(1, syncs.size()));
    }

    /** Syncs not started here because another process holds them. */
    public synchronized List<String> elsewhere() {
        return List.copyOf(elsewhere);
    }

    /** A sync another process runs (another shell, or {@code serve}), as its lease in ClickHouse says. */
    public record Remote(String model, String table, String topic, String group, String owner, long lag) {}

    /** The syncs of these models that other processes hold now, with their lag read from the broker. */
    public synchronized List<Remote> remote(List<ModelSpec> models) {
        List<Remote> out = new ArrayList<>();
        for (var held : new dcm.clickhouse.Lease(ch).held("sync:")) {
            if (syncs.values().stream().anyMatch(s -> held.name().equals("sync:" + s.group()))) {
                continue;
            }
            for (ModelSpec m : models) {
                if (m.table() != null && m.topic() != null && held.name().equals("sync:" + group(m.table().name()))) {
                    String g = group(m.table().name());
                    out.add(new Remote(m.ref(), m.table().name(), m.topic().name(), g, held.holder().owner(),
                            lagOf(g, m.topic().name())));
                }
            }
        }
        return out;
    }

    /** What the syncs of these models still have to read, whoever runs them (none running: all is behind). */
    public long behind(List<ModelSpec> models) {
        long total = 0;
        for (ModelSpec m : models) {
            if (m.table() != null && m.topic() != null) {
                total += Math.max(0, lagOf(group(m.table().name()), m.topic().name()));
            }
        }
        return total;
    }

    /** True when a sync runs for this model version ({@code Users@1.0}). */
    public synchronized boolean running(String ref) {
        return syncs.containsKey(ref);
    }

    /** Pauses one sync; false when there is none. */
    public synchronized boolean pause(String ref) {
        TopicSync s = syncs.get(ref);
        if (s != null) {
            s.pause();
        }
        return s != null;
    }

    /** Resumes one sync, or all with null. */
    public synchronized int resume(String ref) {
        int n = 0;
        for (Map.Entry<String, TopicSync> e : syncs.entrySet()) {
            if (ref == null || e.getKey().equals(ref)) {
                e.getValue().resume();
                n++;
            }
        }
        return n;
    }

    /**
     * The pauses that stand ({@link SyncPause}: made by a backfill in any process; not {@link #pause}), each with
     * the syncs that acknowledged it.
     */
    public List<SyncPause.Paused> pauses() {
        return new SyncPause(ch).paused();
    }

    /** Every sync's state. */
    public synchronized List<Status> status() {
        List<Status> out = new ArrayList<>();
        syncs.forEach((ref, s) -> out.add(new Status(ref, s.topic(), s.table(), s.paused(), s.rows(), s.rate(),
                s.lag(), s.deadLetters(), s.lastError(), s.recovery(), s.memoryBytes(),
                s.largestBatch(), s.tsvRows())));
        return out;
    }

    /** Waits until every running (not paused) sync of this process has no lag; false on timeout. */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        return awaitIdle(timeoutMs, List.of());
    }

    /**
     * Waits until every running (not paused) sync of this process, and each of {@code others} (syncs other
     * processes run), has no lag; false on timeout.
     */
    public boolean awaitIdle(long timeoutMs, List<Remote> others) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            List<TopicSync> active;
            synchronized (this) {
                active = syncs.values().stream().filter(s -> !s.paused()).toList();
            }
            boolean idle = active.stream().allMatch(s -> lagOf(s.group(), s.topic()) == 0)
                    && others.stream().allMatch(r -> lagOf(r.group(), r.topic()) == 0);
            if (idle) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** A group's lag on a topic read now from the broker, or -1 while the broker does not answer. */
    private long lagOf(String group, String topic) {
        try {
            return broker.lag(group, topic);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Stops the syncs of model versions not among {@code refs} (a retired version's), each after inserting and
     * committing the batch in hand; returns the versions whose sync stopped.
     */
    public synchronized List<String> stopExcept(Set<String> refs) {
        List<String> stopped = syncs.keySet().stream().filter(r -> !refs.contains(r)).sorted().toList();
        stopped.forEach(r -> syncs.get(r).stop());
        for (String r : stopped) {
            try {
                threads.get(r).join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            syncs.remove(r);
            threads.remove(r);
        }
        return stopped;
    }

    /** Stops every sync: the batch in hand is inserted and committed first. */
    @Override
    public synchronized void close() {
        syncs.values().forEach(TopicSync::stop);
        for (Thread t : threads.values()) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        syncs.clear();
        threads.clear();
        elsewhere.clear();
    }
}
