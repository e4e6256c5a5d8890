package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlushRuleTest {
    private final FlushRule rule = new FlushRule(100_000, 200);
    private static final long CAP = 16L << 20;

    @Test
    void fullAtTheRowLimitOrTheMemoryCap() {
        assertFalse(rule.full(99_999, CAP - 1, CAP));
        assertTrue(rule.full(100_000, 10, CAP));
        assertTrue(rule.full(1, CAP, CAP));
    }

    @Test
    void anEmptyBatchIsNeverDue() {
        assertFalse(rule.due(0, 0, CAP, 10_000, true, true, true));
    }

    @Test
    void dueWhenFullOldOrPaused() {
        assertTrue(rule.due(100_000, 1, CAP, 0, false, false, false), "full");
        assertTrue(rule.due(10, CAP, CAP, 0, false, false, false), "at its cap");
        assertTrue(rule.due(10, 100, CAP, 200, false, false, false), "as old as the delay");
        assertFalse(rule.due(10, 100, CAP, 199, false, false, false), "younger, busy topic, inserter busy");
        assertTrue(rule.due(10, 100, CAP, 0, true, false, false), "paused");
    }

    @Test
    void caughtUpWaitsAQuarterOfTheDelay() {
        assertFalse(rule.due(10, 100, CAP, 49, false, true, false));
        assertTrue(rule.due(10, 100, CAP, 50, false, true, false));
    }

    @Test
    void anIdleInserterTakesAQuarterBatchAtOnce() {
        assertTrue(rule.due(25_000, 100, CAP, 0, false, false, true));
        assertFalse(rule.due(24_999, 100, CAP, 0, false, false, true));
        assertFalse(rule.due(25_000, 100, CAP, 0, false, false, false), "the inserter is busy: it fills on");
    }
}
