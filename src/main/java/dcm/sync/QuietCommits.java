package dcm.sync;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a sync writes when it goes quiet (caught up, or paused, with nothing in flight): a commit past records the
 * consumer never hands out (transaction markers, aborted records), or the lag would never reach 0; and the landed
 * log's backstop, brought up to the commits, so offsets the broker forgets later are still known. Both go through
 * the inserter's mark writer: all commits go one way, in order. Used by the consumer thread only.
 */
final class QuietCommits {
    private final BatchInserter inserter;
    private final OffsetMarks marks;
    /** Offsets committed, or asked to be, per partition (shared with the sync). */
    private final Map<TopicPartition, Long> committed;
    /** A commit past skipped records asked of the mark writer, and its offsets. */
    private CompletableFuture<Void> skipping;
    private Map<TopicPartition, OffsetAndMetadata> skippingAt = Map.of();
    /** When the sync, quiet, last asked for the landed log's backstop. */
    private long quietBackstop;

    QuietCommits(BatchInserter inserter, OffsetMarks marks, Map<TopicPartition, Long> committed) {
        this.inserter = inserter;
        this.marks = marks;
        this.committed = committed;
    }

    /** Forgets a commit asked for before a recovery (recovery's commits replace it). */
    void reset() {
        skipping = null;
    }

    /**
     * With nothing polled, batched or in flight, a position beyond what was committed covers only records the
     * consumer never hands out: commit it.
     */
    void commitSkipped(KafkaConsumer<Void, ByteBuffer> consumer) {
        if (skipping != null) {
            if (!skipping.isDone()) {
                return;
            }
            // confirmed: known as committed; failed: asked again below
            if (!skipping.isCompletedExceptionally()) {
                // offsets only grow within one topic: a batch may have landed since
                skippingAt.forEach((tp, o) -> committed.merge(tp, o.offset(), Math::max));
            }
            skipping = null;
        }
        Map<TopicPartition, OffsetAndMetadata> ahead = Partitions.positions(consumer);
        // lower than the last commit only when the topic was deleted and created again: the position counts
        ahead.entrySet().removeIf(e -> e.getValue().offset() == committed.getOrDefault(e.getKey(), -1L));
        if (!ahead.isEmpty()) {
            skippingAt = ahead;
            skipping = inserter.skip(ahead);
        }
    }

    /** Asks for the backstop when the landed log is behind; again a second later if ClickHouse did not take it. */
    void backstop() {
        long now = System.currentTimeMillis();
        if (now - quietBackstop >= 1_000 && marks.behind()) {
            quietBackstop = now;
            inserter.backstop();
        }
    }
}
