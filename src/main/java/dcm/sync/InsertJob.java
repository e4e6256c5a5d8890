package dcm.sync;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A batch handed to the inserter, with the offsets that follow it (committed once it landed), and what is made of
 * it on the way: its checked rows (validated where they came from other producers) and its encoding, both made on
 * the converter thread ahead of its insert, and its intent (committed before its insert).
 */
final class InsertJob {
    private final RowBatch polled;
    private final Map<TopicPartition, OffsetAndMetadata> ends;
    /** Completes with the rows inserted once the batch landed and its commit is written. */
    final CompletableFuture<Integer> done = new CompletableFuture<>();
    /** The rows to insert and the rejected ones (null: not asked yet; insert thread only). */
    CompletableFuture<RecordValidator.Checked> checked;
    /** The checked rows encoded (null: not asked; a null result: they go as JSON), and by what. */
    CompletableFuture<RowBatch> encoded;
    BatchEncoder encoder;
    /** Completes once this batch's intent is committed (insert thread only; null: not asked yet). */
    CompletableFuture<Void> intent;
    /** The rows that landed (set before {@link #done} completes). */
    int inserted;

    InsertJob(RowBatch polled, Map<TopicPartition, OffsetAndMetadata> ends) {
        this.polled = polled;
        this.ends = ends;
    }

    /** A job that carries no batch: it completes once the jobs before it are done. */
    static InsertJob barrier() {
        return new InsertJob(null, Map.of());
    }

    boolean isBarrier() {
        return polled == null;
    }

    RowBatch polled() {
        return polled;
    }

    Map<TopicPartition, OffsetAndMetadata> ends() {
        return ends;
    }

    /** Whether its rows are being checked and encoded, or already are. */
    boolean started() {
        return encoded != null || checked != null;
    }

    /**
     * Drops an encoding not used, once it is done: until then the converter reads this job's rows, which must not
     * go back to the pool before it finished (a few milliseconds).
     */
    void dropEncoded() {
        RowBatch rows = checkedRows();
        if (encoded != null) {
            RowBatch made = join(encoded);
            if (made != null && made != rows) {
                made.release();
            }
        }
        encoded = null;
        encoder = null;
    }

    /** The checked rows once they are there (waiting for them), or null when none were made. */
    private RowBatch checkedRows() {
        RecordValidator.Checked c = checked == null ? null : join(checked);
        return c == null ? null : c.rows();
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (RuntimeException e) {
            // one that failed holds nothing
            return null;
        }
    }

    /** Gives the job's memory back for reuse, once the converter is done with it. */
    void release() {
        dropEncoded();
        RowBatch rows = checkedRows();
        if (rows != null && rows != polled) {
            rows.release();
        }
        if (polled != null) {
            polled.release();
        }
    }

    /** Drops the job's memory without reuse: a request that got no answer may still read it. */
    void discard() {
        dropEncoded();
        RowBatch rows = checkedRows();
        if (rows != null) {
            rows.discard();
        }
        if (polled != null) {
            polled.discard();
        }
    }
}
