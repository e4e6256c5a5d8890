package dcm.sync;

import dcm.clickhouse.ClickHouse;
import dcm.ingest.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The insert side of one sync: a thread that inserts the polled batches into the table one after the other, in
 * the order they were polled, while the consumer polls the next ones. Its parts: the {@link EncodeStage} checks
 * and encodes the next batch meanwhile, the {@link RowSink} sends a batch (retries, splits, rejects) and the
 * {@link MarkWriter} commits around each insert: an "intent" (this batch may be about to land) before it, and once
 * it landed a commit past it; a batch's future completes only once that commit is confirmed.
 *
 * <p>A batch is never inserted before its intent is written (usually with its predecessor's commit), and the
 * intent names its inserts' query id ({@link InsertJob#queryId()}), so after a crash the restarted sync asks the
 * query log which of the batches with an intent and no commit past them landed ({@link QueryLogCheck}): those
 * are not inserted again.
 *
 * <p>After a failed batch the later ones are skipped, not inserted (their offsets are never committed: they are
 * read again), until {@link #reset()}.
 */
final class BatchInserter {
    private final DeadLetters deadLetters;
    private final Consumer<String> error;
    private final EncodeStage stage;
    private final RowSink sink;
    private final MarkWriter writer;
    private final LinkedBlockingQueue<InsertJob> queue = new LinkedBlockingQueue<>();
    private volatile boolean failed;
    private volatile boolean stopped;
    private final AtomicLong deadLettered = new AtomicLong();
    /** The id of the topic read (in each batch's hash). */
    private final java.util.function.Supplier<String> topicId;
    /** This run's random id and its batches' count (in each batch's hash: see {@link InsertJob#hash}). */
    private final String run = Long.toHexString(new java.security.SecureRandom().nextLong());
    private long batches;

    BatchInserter(String topic, String table, Schema schema, ClickHouse ch, OffsetMarks marks, DeadLetters deadLetters,
                  java.util.function.Supplier<String> topicId, BooleanSupplier running, Consumer<String> error) {
        this.topicId = topicId;
        this.deadLetters = deadLetters;
        this.error = error;
        this.stage = new EncodeStage(ch, table, schema, new RecordValidator(topic, schema));
        this.sink = new RowSink(ch, table, schema.model().name(), this::deadLetter, running, error, stage::stale);
        this.writer = new MarkWriter(table, marks, running, error, () -> failed = true);
        Thread thread = new Thread(this::loop, "sync-insert-" + table);
        thread.setDaemon(true);
        thread.start();
    }

    long deadLettered() {
        return deadLettered.get();
    }

    long tsvRows() {
        return sink.tsvRows.get();
    }

    long resent() {
        return sink.resent.get();
    }

    /** Queues a batch; the job's future gives the rows inserted once the batch landed and its mark is written. */
    InsertJob submit(RowBatch batch, Map<TopicPartition, OffsetAndMetadata> ends) {
        InsertJob job = new InsertJob(batch, ends, InsertJob.hash(topicId.get(), run, batches++, ends));
        queue.add(job);
        return job;
    }

    /** Waits until every job queued so far is done (failed ones included), then accepts batches again. */
    void reset() {
        InsertJob barrier = InsertJob.barrier();
        queue.add(barrier);
        try {
            barrier.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // a barrier cannot fail
        }
    }

    /** See {@link MarkWriter#skip}. */
    CompletableFuture<Void> skip(Map<TopicPartition, OffsetAndMetadata> positions) {
        return writer.skip(positions);
    }

    /** See {@link MarkWriter#backstop}. */
    void backstop() {
        writer.backstop();
    }

    /**
     * Waits (at most {@code ms}) until the threads ended after {@link #stop()}: the last backstop is written
     * before the process may exit (the threads are daemons).
     */
    void awaitFinished(long ms) {
        writer.awaitFinished(ms);
    }

    /** Ends the threads after the jobs already queued. */
    void stop() {
        stopped = true;
        queue.add(InsertJob.barrier());
    }

    private void finish() {
        writer.finish();
        stage.shutdown();
    }

    private void loop() {
        while (true) {
            InsertJob job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                finish();
                return;
            }
            if (job.isBarrier()) {
                // completed (and the failure cleared) after the marks asked for before it: then every earlier job
                // is done, and a mark that fails late cannot mark the batches after the reset as failed
                writer.later(() -> {
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
                    sink.unanswered();
                }
                Throwable cause = e;
                writer.later(() -> job.done.completeExceptionally(cause));
            } finally {
                if (sink.takeUnanswered()) {
                    job.discard();
                } else {
                    job.release();
                }
            }
        }
    }

    /**
     * Inserts one batch once its intent is written (asked for now if it was not yet). Then asks the mark writer for
     * its landed mark, together with the intents of the batches queued behind it, and returns at once: the next
     * batch is inserted while that mark is written, and this one completes (its offsets may be committed) when its
     * mark is. The batches behind are checked in their own turn, so a slow check never holds back a mark.
     */
    private void insert(InsertJob job) throws Throwable {
        if (failed) {
            throw new IllegalStateException("skipped: an earlier batch failed");
        }
        if (job.intent == null) {
            writer.note(null, List.of(job));
        }
        job.intent.get();
        // a crash here: the intent names the batch, the query log has no insert of it (it is inserted again)
        dcm.infra.Failpoint.reached("sync-before-insert");
        BatchEncoder encoder = stage.current();
        if (job.encoder != encoder) {
            // not started ahead, or with columns read before a refresh: encoded now with the current ones
            job.dropEncoded();
            stage.start(job, encoder);
        }
        // the next batch is checked and encoded while this one is inserted
        InsertJob following = queue.peek();
        if (following != null && !following.isBarrier() && !following.started()) {
            stage.start(following, encoder);
        }
        RecordValidator.Checked checked;
        try {
            checked = job.checked.get();
        } catch (ExecutionException e) {
            throw e.getCause();
        }
        RowBatch encoded = null;
        try {
            encoded = job.encoded == null ? null : job.encoded.get();
        } catch (ExecutionException e) {
            // an encoding that failed (a row the parser mishandles, memory): the batch goes as JSON, so one row
            // cannot hold the sync back
            error.accept("TSV conversion (sent as JSON): " + e.getCause());
        }
        job.encoded = null;
        checked.rejects().forEach(r -> deadLetter(List.of(r.value()), r.reason()));
        job.inserted = sink.insert(checked.rows(), encoded, encoder, job.hash, job.at);
        dcm.infra.Failpoint.reached("sync-after-data");
        List<InsertJob> ahead = new ArrayList<>();
        for (InsertJob next : queue) {
            if (next.isBarrier()) {
                break;
            }
            if (next.intent == null) {
                ahead.add(next);
            }
        }
        writer.note(job, ahead);
    }

    /** Sends records to the dead letters with one reason (shown as the sync's last dead letter). */
    private void deadLetter(List<byte[]> values, String reason) {
        deadLetters.sendAll(values, reason);
        deadLettered.addAndGet(values.size());
        error.accept("dead letter: " + (values.size() == 1 ? "" : values.size() + " records: ") + reason);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
