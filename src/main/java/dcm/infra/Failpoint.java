package dcm.infra;

/**
 * Crash points for the tests that kill the shell mid-way: {@code DCM_FAILPOINT=<name>} (or {@code -Ddcm.failpoint})
 * makes {@link #reached} halt the JVM at once, as a kill -9 would, with exit code 137.
 */
public final class Failpoint {
    private static final String ACTIVE = System.getProperty("dcm.failpoint",
            System.getenv().getOrDefault("DCM_FAILPOINT", ""));

    private Failpoint() {}

    /** Halts the JVM when {@code name} is the active failpoint. */
    public static void reached(String name) {
        if (ACTIVE.equals(name)) {
            System.err.println("failpoint " + name + ": halting");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
