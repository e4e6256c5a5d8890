package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PauseWatchTest {
    private static final long MS = 1_000_000;

    @Test
    void aRecentReadingServesLooksThatNeedOneAfterAnEarlierTime() {
        assertTrue(PauseWatch.fresh(true, 1_000 * MS, 900 * MS, 1_100 * MS));
    }

    @Test
    void noReadingYetIsRead() {
        assertFalse(PauseWatch.fresh(false, 1_000 * MS, 900 * MS, 1_001 * MS));
    }

    @Test
    void aReadingOlderThanItsIntervalIsReadAgain() {
        assertFalse(PauseWatch.fresh(true, 1_000 * MS, 900 * MS, (1_000 + PauseWatch.EVERY_MS) * MS));
    }

    @Test
    void aSyncThatTookItsLeaseAfterTheReadingReadsAgain() {
        // a pauser that saw no sync holding the lease wrote its pause before the lease was taken: only a query sent
        // after that is sure to see it
        assertFalse(PauseWatch.fresh(true, 1_000 * MS, 1_000 * MS, 1_001 * MS));
        assertFalse(PauseWatch.fresh(true, 1_000 * MS, 1_050 * MS, 1_060 * MS));
    }
}
