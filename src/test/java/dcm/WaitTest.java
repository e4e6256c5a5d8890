package dcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The waiting helper returns what it waited for, and fails loudly when it does not come. */
class WaitTest {
    @Test
    void returnsTheFirstValueThatPasses() {
        AtomicInteger polls = new AtomicInteger();
        assertEquals(3, Wait.until("three polls", Duration.ofSeconds(10), polls::incrementAndGet, n -> n >= 3));
    }

    @Test
    void failsWithWhatItWaitedForHowLongAndWhatItSawLast() {
        AtomicInteger polls = new AtomicInteger();
        long t0 = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> Wait.until("a count of 1000",
                Duration.ofMillis(300), polls::incrementAndGet, n -> n >= 1000));
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waited >= 300, "gave up early: " + waited + " ms");
        assertTrue(e.getMessage().matches("waited \\d+ ms \\(time-out PT0\\.3S\\) for a count of 1000; last seen: "
                + polls.get()), e.getMessage());
        assertThrows(AssertionError.class, () -> Wait.until("never", Duration.ZERO, () -> false));
    }
}
