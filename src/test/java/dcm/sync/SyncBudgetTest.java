package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyncBudgetTest {
    private static final long MIB = 1 << 20;

    /**
     * What one sync holds at most with its share, counted here from what TopicSync and BatchInserter keep: two
     * fetches, the batch being filled, the batches in the pipeline and two copies (the TSV of the batch being
     * inserted and of the next one, or a validated copy), each batch at most its cap plus a last chunk of a
     * quarter of the cap.
     */
    private static long held(SyncBudget b) {
        long batch = b.batchBytes() + b.batchBytes() / 4;
        return 2L * b.fetchBytes() + (1 + TopicSync.PIPELINE + 2) * batch;
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
        for (int syncs = 1; syncs <= 40; syncs++) {
            SyncBudget b = SyncBudget.share(256 * MIB, syncs);
            assertTrue(syncs * held(b) <= 256 * MIB, syncs + " syncs hold " + syncs * held(b) / MIB + " MiB");
            assertEquals(held(b), b.heldBytes(), "what sync status reports");
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
