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
    /** The hash naming its inserts in the query log (see {@link #queryId()}); empty for a barrier. */
    final String hash;
    /** When it was handed over (epoch seconds): a query log kept since before then holds its inserts. */
    final long at = System.currentTimeMillis() / 1000;
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

    InsertJob(RowBatch polled, Map<TopicPartition, OffsetAndMetadata> ends, String hash) {
        this.polled = polled;
        this.ends = ends;
        this.hash = hash;
    }

    /** A job that carries no batch: it completes once the jobs before it are done. */
    static InsertJob barrier() {
        return new InsertJob(null, Map.of(), "");
    }

    /** The prefix of every sync insert's query id. */
    static final String QUERY_ID_PREFIX = "dcm-sync-";

    /**
     * The query id its inserts of all its rows run under ({@code dcm-sync-<hash>}; a part of them, split around
     * bad rows, under {@code dcm-sync-<hash>-<from>-<to>}): named in its intent, so that after a crash the query
     * log tells whether it landed.
     */
    String queryId() {
        return queryId(hash);
    }

    static String queryId(String hash) {
        return QUERY_ID_PREFIX + hash;
    }

    /**
     * The hash of a batch: SHA-256 (its first 24 hex digits) of what it holds (the topic's id, and per partition the
     * offset after its last record) and of the run of the sync that read it (a random id, and the batch's number in
     * that run): never the same for two batches, even when the same offsets are read again (after a reset or a
     * restart, when the query log still holds the earlier insert of those offsets).
     */
    static String hash(String topicId, String run, long seq, Map<TopicPartition, OffsetAndMetadata> ends) {
        StringBuilder b = new StringBuilder(topicId).append('|').append(run).append('|').append(seq);
        ends.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().offset()).sorted()
                .forEach(e -> b.append('|').append(e));
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
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
