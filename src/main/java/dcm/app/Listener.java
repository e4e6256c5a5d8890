package dcm.app;

import dcm.core.plan.Plan;

/**
 * How a use case talks to whoever runs it while it works: progress lines, a plan to review before it is applied,
 * questions that need a person, and whether to stop (Ctrl-C). The shell renders; a test records.
 */
public interface Listener {
    /** One progress line, e.g. {@code [2/5] + Users_1_0: age: Int32}. */
    void progress(String line);

    /** The plan about to be applied, shown for review. */
    default void review(Plan plan) {
    }

    /** Asks a person; false when nobody can answer (batch runs). */
    default boolean confirm(String question, String yes) {
        return false;
    }

    /** True once the user asked to stop: long work stops at its next safe point. */
    default boolean stopRequested() {
        return false;
    }
}
