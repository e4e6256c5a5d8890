package dcm.migrate;

import java.util.List;

/** Apply refused or failed: what, the evidence, and the fix. */
public final class ApplyException extends RuntimeException {
    private final List<String> evidence;
    private final String hint;

    public ApplyException(String message, List<String> evidence, String hint) {
        super(message);
        this.evidence = List.copyOf(evidence);
        this.hint = hint;
    }

    public List<String> evidence() {
        return evidence;
    }

    public String hint() {
        return hint;
    }
}
