package dcm.sync;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The batches a sync handed to its inserter and not yet saw committed, oldest first, at most
 * {@value TopicSync#PIPELINE}: the one being inserted, the next one waiting (so the inserter never waits for the
 * consumer), and one landed but not yet committed. Completing one records its offsets as committed (the mark
 * writer committed them before it completed). Used by the consumer thread only.
 */
final class InFlight {
    private final ArrayDeque<InsertJob> jobs = new ArrayDeque<>();
    private final BatchInserter inserter;
    /** Offsets committed, or asked to be, per partition (shared with recovery and the skipped-records commit). */
    private final Map<TopicPartition, Long> committed;
    /** Run while waiting on a batch (the lease must be kept meanwhile). */
    private final Runnable waiting;
    /** Run when a batch landed and was committed (a good batch clears errors). */
    private final Runnable landed;
    /** Rows inserted and committed. */
    final AtomicLong rows = new AtomicLong();
    /** The largest batch handed over so far, in bytes (for `sync status --json`). */
    private volatile long largestBatch;

    InFlight(BatchInserter inserter, Map<TopicPartition, Long> committed, Runnable waiting, Runnable landed) {
        this.inserter = inserter;
        this.committed = committed;
        this.waiting = waiting;
        this.landed = landed;
    }

    boolean isEmpty() {
        return jobs.isEmpty();
    }

    long largestBatch() {
        return largestBatch;
    }

    /**
     * Hands a batch to the inserter (waiting for the oldest while {@value TopicSync#PIPELINE} are in flight), so
     * the next batch is polled while this one is inserted; its offsets {@code ends} are committed once it landed.
     */
    void submit(RowBatch batch, Map<TopicPartition, OffsetAndMetadata> ends) {
        largestBatch = Math.max(largestBatch, batch.bytes());
        while (jobs.size() >= TopicSync.PIPELINE) {
            completeOldest();
        }
        jobs.addLast(inserter.submit(batch, ends));
    }

    /** Completes the batches that are done, oldest first. */
    void completeDone() {
        while (!jobs.isEmpty() && jobs.peekFirst().done.isDone()) {
            completeOldest();
        }
    }

    /** Waits for every batch in flight (a batch ClickHouse took is committed before the consumer goes away). */
    void completeAll() {
        while (!jobs.isEmpty()) {
            completeOldest();
        }
    }

    /**
     * Waits for the oldest batch; when it failed, drops it and the later ones uncommitted (the consumer is made
     * again and reads them again) and throws.
     */
    private void completeOldest() {
        InsertJob head = jobs.peekFirst();
        int inserted;
        try {
            while (true) {
                try {
                    inserted = head.done.get(1, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException e) {
                    // a broker or ClickHouse away holds the batch: the lease is kept meanwhile (it expires in 30 s,
                    // and then another shell could take the table while this one still inserts)
                    waiting.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            jobs.clear();
            inserter.reset();
            throw new IllegalStateException("insert failed: " + e.getCause().getMessage(), e.getCause());
        }
        // committed by the mark writer before the batch completed
        head.ends().forEach((tp, o) -> committed.put(tp, o.offset()));
        rows.addAndGet(inserted);
        jobs.removeFirst();
        landed.run();
    }
}
