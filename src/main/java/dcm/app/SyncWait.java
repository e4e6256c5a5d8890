package dcm.app;

import dcm.app.AppError.Code;
import dcm.core.ModelSpec;
import dcm.sync.SyncManager;
import java.util.List;

/**
 * {@code sync wait}: waits for the syncs to catch up, wherever they run (this process, another shell, {@code serve}:
 * their leases in ClickHouse say which); with none running anywhere, passes only when nothing is behind.
 */
public final class SyncWait {
    /**
     * How the wait ended well.
     *
     * @param noneRunning no sync runs anywhere and nothing is behind
     * @param elsewhere   how many of the syncs waited for run in other processes
     */
    public record Outcome(boolean noneRunning, int elsewhere) {}

    private SyncWait() {}

    /** Waits up to {@code timeoutSeconds}; SYNCS_BEHIND when it cannot end well. */
    public static Outcome await(SyncManager sync, List<ModelSpec> models, int timeoutSeconds) {
        List<SyncManager.Remote> others = sync.remote(models);
        if (sync.status().isEmpty() && others.isEmpty()) {
            long behind = sync.behind(models);
            if (behind == 0) {
                return new Outcome(true, 0);
            }
            throw new AppError(Code.SYNCS_BEHIND, "no sync runs here or in another process, and records wait in the"
                    + " topics (lag " + behind + ")", List.of(), "`sync start` here, or run `serve`; `sync status`"
                    + " shows what runs where");
        }
        try {
            if (!sync.awaitIdle(timeoutSeconds * 1000L, others)) {
                throw new AppError(Code.SYNCS_BEHIND, "the syncs still lag after " + timeoutSeconds + " s", List.of(),
                        "`sync status` shows the lag and the last error");
            }
        } catch (InterruptedException e) {
            throw new AppError(Code.SYNCS_BEHIND, "stopped waiting (Ctrl-C); the syncs go on", List.of(),
                    "`sync status` shows their lag");
        }
        return new Outcome(false, others.size());
    }
}
