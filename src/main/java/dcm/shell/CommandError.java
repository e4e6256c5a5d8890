package dcm.shell;

import java.util.List;

/**
 * A command could not do its work, for a reason the user can act on: what went wrong, the evidence, the fix.
 * {@code usage} marks a wrongly typed command (exit code 2).
 */
public final class CommandError extends RuntimeException {
    private final List<String> evidence;
    private final String hint;
    private final boolean usage;

    public CommandError(String message, List<String> evidence, String hint, boolean usage) {
        super(message);
        this.evidence = List.copyOf(evidence);
        this.hint = hint;
        this.usage = usage;
    }

    /** A usage error, with the command's synopsis as the hint. */
    public static CommandError usage(String message, String synopsis) {
        return new CommandError(message, List.of(), "usage: " + synopsis, true);
    }

    /** A failure with a hint. */
    public static CommandError failed(String message, String hint) {
        return new CommandError(message, List.of(), hint, false);
    }

    public List<String> evidence() {
        return evidence;
    }

    public String hint() {
        return hint;
    }

    public boolean usage() {
        return usage;
    }
}
