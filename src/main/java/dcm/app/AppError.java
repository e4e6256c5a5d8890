package dcm.app;

import java.util.List;

/**
 * A use case could not do its work, for a reason the user can act on: a stable code (for scripts and
 * {@code --json}), what went wrong, the evidence, and the fix.
 */
public final class AppError extends RuntimeException {
    /** Stable error codes: each names one reason, and never changes meaning. */
    public enum Code {
        /** A model file did not load completely: nothing that could drop what it defines is applied. */
        LOAD_INCOMPLETE,
        /** ClickHouse refuses SQL written in the models (a type, a default, PARTITION BY, an engine). */
        MODEL_SQL_REFUSED,
        /** The database or broker changed since a saved plan was made. */
        DRIFT,
        /** The plan drops data and no consent was given. */
        DESTRUCTIVE_NOT_CONFIRMED,
        /** The plan was not confirmed. */
        NOT_CONFIRMED,
        /** A step of the apply failed (or was stopped); the next apply continues there. */
        APPLY_FAILED,
        /** The name given to adopt denotes nothing that can be adopted. */
        ADOPT_REFUSED,
        /** A saved plan file cannot be read. */
        PLAN_FILE,
        /** Nothing answers at ClickHouse's address (and no local one is started). */
        CLICKHOUSE_ABSENT,
        /** ClickHouse answers but refuses (a wrong user or password, a setting it does not take). */
        CLICKHOUSE_REFUSED,
        /** The broker refuses the login or the certificate. */
        BROKER_REFUSED,
        /** Nothing listens at the broker's address (and no local one is started). */
        BROKER_ABSENT,
        /** The broker listens but did not answer in time: slow, not absent. */
        BROKER_SLOW,
        /** A file to ingest cannot be read as records (unreadable, a CSV header naming a column twice). */
        INGEST_FILE,
        /** A file was sent in part: the first records are committed, the rest not. */
        INGEST_PARTIAL,
        /** No sync runs anywhere while records wait in the topics, or the syncs still lag after the time-out. */
        SYNCS_BEHIND,
        /** {@code bump} refused (a version not after the current one, or already listed) or failed and undid itself:
         * nothing changed. */
        BUMP_REFUSED,
        /** {@code retire} refused: the version is not a supported old version, or the config cannot be written. */
        RETIRE_REFUSED,
        /** An old version's topic received records within the quiet time: producers still use it. */
        VERSION_IN_USE,
        /** The project's versions cannot be read (a supported old version without its snapshot) or a mapping between
         * them cannot be used. */
        VERSIONS,
        /** A mapping test could not run to its end: its sample does not fit the old version, it was stopped, or
         * ClickHouse failed other than by refusing a value. Its scratch tables are dropped all the same. */
        MAPPING_TEST,
        /** A {@code serve} refused the admin token (401): missing, wrong, or no admin_api_key configured there. */
        REMOTE_UNAUTHORIZED,
        /** Nothing answers at the {@code --url}, or the connection ended. */
        REMOTE_UNREACHABLE,
        /** The {@code --url} answered, but not as a dcm shell's admin endpoint does, or failed there. */
        REMOTE_FAILED
    }

    private final Code code;
    private final List<String> evidence;
    private final String hint;

    public AppError(Code code, String message, List<String> evidence, String hint) {
        super(message);
        this.code = code;
        this.evidence = List.copyOf(evidence);
        this.hint = hint;
    }

    public Code code() {
        return code;
    }

    /** The facts behind the message ({@code -> live: ...}), one per line. */
    public List<String> evidence() {
        return evidence;
    }

    /** The command that fixes it, or null. */
    public String hint() {
        return hint;
    }
}
