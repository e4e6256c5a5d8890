package dcm.infra;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash points for the tests that kill the shell mid-way: {@code DCM_FAILPOINT=<name>} (or {@code -Ddcm.failpoint})
 * makes {@link #reached} halt the JVM at once, as a kill -9 would, with exit code 137; {@code <name>@<n>} halts the
 * n-th time the point is reached (to crash in the middle of a run, not at its first step).
 */
public final class Failpoint {
    private static final String SPEC = System.getProperty("dcm.failpoint",
            System.getenv().getOrDefault("DCM_FAILPOINT", ""));
    private static final String ACTIVE = SPEC.contains("@") ? SPEC.substring(0, SPEC.indexOf('@')) : SPEC;
    private static final int NTH = SPEC.contains("@") ? Integer.parseInt(SPEC.substring(SPEC.indexOf('@') + 1)) : 1;
    private static final AtomicInteger SEEN = new AtomicInteger();

    private Failpoint() {}

    /** Halts the JVM when {@code name} is the active failpoint (and this is the n-th time it is reached). */
    public static void reached(String name) {
        if (ACTIVE.equals(name) && SEEN.incrementAndGet() == NTH) {
            System.err.println("failpoint " + name + ": halting");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
