package dcm.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.clickhouse.SyncPause;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamCommandsTest {
    @Test
    void aPauseNoteSaysWhoHoldsTheSyncSinceWhenAndThatApplyResumesIt() {
        assertEquals("A_1_0 paused by apply@h:1:n since 2026-12-01T10:00:00Z (acknowledged by sync@h:2:s): the sync"
                + " into it inserts nothing until the pause is resumed; its records wait in the topic. A backfill"
                + " pauses for seconds: if this stays, the apply that paused it stopped or crashed; run `apply` again,"
                + " it resumes the syncs", StreamCommands.pauseNote(new SyncPause.Paused("A_1_0", "id", "apply@h:1:n",
                1_796_119_200_000L, List.of("sync@h:2:s"))));
    }

    @Test
    void aPauseNoSyncAcknowledgedYetSaysNothingOfAcknowledgements() {
        assertTrue(StreamCommands.pauseNote(new SyncPause.Paused("A_1_0", "id", "x", 0, List.of()))
                .startsWith("A_1_0 paused by x since 1970-01-01T00:00:00Z: the sync into it inserts nothing"));
    }
}
