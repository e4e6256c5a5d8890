package dcm.sync;

import dcm.clickhouse.SyncPause;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Whether a sync may hand batches to its inserter, as two kinds of pause say. Paused here ({@code sync pause
 * Model@version}, this process only): the batch being filled goes, then nothing more is polled. Held by a
 * {@link SyncPause} (any process, a backfill): its table's pauses are read through the process's
 * {@link PauseWatch}, and each is acknowledged once nothing is in flight. The consumer thread asks; the pause here
 * is set from any thread.
 */
final class PauseGate {
    private final PauseWatch watch;
    private final SyncPause pauses;
    private final String table;
    /** The sync's lease owner: what a pauser waits to see acknowledge. */
    private final String owner;
    private final Consumer<String> error;
    /** Made after the lease was taken: the first look reads the pauses afresh (see {@link PauseWatch#of}). */
    private final long since = System.nanoTime();
    /** The pauses of the table as last read (kept when a read fails: ClickHouse away holds the inserts anyway). */
    private volatile List<SyncPause.Paused> standing = List.of();
    private final Set<String> acknowledged = new HashSet<>();
    private volatile boolean pausedHere;
    private final Object monitor = new Object();

    PauseGate(PauseWatch watch, SyncPause pauses, String table, String owner, Consumer<String> error) {
        this.watch = watch;
        this.pauses = pauses;
        this.table = table;
        this.owner = owner;
        this.error = error;
    }

    boolean pausedHere() {
        return pausedHere;
    }

    void pauseHere() {
        pausedHere = true;
    }

    /** Resumes at once (a paused sync waits on the monitor, not in a sleep it would finish first). */
    void resumeHere() {
        synchronized (monitor) {
            pausedHere = false;
            monitor.notifyAll();
        }
    }

    /** Waits {@code ms} while paused here or held (less when resumed here). */
    void await(long ms) {
        synchronized (monitor) {
            try {
                if (pausedHere || !standing.isEmpty()) {
                    monitor.wait(ms);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether a pause of the table stands (read at most {@value PauseWatch#EVERY_MS} ms ago). */
    boolean paused() {
        try {
            standing = watch.of(table, since);
        } catch (RuntimeException e) {
            error.accept("pause check (will retry): " + e.getMessage());
        }
        return !standing.isEmpty();
    }

    /** The pauses that hold the sync now, as last read (for status). */
    List<SyncPause.Paused> standing() {
        return standing;
    }

    /**
     * Acknowledges the standing pauses not acknowledged yet. Only once every batch handed over landed and was
     * committed: a pauser goes on as soon as it sees this. A failed write is tried again at the next call.
     */
    void acknowledge() {
        List<String> fresh = standing.stream().map(SyncPause.Paused::id).filter(id -> !acknowledged.contains(id))
                .toList();
        if (fresh.isEmpty()) {
            return;
        }
        try {
            pauses.acknowledge(table, fresh, owner);
            acknowledged.addAll(fresh);
        } catch (RuntimeException e) {
            error.accept("pause acknowledgement (will retry): " + e.getMessage());
        }
    }
}
