package dcm.remote;

import java.util.List;

/**
 * A refusal or failure of the admin endpoint or its client, as the shell's errors have it: a stable code, the
 * message, the evidence lines and a hint (the command that fixes it, or null).
 */
public abstract class CodedFailure extends RuntimeException {
    private final String code;
    private final List<String> evidence;
    private final String hint;

    protected CodedFailure(String code, String message, List<String> evidence, String hint) {
        super(message);
        this.code = code;
        this.evidence = List.copyOf(evidence);
        this.hint = hint;
    }

    /** The stable code (DRIFT, APPLY_FAILED, REMOTE_UNAUTHORIZED, ...). */
    public String code() {
        return code;
    }

    public List<String> evidence() {
        return evidence;
    }

    public String hint() {
        return hint;
    }
}
