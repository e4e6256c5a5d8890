package dcm.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.ingest.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The insert side of one sync: a thread that inserts the polled batches into the table one after the other, in
 * the order they were polled, while the consumer polls the next ones. Around each insert the sync's progress is
 * marked ({@link OffsetMarks}: commits at the broker): an "intent" (this batch may be about to land) before it,
 * and once it landed a commit past it; a batch's future completes only once that commit is confirmed.
 *
 * <p>The marks are written by a second thread, off the inserts' path: the commit past batch N carries, in one
 * request, the intents of the batches queued behind N whose intents are not written yet, while N+1 is already
 * being inserted (its intent usually went with N's predecessor's commit). A batch is never inserted before its
 * intent is written, so after a crash the marks still bound what may be duplicated: the batches with an intent and
 * no commit past them (the one being inserted, the one before it if its commit was still being written, and one
 * queued), reported as possible duplicates.
 *
 * <p>After a failed batch the later ones are skipped, not inserted (their offsets are never committed: they are
 * read again), until {@link #reset()}.
 */
final class BatchInserter {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A batch handed over for insertion, with the offsets that follow it (committed once it landed). */
    static final class Job {
        private final RowBatch polled;
        private final Map<TopicPartition, OffsetAndMetadata> ends;
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        private RowBatch rows;
        /** This batch as TSV, being converted (null: not asked; a null result: it goes as JSON), and with what. */
        private CompletableFuture<RowBatch> tsv;
        private TsvRows rewrite;
        /** Completes once this batch's intent is committed (insert thread only; null: not asked yet). */
        private CompletableFuture<Void> intent;
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
            dropTsv();
            if (rows != null && rows != polled) {
                rows.release();
            }
            if (polled != null) {
                polled.release();
            }
        }

        /** Starts converting these rows with this rewrite (none: the batch goes as JSON). */
        private void startTsv(TsvStage stage, TsvRows with, RowBatch from) {
            rewrite = with;
            tsv = with == null ? null : stage.convert(with, from);
        }

        /**
         * Drops a conversion not used, once it is done: until then the converter reads this job's rows, which must
         * not go back to the pool before it finished (a few milliseconds).
         */
        private void dropTsv() {
            if (tsv != null) {
                RowBatch converted = null;
                try {
                    converted = tsv.join();
                } catch (RuntimeException e) {
                    // a conversion that failed holds nothing
                }
                if (converted != null) {
                    converted.release();
                }
            }
            tsv = null;
            rewrite = null;
        }

        private void discard() {
            dropTsv();
            if (rows != null) {
                rows.discard();
            }
            if (polled != null) {
                polled.discard();
            }
        }
    }

    private final String topic;
    private final String table;
    private final Schema schema;
    private final ClickHouse ch;
    private final OffsetMarks marks;
    private final DeadLetters deadLetters;
    private final BooleanSupplier running;
    private final Consumer<String> error;
    /** The TSV rewrite of the batches, on a thread of its own: the next batch converts while one is inserted. */
    private final TsvStage tsvStage;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    /** Writes the notes, one at a time and in order (so marks complete their batches in order). */
    private final ExecutorService noter;
    private volatile boolean failed;
    /** An insert of the current job got no answer (insert thread only): its chunks are dropped, not pooled. */
    private boolean unanswered;
    private final java.util.concurrent.atomic.AtomicBoolean backstopQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** Completes when the note thread wrote the last backstop and closed the marks' connection. */
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean stopped;
    final AtomicLong deadLettered = new AtomicLong();
    /** Rows that went as TabSeparated (the others went as JSONEachRow). */
    final AtomicLong tsvRows = new AtomicLong();
    /** Rows sent again after ClickHouse dropped the connection mid-insert: possible duplicates. */
    final AtomicLong resent = new AtomicLong();

    BatchInserter(String topic, String table, Schema schema, ClickHouse ch, OffsetMarks marks, DeadLetters deadLetters,
                  BooleanSupplier running, Consumer<String> error) {
        this.topic = topic;
        this.table = table;
        this.schema = schema;
        this.ch = ch;
        this.marks = marks;
        this.deadLetters = deadLetters;
        this.running = running;
        this.error = error;
        this.tsvStage = new TsvStage(ch, table, schema);
        this.noter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sync-note-" + table);
            t.setDaemon(true);
            return t;
        });
        Thread thread = new Thread(this::loop, "sync-insert-" + table);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a batch; the future gives the rows inserted once the batch landed and its mark is written. */
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

    /**
     * Commits positions past records that are never batched (transaction markers), on the note thread after the
     * marks asked for before; only while no batch is in flight (it carries no landed batch).
     */
    CompletableFuture<Void> skip(Map<TopicPartition, OffsetAndMetadata> positions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        later(() -> {
            try {
                marks.skip(positions);
                done.complete(null);
            } catch (RuntimeException e) {
                // asked again by the consumer thread on its next quiet poll
                error.accept("commit (made again): " + e.getMessage());
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Writes the landed log's backstop now if it is behind (the sync went quiet or pauses); asked again only once
     * the last one was written (a ClickHouse that hangs does not pile them up).
     */
    void backstop() {
        if (backstopQueued.compareAndSet(false, true)) {
            later(() -> {
                try {
                    marks.backstop();
                } finally {
                    backstopQueued.set(false);
                }
            });
        }
    }

    /** After the last job: the backstop is written, and the marks' connection closed, on the note thread. */
    private void finish() {
        later(() -> {
            try {
                marks.backstop();
            } catch (RuntimeException e) {
                error.accept("landed log: " + e.getMessage());
            } finally {
                marks.close();
                finished.complete(null);
            }
        });
        noter.shutdown();
        tsvStage.shutdown();
    }

    /**
     * Waits (at most {@code ms}) until the threads ended after {@link #stop()}: the last backstop is written
     * before the process may exit (the threads are daemons).
     */
    void awaitFinished(long ms) {
        try {
            finished.get(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // ClickHouse or the broker away while stopping: the marks at the broker stand, the backstop lags
        }
    }

    /** Ends the threads after the jobs already queued. */
    void stop() {
        stopped = true;
        queue.add(new Job(null, Map.of()));
    }

    private void loop() {
        while (true) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                finish();
                return;
            }
            if (job.barrier()) {
                // completed (and the failure cleared) after the notes asked for before it: then every earlier job
                // is done, and a mark that fails late cannot mark the batches after the reset as failed
                later(() -> {
                    failed = false;
                    job.done.complete(0);
                });
                if (stopped && queue.isEmpty()) {
                    finish();
                    return;
                }
                continue;
            }
            try {
                insert(job);
            } catch (Throwable e) {
                // an Error too (out of memory while validating, say): the batch fails and is read again, and this
                // thread goes on, so the consumer waiting on the batch is never left waiting for good
                failed = true;
                if (e instanceof Error) {
                    // it may have cut an insert short whose request still reads the chunks: they are not reused
                    unanswered = true;
                }
                Throwable cause = e;
                later(() -> job.done.completeExceptionally(cause));
            } finally {
                if (unanswered) {
                    job.discard();
                } else {
                    job.release();
                }
                unanswered = false;
            }
        }
    }

    /**
     * Inserts one batch once its intent is written (asked for now if it was not yet). Then asks the note thread
     * for its landed mark, together with the intents of the batches queued behind it, and returns at once: the
     * next batch is inserted while that note is written, and this one completes (its offsets may be committed)
     * when its mark is. The batches behind are validated in their own turn, so a slow validation (foreign
     * records, dead letters) never holds back a mark.
     */
    private void insert(Job job) throws InterruptedException, java.util.concurrent.ExecutionException {
        if (failed) {
            throw new IllegalStateException("skipped: an earlier batch failed");
        }
        if (job.intent == null) {
            note(null, List.of(job));
        }
        job.intent.get();
        job.rows = prepare(job.polled);
        if (job.rows != job.polled) {
            // validated into a copy: the polled rows go now, so the TSV rewrite fits in the memory they held
            job.polled.release();
        }
        TsvRows rewrite = tsvStage.current();
        if (job.rewrite != rewrite) {
            // not converted ahead, or with columns read before a refresh: converted now with the current ones
            job.dropTsv();
            job.startTsv(tsvStage, rewrite, job.rows);
        }
        // the next batch converts while this one is inserted (one whose records need validation, once validated)
        Job following = queue.peek();
        if (following != null && !following.barrier() && following.rewrite == null
                && following.polled.foreignRows() == 0) {
            following.startTsv(tsvStage, rewrite, following.polled);
        }
        RowBatch converted = null;
        try {
            converted = job.tsv == null ? null : job.tsv.get();
        } catch (java.util.concurrent.ExecutionException e) {
            // a conversion that failed (a row the parser mishandles, memory): the batch goes as JSON, so one row
            // cannot hold the sync back
            error.accept("TSV conversion (sent as JSON): " + e.getCause());
        }
        job.tsv = null;
        job.inserted = insertRows(job.rows, converted, rewrite);
        dcm.infra.Failpoint.reached("sync-after-data");
        List<Job> ahead = new ArrayList<>();
        for (Job next : queue) {
            if (next.barrier()) {
                break;
            }
            if (next.intent == null) {
                ahead.add(next);
            }
        }
        note(job, ahead);
    }

    /**
     * Asks the note thread for one mark: what landed (may be null) and what may land next (the intents of the
     * given batches: per partition the furthest offset). The landed batch completes once the mark is
     * committed; if it cannot be (the broker away while stopping, the topic gone), it fails, and so do the batches
     * behind it.
     */
    private void note(Job landed, List<Job> intents) {
        if (landed == null && intents.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> intent = new HashMap<>();
        CompletableFuture<Void> written = new CompletableFuture<>();
        for (Job j : intents) {
            j.ends.forEach((tp, o) -> intent.merge(tp, o, (a, b) -> a.offset() >= b.offset() ? a : b));
        }
        Runnable task = () -> {
            try {
                write(landed, intent);
                written.complete(null);
                if (landed != null) {
                    dcm.infra.Failpoint.reached("sync-after-insert");
                    landed.done.complete(landed.inserted);
                    // off the batches' path: they are complete (and the next insert may go) before it is written
                    try {
                        marks.backstopIfDue();
                    } catch (RuntimeException e) {
                        error.accept("landed log (written again later): " + e.getMessage());
                    }
                }
            } catch (Throwable e) {
                failed = true;
                written.completeExceptionally(e);
                if (landed != null) {
                    landed.done.completeExceptionally(e);
                }
            }
        };
        // the futures are handed out only once the task that completes them exists
        intents.forEach(j -> j.intent = written);
        later(task);
    }

    /**
     * Runs a task on the note thread, after the ones asked for before it; on this thread if the note thread
     * cannot take it (stopped, or out of memory queueing it), so no future is left without its completion.
     */
    private void later(Runnable task) {
        try {
            noter.execute(task);
        } catch (Throwable e) {
            task.run();
        }
    }

    /** Writes one mark, retried while the broker is away. */
    private void write(Job landed, Map<TopicPartition, OffsetAndMetadata> intent) {
        while (true) {
            try {
                marks.note(landed == null ? Map.of() : landed.ends, intent);
                return;
            } catch (org.apache.kafka.common.KafkaException e) {
                // the topic was deleted and created again: the old one's offsets must not be committed (the sync
                // reads the new one from its start); its records, in the table or not, are gone with it
                if (!running.getAsBoolean() || marks.topicGone()) {
                    throw e;
                }
                error.accept("commit (will retry): " + e.getMessage());
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
        RowBatch good = polled.emptyLike();
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

    /**
     * Inserts a whole batch: as TabSeparated when every row converts ({@link TsvRows}: less work for ClickHouse),
     * else as its JSON rows. The TSV goes once: whatever ClickHouse answers other than success (a refusal of the
     * data, the server away, too many parts), the batch then goes as JSON, with that path's retries and its split
     * around bad rows, so the TSV path never holds a batch back nor decides what is dead-lettered. Each insert is
     * one block: one ClickHouse refused stored nothing; only a dropped connection leaves it unknown (counted).
     */
    private int insertRows(RowBatch rows, RowBatch converted, TsvRows rewrite) {
        if (rows.isEmpty()) {
            if (converted != null) {
                converted.release();
            }
            return 0;
        }
        if (converted != null) {
            // until ClickHouse answered, the request may still read the chunks (an Error thrown meanwhile too)
            boolean answered = false;
            try {
                ch.insertTabSeparatedWithNames(table, rewrite.columns(), converted.stream(0, converted.rows()));
                answered = true;
                tsvRows.addAndGet(rows.rows());
                return rows.rows();
            } catch (ClickHouseException e) {
                answered = e.answered() || e.unreachable();
                if (InsertErrors.tableMayHaveChanged(e.kind())) {
                    // the table may have changed: its columns are read again before the next batch
                    tsvStage.stale();
                }
                if (InsertErrors.action(e.kind()) == InsertErrors.Action.RETRY_UNSURE) {
                    // no answer: the server may have stored them, and the JSON insert may store them again
                    resent.addAndGet(rows.rows());
                }
            } finally {
                if (answered) {
                    converted.release();
                } else {
                    // a request that got no answer may still be reading the chunks: they are not reused
                    converted.discard();
                }
            }
        }
        return insertAll(rows, 0, rows.rows());
    }

    /** Inserts rows [from, to) as JSON, retrying while ClickHouse is away; splits on a data error to isolate bad rows. */
    private int insertAll(RowBatch rows, int from, int to) {
        if (from >= to) {
            return 0;
        }
        ClickHouseException refused = send(() -> ch.insertJsonEachRow(table, rows.stream(from, to)), to - from);
        if (refused == null) {
            return to - from;
        }
        if (to - from == 1) {
            deadLetter(rows.row(from), "ClickHouse refused it: " + refused.getMessage());
            return 0;
        }
        // a data error: split to find the records the table cannot take
        int mid = (from + to) >>> 1;
        return insertAll(rows, from, mid) + insertAll(rows, mid, to);
    }

    /**
     * Runs one insert of {@code count} rows, again while ClickHouse is away or refuses it for another reason than
     * its data; null once it landed, or the data error it was refused with.
     */
    private ClickHouseException send(Runnable insert, int count) {
        while (true) {
            try {
                insert.run();
                return null;
            } catch (ClickHouseException e) {
                InsertErrors.Action action = InsertErrors.action(e.kind());
                if (action == InsertErrors.Action.SPLIT) {
                    return e;
                }
                if (!running.getAsBoolean()) {
                    throw new IllegalStateException("stopped while ClickHouse refused the batch: " + e.getMessage(), e);
                }
                error.accept("insert (will retry): " + e.getMessage());
                if (action == InsertErrors.Action.RETRY_UNSURE) {
                    // no answer and no refusal: the connection dropped while the server had the rows, and it may
                    // have stored them; sending them again may store them twice (counted, and reported)
                    resent.addAndGet(count);
                    // and that request may still be reading the batch: its chunks are not reused
                    unanswered = true;
                }
                sleep(500);
            }
        }
    }

    private void deadLetter(byte[] value, String reason) {
        deadLetters.send(value, reason);
        deadLettered.incrementAndGet();
        error.accept("dead letter: " + reason);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
