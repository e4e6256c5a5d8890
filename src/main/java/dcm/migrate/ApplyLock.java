package dcm.migrate;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The apply lock held for one apply or recovery: taken at once (or an error naming the holder), kept alive by a
 * heartbeat while long steps (a mutation, a rebuild) run, released on close. One apply at a time, across processes.
 */
final class ApplyLock implements AutoCloseable {
    private static final long TTL_MS = 10 * 60_000;
    private final Journal journal;
    private final String owner = Journal.owner();
    private final ScheduledExecutorService heartbeat;

    ApplyLock(Journal journal) {
        this.journal = journal;
        journal.lock(owner, TTL_MS);
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apply-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                journal.refresh(owner, TTL_MS);
            } catch (RuntimeException e) {
                // ClickHouse away: the next beat tries again; the lock lasts TTL_MS
            }
        }, TTL_MS / 4, TTL_MS / 4, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        journal.unlock(owner);
    }
}
