package dcm.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.config.BrokerConfig;
import dcm.kafka.KafkaClients;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Produces validated batches to their topics all-or-nothing, with group commit: the batches that wait when a
 * producer becomes free go together in one Kafka transaction (each batch whole; a group closes on records, bytes or
 * {@link Settings#lingerMicros}), and each is acknowledged only when its group committed. A lone batch never waits
 * for company when a producer is free (a group forms while the others commit). Several transactional producers
 * commit groups side by side. The batches waiting (queued or in a group being committed) are bounded in count and
 * bytes: past the bound {@link #submit} refuses with {@link Overloaded}.
 */
public final class Ingestor implements AutoCloseable {
    /**
     * How groups form.
     *
     * @param producers         transactional producers, each committing its own groups
     * @param maxGroupRecords   a group closes when the next batch would take it past this many records
     * @param maxGroupBytes     ... or past this many bytes (a larger batch still goes, alone)
     * @param lingerMicros      how long a group waits for more batches once it has one (0: it takes those waiting),
     *                          while requests come together (the last group held several)
     * @param lingerAlways      the group waits the whole linger even when the last group held one batch, or when
     *                          no batch came for a while (tests forming exact groups); otherwise a lone request
     *                          never waits, and a group closes after a gap of {@link #GAP_NANOS}
     * @param maxWaitingBatches batches waiting or committing at most; more are refused ({@link Overloaded})
     * @param maxWaitingBytes   ... and their bytes at most (a batch larger than this alone is still taken)
     */
    public record Settings(int producers, int maxGroupRecords, long maxGroupBytes, long lingerMicros,
                           boolean lingerAlways, int maxWaitingBatches, long maxWaitingBytes) {
        /** The settings the shell uses, with {@code producers} producers. */
        public static Settings of(int producers) {
            return new Settings(producers, 50_000, 16L << 20, LINGER_MICROS, false, 20_000, 128L << 20);
        }
    }

    /** The linger while requests come together (measured: docs/ingest-throughput.md). */
    static final long LINGER_MICROS = Long.getLong("dcm.ingest.lingerMicros", 2_000);

    /**
     * ... and it closes once no batch came for this long since the last one (those that came together are in):
     * the clients answered by the last commit are back within it (measured: docs/ingest-throughput.md).
     */
    static final long GAP_NANOS = Long.getLong("dcm.ingest.gapMicros", 300) * 1000;

    /** How long a batch may wait queued (no producer free) before it fails as not sent. */
    public static final long QUEUED_MILLIS = 30_000;

    /** Too many batches wait for the broker already: nothing of this one was sent; retry after a moment. */
    public static final class Overloaded extends IllegalStateException {
        public Overloaded(String message) {
            super(message);
        }
    }

    /** The broker may or may not have committed a transaction. */
    public static final class OutcomeUnknown extends IllegalStateException {
        public OutcomeUnknown(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A record larger than the producer sends in one request: refused before its batch joins a group (nothing of
     * the batch sent), so it cannot fail the requests it would have shared a transaction with.
     */
    public static final class RecordTooLarge extends IllegalArgumentException {
        private final int record;
        private final long bytes;

        public RecordTooLarge(int record, long bytes, long limit) {
            super("record " + record + " is " + bytes + " bytes, over the " + limit + " bytes one record may take"
                    + " (the producer's max.request.size less room for its framing); nothing of this request was"
                    + " sent: send smaller records");
            this.record = record;
            this.bytes = bytes;
        }

        /** The record's index in its batch (from 0). */
        public int record() {
            return record;
        }

        /** The record's size as the producer would send it (key, value, header), without the framing. */
        public long bytes() {
            return bytes;
        }
    }

    /** A batch waiting for its group's outcome. */
    static final class Pending {
        final Batch batch;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Pending(Batch batch) {
            this.batch = batch;
        }
    }

    private final Settings settings;
    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    /** Held by the producer forming a group, so groups take the queue's batches in order, each whole. */
    private final ReentrantLock forming = new ReentrantLock();
    /** The batches of the last group formed (guarded by {@link #forming}). */
    private int lastGroup;
    private final Object room = new Object();
    private int waiting;
    private long waitingBytes;
    private final List<GroupWorker> workers = new ArrayList<>();
    /** The producer's bounds: a group's commit time (a waiter's bound past the queue), a record's size. */
    private final ProducerLimits limits;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong groups = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong grouped = new java.util.concurrent.atomic.AtomicLong();

    public Ingestor(BrokerConfig config, int producers) {
        this(config, Settings.of(producers));
    }

    /** Starts the producers (each initializes its transactions first: a broker that is away fails here). */
    public Ingestor(BrokerConfig config, Settings settings) {
        this.settings = settings;
        this.limits = ProducerLimits.of(new KafkaClients(config).transactionalProperties("limits"));
        String prefix = "dcm-ingest-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try {
            for (int i = 0; i < settings.producers(); i++) {
                workers.add(new GroupWorker(this, config, prefix + i));
            }
        } catch (RuntimeException e) {
            workers.forEach(GroupWorker::close);
            throw e;
        }
        workers.forEach(GroupWorker::start);
    }

    /** Sends the records to {@code topic} all-or-nothing; returns when the broker committed them. */
    public void send(String topic, Schema schema, List<ObjectNode> records) {
        send(Batch.of(topic, schema, records));
    }

    /**
     * Sends the batch, waiting for room when many wait already; returns when its group committed. A batch no
     * producer took within 30 s (the broker is away) fails as not sent.
     */
    public void send(Batch batch) {
        await(enqueue(batch, true).done, QUEUED_MILLIS);
    }

    /**
     * Queues the batch for the next group; the future completes when its group committed, or fails with the
     * reason ({@link OutcomeUnknown} when the commit's outcome is unknown). Refuses at once with {@link Overloaded}
     * when the waiting batches are at their bound, and with {@link RecordTooLarge} when a record is larger than the
     * producer sends (nothing of the batch sent, no group failed for it).
     */
    public CompletableFuture<Void> submit(Batch batch) {
        return enqueue(batch, false).done;
    }

    /**
     * Waits for the outcome of a {@link #submit submitted} batch, never longer than {@code timeoutMillis} while it
     * is still queued (then it is taken out and fails as not sent) plus the time a group's commit can take (then
     * {@link OutcomeUnknown}). Interrupted, it fails as not sent when the batch could still be taken out of the
     * queue, else with {@link OutcomeUnknown} (its group may commit it); the interrupt stays set.
     */
    public void await(CompletableFuture<Void> submitted, long timeoutMillis) {
        await(submitted, timeoutMillis, limits.commitMillis());
    }

    void await(CompletableFuture<Void> submitted, long timeoutMillis, long commitMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long end = deadline + TimeUnit.MILLISECONDS.toNanos(commitMillis);
        try {
            while (true) {
                long now = System.nanoTime();
                // queued at first; once taken by a group (or put back by one forming), looked at every second
                long slice = now < deadline ? deadline - now : Math.min(end - now, TimeUnit.SECONDS.toNanos(1));
                try {
                    submitted.get(Math.max(0, slice), TimeUnit.NANOSECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (System.nanoTime() - deadline >= 0 && takeOut(submitted)) {
                        throw new IllegalStateException("no producer was free for " + timeoutMillis / 1000 + " s;"
                                + " nothing of this request was sent");
                    }
                    if (System.nanoTime() - end >= 0) {
                        throw new OutcomeUnknown("the broker did not end the commit of these records within "
                                + (timeoutMillis + commitMillis) / 1000 + " s; they may or may not have been"
                                + " accepted: check before sending them again", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (takeOut(submitted)) {
                throw new IllegalStateException("interrupted before the records were sent; nothing of this request"
                        + " was sent", e);
            }
            throw new OutcomeUnknown("interrupted while the records were being committed; they may or may not have"
                    + " been accepted", e);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    /** Takes the batch out of the queue if it is still there (no group holds it): true when it was. */
    private boolean takeOut(CompletableFuture<Void> submitted) {
        Pending p = queue.stream().filter(q -> q.done == submitted).findFirst().orElse(null);
        if (p != null && queue.remove(p)) {
            release(p);
            return true;
        }
        return false;
    }

    private Pending enqueue(Batch batch, boolean block) {
        if (closed) {
            throw new IllegalStateException("the ingest is shutting down; nothing of this request was sent");
        }
        limits.check(batch);
        synchronized (room) {
            while (waiting > 0 && (waiting >= settings.maxWaitingBatches()
                    || waitingBytes + batch.bytes() > settings.maxWaitingBytes())) {
                if (!block) {
                    throw new Overloaded(waiting + " requests (" + waitingBytes / 1024 + " KiB) wait for the broker"
                            + " already; nothing of this request was sent");
                }
                try {
                    room.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted before the records were sent", e);
                }
            }
            waiting++;
            waitingBytes += batch.bytes();
        }
        Pending p = new Pending(batch);
        queue.add(p);
        if (closed && queue.remove(p)) {
            // closed meanwhile: no producer would take it
            release(p);
            throw new IllegalStateException("the ingest is shutting down; nothing of this request was sent");
        }
        return p;
    }

    /** The batch left the ingest (its group ended, or it was taken out): its room is free. */
    void release(Pending p) {
        synchronized (room) {
            waiting--;
            waitingBytes -= p.batch.bytes();
            room.notifyAll();
        }
    }

    /**
     * The next group, in queue order: the first batch waiting (up to {@code pollMillis} for one), then those
     * behind it while they fit and arrive within the linger. Empty when none came.
     */
    List<Pending> nextGroup(long pollMillis) throws InterruptedException {
        List<Pending> group = new ArrayList<>();
        forming.lockInterruptibly();
        try {
            Pending first = queue.pollFirst(pollMillis, TimeUnit.MILLISECONDS);
            if (first == null) {
                return group;
            }
            group.add(first);
            long lastArrival = System.nanoTime();
            long gap = settings.lingerAlways() ? 0 : GAP_NANOS;
            long records = first.batch.size();
            long bytes = first.batch.bytes();
            // the linger only while requests come together (the last group held several): a lone one never waits
            long deadline = System.nanoTime() + (lastGroup > 1 || settings.lingerAlways()
                    ? settings.lingerMicros() * 1000 : 0);
            while (records < settings.maxGroupRecords() && bytes < settings.maxGroupBytes()) {
                long now = System.nanoTime();
                long left = Math.min(deadline, gap > 0 ? lastArrival + gap : deadline) - now;
                Pending next = left > 0 ? queue.pollFirst(left, TimeUnit.NANOSECONDS) : queue.pollFirst();
                if (next == null) {
                    return group;
                }
                if (records + next.batch.size() > settings.maxGroupRecords()
                        || bytes + next.batch.bytes() > settings.maxGroupBytes()) {
                    queue.addFirst(next);
                    return group;
                }
                group.add(next);
                lastArrival = System.nanoTime();
                records += next.batch.size();
                bytes += next.batch.bytes();
            }
            return group;
        } finally {
            lastGroup = group.size();
            forming.unlock();
        }
    }

    /** Groups committed or failed so far, and the batches they held: how much requests shared transactions. */
    public long[] groups() {
        return new long[] {groups.get(), grouped.get()};
    }

    void ended(List<Pending> group) {
        groups.incrementAndGet();
        grouped.addAndGet(group.size());
    }

    boolean closed() {
        return closed;
    }

    /** Batches waiting or committing now. */
    public int waiting() {
        synchronized (room) {
            return waiting;
        }
    }

    /** Lets the groups being committed finish; the batches still queued fail as not sent. */
    @Override
    public void close() {
        closed = true;
        workers.forEach(GroupWorker::join);
        Pending p;
        while ((p = queue.pollFirst()) != null) {
            release(p);
            p.done.completeExceptionally(new IllegalStateException("the ingest shut down before these records were"
                    + " sent; nothing of them was sent"));
        }
        workers.forEach(GroupWorker::close);
    }
}
