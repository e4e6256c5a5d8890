package dcm;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way tests wait: poll a condition until it holds, and fail loudly when it does not in time, saying what
 * was waited for, how long, and what was seen last. A test never sleeps and then hopes; and a wait that runs out
 * never lets the test go on as if it had not.
 */
public final class Wait {
    /** The first poll comes this soon after the first look; the pause doubles up to {@link #MAX_POLL_MS}. */
    private static final long MIN_POLL_MS = 5;
    /** Polls are at most this far apart, so a condition that holds is seen within it. */
    private static final long MAX_POLL_MS = 100;

    private Wait() {}

    /**
     * Waits until {@code condition} holds.
     *
     * @param what    what is waited for, as the failure names it ({@code "table D_1_0 created by dev"})
     * @throws AssertionError when it does not hold within {@code timeout}
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition::getAsBoolean, ok -> ok);
    }

    /**
     * Waits until what {@code probe} returns passes {@code ok}, and returns that value. The probe is called once
     * more after the time is up, so a slow last poll cannot make a wait fail that would have passed.
     *
     * @param what    what is waited for, as the failure names it
     * @param timeout how long to wait at most
     * @param probe   what is looked at (a row count, a screen, a list of records)
     * @param ok      when what is seen is what is waited for
     * @return the value that passed
     * @throws AssertionError when none passes within {@code timeout}, with the last value seen
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> ok) {
        Objects.requireNonNull(what, "what");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long pause = MIN_POLL_MS;
        while (true) {
            boolean late = System.nanoTime() - deadline >= 0;
            T seen = probe.get();
            if (ok.test(seen)) {
                return seen;
            }
            if (late) {
                throw new AssertionError("waited " + millis(System.nanoTime() - start) + " (time-out " + timeout
                        + ") for " + what + "; last seen: " + seen);
            }
            try {
                Thread.sleep(Math.max(0, Math.min(pause, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what + "; last seen: " + seen, e);
            }
            pause = Math.min(pause * 2, MAX_POLL_MS);
        }
    }

    private static String millis(long nanos) {
        return nanos / 1_000_000 + " ms";
    }
}
