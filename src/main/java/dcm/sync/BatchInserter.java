package dcm.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.ingest.Schema;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The insert side of one sync: a thread that inserts the polled batches into the table one after the other, in
 * the order they were polled, while the consumer polls the next ones. Around each insert it notes in the landed
 * log what is about to land (intent) and what landed; a batch's future completes only once its landed note is
 * written, and only then are its offsets committed. The landed note of a batch and the intent of the one queued
 * behind it go in a single insert, so a busy sync writes one note per batch, not two (each is a part on the
 * server, and under load a note cost as much as the batch's own insert).
 *
 * <p>After a failed batch the later ones are skipped, not inserted (their offsets are never committed: they are
 * read again), until {@link #reset()}.
 */
final class BatchInserter {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * ClickHouse codes that mean "this data does not fit" (cannot parse, type mismatch, bad value): only those
     * split a batch to dead-letter its bad rows. Anything else (server away, table briefly missing during a
     * rebuild's swap, too many parts, memory) is retried with the batch as it is.
     */
    private static final Set<Integer> DATA_ERRORS = Set.of(6, 26, 27, 32, 38, 41, 53, 69, 70, 72, 117, 130, 131,
            321, 349, 377);

    /** A batch handed over for insertion, with the offsets that follow it (committed once it landed). */
    static final class Job {
        private final RowBatch polled;
        private final Map<TopicPartition, OffsetAndMetadata> ends;
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        private RowBatch rows;
        private boolean intentNoted;
        private int inserted;

        private Job(RowBatch polled, Map<TopicPartition, OffsetAndMetadata> ends) {
            this.polled = polled;
            this.ends = ends;
        }

        Map<TopicPartition, OffsetAndMetadata> ends() {
            return ends;
        }

        private boolean barrier() {
            return polled == null;
        }

        private void release() {
            if (rows != null && rows != polled) {
                rows.release();
            }
            if (polled != null) {
                polled.release();
            }
        }
    }

    private final String topic;
    private final String table;
    private final Schema schema;
    private final ClickHouse ch;
    private final LandedLog landedLog;
    private final DeadLetters deadLetters;
    private final BooleanSupplier running;
    private final Consumer<String> error;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private volatile boolean failed;
    private volatile boolean stopped;
    /** The job behind the current one, taken from the queue to share its note (insert thread only). */
    private Job taken;
    final AtomicLong deadLettered = new AtomicLong();
    /** Rows sent again after ClickHouse dropped the connection mid-insert: possible duplicates. */
    final AtomicLong resent = new AtomicLong();

    BatchInserter(String topic, String table, Schema schema, ClickHouse ch, LandedLog landedLog, DeadLetters deadLetters,
                  BooleanSupplier running, Consumer<String> error) {
        this.topic = topic;
        this.table = table;
        this.schema = schema;
        this.ch = ch;
        this.landedLog = landedLog;
        this.deadLetters = deadLetters;
        this.running = running;
        this.error = error;
        Thread thread = new Thread(this::loop, "sync-insert-" + table);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a batch; the future gives the rows inserted once the batch landed and its note is written. */
    Job submit(RowBatch batch, Map<TopicPartition, OffsetAndMetadata> ends) {
        Job job = new Job(batch, ends);
        queue.add(job);
        return job;
    }

    /** Waits until every job queued so far is done (failed ones included), then accepts batches again. */
    void reset() {
        Job barrier = new Job(null, Map.of());
        queue.add(barrier);
        try {
            barrier.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException ignored) {
            // a barrier cannot fail
        }
    }

    /** Ends the thread after the jobs already queued. */
    void stop() {
        stopped = true;
        queue.add(new Job(null, Map.of()));
    }

    private void loop() {
        Job carried = null;
        while (true) {
            Job job;
            try {
                job = carried != null ? carried : queue.take();
            } catch (InterruptedException e) {
                return;
            }
            carried = null;
            if (job.barrier()) {
                failed = false;
                job.done.complete(0);
                if (stopped && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            try {
                carried = insert(job);
            } catch (Throwable e) {
                // an Error too (out of memory while validating, say): the batch fails and is read again, and this
                // thread goes on, so the consumer waiting on the batch is never left waiting for good
                failed = true;
                job.done.completeExceptionally(e);
                // taken from the queue to share this one's note: read again, like this one
                fail(taken);
            } finally {
                taken = null;
                job.release();
            }
        }
    }

    private static void fail(Job job) {
        if (job != null) {
            job.done.completeExceptionally(new IllegalStateException("skipped: an earlier batch failed"));
            job.release();
        }
    }

    /**
     * Inserts one batch, its intent already noted or noted now. Then one note says that it landed and that the
     * batch queued behind it (taken now) is about to be inserted; only then does this batch complete (its offsets
     * may be committed). The batch behind is validated in its own turn, after that note, so a slow validation
     * (foreign records, dead letters) never holds back this batch's landed mark. Returns the batch taken, if any.
     */
    private Job insert(Job job) {
        if (failed) {
            throw new IllegalStateException("skipped: an earlier batch failed");
        }
        if (!job.intentNoted) {
            note(null, job);
        }
        job.rows = prepare(job.polled);
        job.inserted = insertAll(job.rows, 0, job.rows.rows());
        dcm.infra.Failpoint.reached("sync-after-data");
        Job next = queue.peek();
        if (next != null && !next.barrier()) {
            taken = queue.poll();
        } else {
            next = null;
        }
        note(job, next);
        landed(job);
        if (next != null) {
            next.intentNoted = true;
        }
        return next;
    }

    /** A batch whose landed mark is written: its offsets may be committed. */
    private static void landed(Job job) {
        dcm.infra.Failpoint.reached("sync-after-insert");
        job.done.complete(job.inserted);
    }

    /** One note: what landed (may be null) and what is about to (may be null), retried while ClickHouse is away. */
    private void note(Job landed, Job intent) {
        if (landed == null && intent == null) {
            return;
        }
        while (true) {
            try {
                landedLog.note(landed == null ? Map.of() : landed.ends, landed == null ? 0 : landed.inserted,
                        intent == null ? Map.of() : intent.ends, intent == null ? 0 : intent.polled.rows());
                return;
            } catch (ClickHouseException e) {
                if (!running.getAsBoolean()) {
                    throw e;
                }
                error.accept("landed log (will retry): " + e.getMessage());
                sleep(500);
            }
        }
    }

    /**
     * The rows to insert: records our own ingest produced for this schema (tagged with its fingerprint) go as they
     * are; others are validated here, and those that do not fit go to the dead-letter topic.
     */
    private RowBatch prepare(RowBatch polled) {
        if (polled.foreignRows() == 0) {
            return polled;
        }
        RowBatch good = new RowBatch();
        int next = 0;
        for (int i = 0; i < polled.rows(); i++) {
            byte[] row = polled.row(i);
            if (next >= polled.foreignRows() || polled.foreignRow(next) != i) {
                good.add(row);
                continue;
            }
            String origin = " (from " + topic + "/" + polled.foreignPartition(next) + "@" + polled.foreignOffset(next) + ")";
            next++;
            try {
                JsonNode n = JSON.readTree(row);
                if (n == null) {
                    throw new java.io.IOException("empty record");
                }
                good.add(schema.validate(n, 0).toString().getBytes(StandardCharsets.UTF_8));
            } catch (Schema.InvalidRecord e) {
                deadLetter(row, (e.problem().field() == null ? e.problem().reason()
                        : "field '" + e.problem().field() + "': " + e.problem().reason()) + origin);
            } catch (java.io.IOException | RuntimeException e) {
                deadLetter(row, "not JSON: " + e.getMessage() + origin);
            }
        }
        return good;
    }

    /** Inserts rows [from, to), retrying while ClickHouse is away; splits on a data error to isolate bad rows. */
    private int insertAll(RowBatch rows, int from, int to) {
        if (from >= to) {
            return 0;
        }
        while (true) {
            try {
                ch.insertJsonEachRow(table, rows.stream(from, to));
                return to - from;
            } catch (ClickHouseException e) {
                if (!DATA_ERRORS.contains(e.code())) {
                    if (!running.getAsBoolean()) {
                        throw new IllegalStateException("stopped while ClickHouse refused the batch: " + e.getMessage(), e);
                    }
                    error.accept("insert (will retry): " + e.getMessage());
                    if (e.code() == 0) {
                        // no answer and no refusal: the connection dropped while the server had the rows, and it may
                        // have stored them; sending them again may store them twice (counted, and reported)
                        resent.addAndGet(to - from);
                    }
                    sleep(500);
                    continue;
                }
                if (to - from == 1) {
                    deadLetter(rows.row(from), "ClickHouse refused it: " + e.getMessage());
                    return 0;
                }
                // a data error: split to find the records the table cannot take
                int mid = (from + to) >>> 1;
                return insertAll(rows, from, mid) + insertAll(rows, mid, to);
            }
        }
    }

    private void deadLetter(byte[] value, String reason) {
        deadLetters.send(value, reason);
        deadLettered.incrementAndGet();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
