package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.SyncPause;
import java.util.List;

/** The sync pauses apply uses (see {@link Backfiller.SyncPauses}): {@link SyncPause}, across processes. */
final class SyncPauses {
    /** How long the syncs have to acknowledge: each finishes the inserts it already started (seconds at most). */
    static final long ACK_TIMEOUT_MS = 60_000;

    private SyncPauses() {}

    static Backfiller.SyncPauses of(ClickHouse ch) {
        SyncPause pauses = new SyncPause(ch);
        return new Backfiller.SyncPauses() {
            public Runnable pause(List<String> tables) {
                try {
                    SyncPause.Pause p = pauses.pause(tables, Journal.owner(), ACK_TIMEOUT_MS);
                    return p::resume;
                } catch (SyncPause.NotAcknowledged e) {
                    throw new ApplyException(e.getMessage(), e.syncs().entrySet().stream()
                            .map(s -> s.getKey() + ": " + s.getValue()).toList(), "run apply again once that sync"
                            + " answers: nothing was changed");
                }
            }

            public void resume(List<String> tables) {
                pauses.resume(tables);
            }
        };
    }
}
