package dcm.sync;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The commit side of one sync: a thread that writes its marks ({@link OffsetMarks}) one at a time and in order, off
 * the inserts' path, so marks complete their batches in order. A landed batch's mark carries, in one request, the
 * intents of the batches queued behind it whose intents are not written yet; a batch completes (its offsets count as
 * committed) only once its mark is confirmed. Also writes commits past skipped records and the landed log's
 * backstop, after the marks asked for before.
 */
final class MarkWriter {
    private final OffsetMarks marks;
    private final BooleanSupplier running;
    private final Consumer<String> error;
    /** Told when a mark could not be written: the batches behind it must not be inserted. */
    private final Runnable failed;
    private final ExecutorService noter;
    private final AtomicBoolean backstopQueued = new AtomicBoolean();
    /** Completes when the last backstop is written and the marks' connection closed. */
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    MarkWriter(String table, OffsetMarks marks, BooleanSupplier running, Consumer<String> error, Runnable failed) {
        this.marks = marks;
        this.running = running;
        this.error = error;
        this.failed = failed;
        this.noter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sync-note-" + table);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Asks for one mark: what landed (may be null) and what may land next (the intents of the given jobs: per
     * partition the furthest offset). The landed job completes once the mark is committed; if it cannot be (the
     * broker away while stopping, the topic gone), it fails, and so do the jobs behind it.
     */
    void note(InsertJob landed, List<InsertJob> intents) {
        if (landed == null && intents.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> intent = new HashMap<>();
        Map<TopicPartition, List<MarkMetadata.Pending>> batches = new HashMap<>();
        CompletableFuture<Void> written = new CompletableFuture<>();
        for (InsertJob j : intents) {
            j.ends().forEach((tp, o) -> {
                intent.merge(tp, o, (a, b) -> a.offset() >= b.offset() ? a : b);
                batches.computeIfAbsent(tp, k -> new java.util.ArrayList<>())
                        .add(new MarkMetadata.Pending(j.hash, o.offset(), j.at));
            });
        }
        Runnable task = () -> {
            try {
                write(landed, intent, batches);
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
                failed.run();
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

    /** Writes one mark, retried while the broker is away. */
    private void write(InsertJob landed, Map<TopicPartition, OffsetAndMetadata> intent,
                       Map<TopicPartition, List<MarkMetadata.Pending>> batches) {
        while (true) {
            try {
                marks.note(landed == null ? Map.of() : landed.ends(), intent, batches);
                return;
            } catch (org.apache.kafka.common.KafkaException e) {
                // the topic was deleted and created again: the old one's offsets must not be committed (the sync
                // reads the new one from its start); its records, in the table or not, are gone with it
                if (!running.getAsBoolean() || marks.topicGone()) {
                    throw e;
                }
                error.accept("commit (will retry): " + e.getMessage());
                BatchInserter.sleep(500);
            }
        }
    }

    /**
     * Commits positions past records that are never batched (transaction markers), after the marks asked for
     * before; only while no batch is in flight (it carries no landed batch).
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

    /** After the last job: the backstop is written, and the marks' connection closed, after what was asked before. */
    void finish() {
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
    }

    /** Waits (at most {@code ms}) until {@link #finish()} wrote the last backstop. */
    void awaitFinished(long ms) {
        try {
            finished.get(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // ClickHouse or the broker away while stopping: the marks at the broker stand, the backstop lags
        }
    }

    /**
     * Runs a task on the note thread, after the ones asked for before it; on this thread if the note thread
     * cannot take it (stopped, or out of memory queueing it), so no future is left without its completion.
     */
    void later(Runnable task) {
        try {
            noter.execute(task);
        } catch (Throwable e) {
            task.run();
        }
    }
}
