package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyncBudgetTest {
    private static final long MIB = 1 << 20;

    /** What one sync holds at most with its share: its fetch buffers and the batches it may hold at once. */
    private static long held(SyncBudget b) {
        return b.fetchBytes() + SyncBudget.BATCHES_HELD * b.batchBytes();
    }

    @Test
    void aLoneSyncGetsFullSizeFetchesAndBatches() {
        SyncBudget b = SyncBudget.share(256 * MIB, 1);
        assertEquals(32 * MIB, b.fetchBytes());
        assertEquals(16 * MIB, b.partitionFetchBytes());
        assertEquals(16 * MIB, b.batchBytes());
    }

    @Test
    void manySyncsShareTheBudgetInsteadOfGrowingPastIt() {
        for (int syncs = 1; syncs <= 80; syncs++) {
            SyncBudget b = SyncBudget.share(256 * MIB, syncs);
            assertTrue(syncs * held(b) <= 256 * MIB, syncs + " syncs hold " + syncs * held(b) / MIB + " MiB");
            SyncBudget fewer = SyncBudget.share(256 * MIB, Math.max(1, syncs - 1));
            assertTrue(b.batchBytes() <= fewer.batchBytes() && b.fetchBytes() <= fewer.fetchBytes(),
                    "one more sync never gets a larger share");
        }
    }

    @Test
    void aSyncKeepsAFloorToMakeProgress() {
        SyncBudget b = SyncBudget.share(16 * MIB, 1000);
        assertEquals(MIB, b.fetchBytes());
        assertEquals(MIB, b.partitionFetchBytes());
        assertEquals(256 * 1024, b.batchBytes());
    }
}
