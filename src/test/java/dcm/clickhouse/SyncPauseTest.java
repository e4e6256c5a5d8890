package dcm.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncPauseTest {
    @Test
    void aTableNoSyncHoldsNeedsNoAcknowledgement() {
        assertEquals(Map.of(), SyncPause.unacknowledged(Map.of(), Set.of()));
    }

    @Test
    void eachHolderMustHaveAcknowledgedItself() {
        Map<String, String> holders = Map.of("A_1_0", "sync@h:1:a", "B_1_0", "sync@h:2:b");
        assertEquals(Map.of("B_1_0", "sync@h:2:b"),
                SyncPause.unacknowledged(holders, Set.of(SyncPause.ackKey("A_1_0", "sync@h:1:a"))));
        // a sync that took the lease over since must acknowledge itself: its predecessor's word does not count
        Map<String, String> a = Map.of("A_1_0", "sync@h:1:a");
        assertEquals(a, SyncPause.unacknowledged(a, Set.of(SyncPause.ackKey("A_1_0", "sync@h:9:old"))));
        // nor does an acknowledgement for another table
        assertEquals(a, SyncPause.unacknowledged(a, Set.of(SyncPause.ackKey("B_1_0", "sync@h:1:a"))));
    }

    @Test
    void theTimeoutNamesEachSyncAndWhatToDo() {
        String m = SyncPause.timeoutMessage(Map.of("A_1_0", "sync@h:1:a"), 2000);
        assertEquals("the sync of A_1_0 (sync@h:1:a) did not acknowledge the pause within 2000 ms (an insert may be"
                + " stuck, or that process hangs); nothing stays paused. See `sync status` in that process, stop it if"
                + " it hangs (its lease then expires within 30 s), and try again", m);
        java.util.Map<String, String> two = new java.util.LinkedHashMap<>();
        two.put("A", "x");
        two.put("B", "y");
        assertTrue(SyncPause.timeoutMessage(two, 1).startsWith("the syncs of A (x), B (y) did not"));
    }

    @Test
    void aPauseDescribesItselfWithItsPauserAndSinceWhen() {
        assertEquals("A_1_0 paused by apply@h:1:n since 2026-12-01T10:00:00Z",
                new SyncPause.Paused("A_1_0", "id", "apply@h:1:n", 1_796_119_200_123L, List.of()).describe());
    }

    @Test
    void theSyncLeaseNamesTheTablesGroup() {
        assertEquals("dcm-sync.local.A_1_0", Lease.syncGroup("local", "A_1_0"));
        assertEquals("sync:dcm-sync.local.A_1_0", Lease.syncLease("local", "A_1_0"));
    }
}
