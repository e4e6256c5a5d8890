package dcm.sync;

import dcm.clickhouse.SyncPause;
import java.util.List;

/**
 * The pauses that stand ({@link SyncPause}), as last read, shared by all syncs of a process: one small query every
 * {@value #EVERY_MS} ms at most however many syncs run (each of them looks before every batch it hands over and
 * while it waits; a query per sync would cost ClickHouse a query per sync that often).
 */
final class PauseWatch {
    /** A reading older than this is read again. */
    static final long EVERY_MS = 150;
    private final SyncPause pauses;
    /** The last reading and when its query was sent ({@link System#nanoTime()}; null: none yet). */
    private List<SyncPause.Paused> seen;
    private long seenAt;

    PauseWatch(SyncPause pauses) {
        this.pauses = pauses;
    }

    /**
     * The pauses of {@code table} as read by a query sent after {@code notBefore} ({@link System#nanoTime()}) and
     * at most {@value #EVERY_MS} ms ago; read again when the last reading is not. A sync passes the time it took
     * its lease: a pauser that saw no sync holding the lease had written its pause before, so the sync's first
     * look sees it.
     *
     * @throws RuntimeException when ClickHouse does not answer
     */
    synchronized List<SyncPause.Paused> of(String table, long notBefore) {
        long now = System.nanoTime();
        if (!fresh(seen != null, seenAt, notBefore, now)) {
            List<SyncPause.Paused> read = pauses.standing();
            seen = read;
            seenAt = now;
        }
        return seen.stream().filter(p -> p.table().equals(table)).toList();
    }

    /**
     * Whether a reading (if {@code any}) whose query was sent at {@code at} serves a look at {@code now} that needs
     * one sent after {@code notBefore}.
     */
    static boolean fresh(boolean any, long at, long notBefore, long now) {
        return any && at - notBefore > 0 && now - at < EVERY_MS * 1_000_000;
    }
}
