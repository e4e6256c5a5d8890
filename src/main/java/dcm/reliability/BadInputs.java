package dcm.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A group of bad-input cases over the suite's shared {@link Guard}: each case feeds one bad input, requires the
 * error the shell shows to hold every expected fragment (what, where, how), and then that the shell is alive and the
 * guard's data intact.
 */
abstract class BadInputs implements Reliability.Group {
    protected final Suite suite;
    protected final List<Case> cases = new ArrayList<>();
    protected Guard guard;

    BadInputs(Suite suite) {
        this.suite = suite;
    }

    /** Adds the group's cases (the guard is set up). */
    protected abstract void add();

    @Override
    public List<Case> cases() {
        guard = suite.guard();
        add();
        return cases;
    }

    /**
     * A case: {@code act} feeds the bad input and returns the error text the user saw (and fails the case when the
     * input was taken); the text must contain every one of {@code expected}.
     */
    protected void bad(String name, String kind, boolean inShort, Supplier<String> act, String... expected) {
        cases.add(new Case(name, kind, inShort, () -> {
            String text = act.get();
            for (String e : expected) {
                Case.require(text.contains(e), "expected \"" + e + "\" in: " + text);
            }
            return Outcome.pass(line(text, expected.length > 0 ? expected[0] : "error") + " | " + afterCase());
        }));
    }

    /** What shows the shell alive and the guard's data intact after a case (its evidence). */
    protected String afterCase() {
        return guard.intact();
    }

    /**
     * A case of {@code kind}: {@code text} as models/bad.jsh, `plan` at the guard's prompt fails naming each of
     * {@code expected}; the file goes again.
     */
    protected void script(String name, String kind, boolean inShort, String text, String... expected) {
        bad(name, kind, inShort, () -> {
            guard.project().write("models/bad.jsh", text);
            try {
                return replFails("plan");
            } finally {
                guard.project().delete("models/bad.jsh");
            }
        }, expected);
    }

    /** Runs a line in the guard's session, requiring it to fail; returns what it showed. */
    protected String replFails(String line) {
        Repl.Reply r = guard.repl().exec(line);
        Case.require(!r.ok(), "`" + line + "` was taken: " + r.text());
        return r.text();
    }

    /** Runs {@code -c commands} in-process on the guard's project, requiring exit 1 or 2; returns what it printed. */
    protected String batchFails(String commands) {
        Project.Run r = guard.project().shell(commands);
        Case.require(r.exitCode() == 1 || r.exitCode() == 2, "`" + commands + "` exited " + r.exitCode() + ": "
                + r.all());
        return r.all();
    }

    /** The line of {@code text} holding {@code fragment} (else its first line), trimmed. */
    static String line(String text, String fragment) {
        for (String l : text.split("\n")) {
            if (l.contains(fragment)) {
                return l.strip();
            }
        }
        return text.strip().split("\n")[0];
    }
}
