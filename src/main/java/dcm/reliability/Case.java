package dcm.reliability;

/**
 * One case of the suite: its name and kind as the table shows them, whether the short form (CI) runs it, and the
 * check that drives the shell and returns the outcome. A check fails by returning {@link Outcome#fail} or by
 * throwing ({@link Failed} for a condition that did not hold; anything else is reported with its message).
 */
public record Case(String name, String kind, boolean inShort, Check check) {
    /** What a case does. */
    @FunctionalInterface
    public interface Check {
        Outcome run() throws Exception;
    }

    /** A condition of a case that did not hold; its message is the evidence. */
    public static final class Failed extends RuntimeException {
        public Failed(String message) {
            super(message);
        }
    }

    /** Fails the case with {@code message} unless {@code condition} holds. */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new Failed(message);
        }
    }
}
