package dcm.clickhouse;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ClickHouse call failed: the server's code (0 when none), its message without the C++ noise, and what kind of
 * failure that is ({@link Kind}, derived from the code and, for a view's refusal, the message here, so callers
 * decide by kind, not by numbers).
 */
public final class ClickHouseException extends RuntimeException {
    /** What a failure means for whoever retries, reports or gives up. */
    public enum Kind {
        /** Nothing answered at the endpoint (connection refused): the server is away; nothing was done. */
        CONNECTION,
        /**
         * No answer and no code: the connection dropped, or the client stopped waiting, or the answer could not be
         * read. The server may have done it (an insert may have stored its rows).
         */
        NO_ANSWER,
        /** The server stopped the statement at its time limit ({@code max_execution_time}). */
        TIMEOUT,
        /** The statement was killed on the server (KILL QUERY: Ctrl-C). */
        CANCELLED,
        /** The data does not fit the table (cannot parse a value, wrong type, out of range, NULL where none). */
        DATA,
        /** A table, column, database or type is not what the statement expects (missing, or already there). */
        SCHEMA,
        /** The statement does not parse. */
        SYNTAX,
        /**
         * An insert whose rows the table stored, but one of the table's materialized views failed on them
         * ({@link #view()}): 18.16 stores a block in the table, then pushes it to the views in turn, and a view's
         * failure (its expression refusing a value, whatever the code) fails the insert without taking the block
         * back; the views after the failing one got nothing. Measured: {@code Code: 395 ... Value passed to
         * 'throwIf' function is non zero: while pushing to view db.v}; {@code Code: 6 ... Cannot parse string 'zz'
         * as UInt16 ...: while pushing to view db.v}. Sending the rows again stores them twice.
         */
        VIEW_REFUSED,
        /** Anything else: too many parts, memory, read-only, a setting, ... */
        OTHER
    }

    /** What ClickHouse appends to the message of a failure in a view's part of an insert. */
    private static final Pattern PUSHING_TO_VIEW = Pattern.compile(
            "while pushing to view ((?:`(?:[^`\\\\]|\\\\.)*`|[^\\s,`.]+)(?:\\.(?:`(?:[^`\\\\]|\\\\.)*`|[^\\s,`.]+))?)");

    /**
     * ClickHouse codes that mean "this data does not fit": CANNOT_PARSE_TEXT 6, CANNOT_PARSE_QUOTED_STRING 26,
     * CANNOT_PARSE_INPUT_ASSERTION_FAILED 27, ATTEMPT_TO_READ_AFTER_EOF 32, CANNOT_PARSE_DATE 38,
     * CANNOT_PARSE_DATETIME 41, TYPE_MISMATCH 53, ARGUMENT_OUT_OF_BOUND 69, CANNOT_CONVERT_TYPE 70,
     * CANNOT_PARSE_NUMBER 72, INCORRECT_DATA 117, CANNOT_READ_ARRAY_FROM_TEXT 130, TOO_LARGE_STRING_SIZE 131,
     * VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE 321, CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN 349,
     * CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING 377.
     */
    private static final Set<Integer> DATA = Set.of(6, 26, 27, 32, 38, 41, 53, 69, 70, 72, 117, 130, 131, 321, 349,
            377);
    /**
     * Codes about the objects a statement names: THERE_IS_NO_COLUMN 8, NOT_FOUND_COLUMN_IN_BLOCK 10,
     * DUPLICATE_COLUMN 15, NO_SUCH_COLUMN_IN_TABLE 16, ILLEGAL_COLUMN 44, UNKNOWN_IDENTIFIER 47, UNKNOWN_TYPE 50,
     * TABLE_ALREADY_EXISTS 57, UNKNOWN_TABLE 60, UNKNOWN_DATABASE 81, DATABASE_ALREADY_EXISTS 82.
     */
    private static final Set<Integer> SCHEMA = Set.of(8, 10, 15, 16, 44, 47, 50, 57, 60, 81, 82);
    /** TIMEOUT_EXCEEDED 159 and TOO_SLOW 160: both the server's execution time limit. */
    private static final Set<Integer> TIMEOUT = Set.of(159, 160);
    private static final int SYNTAX_ERROR = 62;
    private static final int QUERY_WAS_CANCELLED = 394;
    /** The code this class gives a connection that was refused (ClickHouse's own codes are positive). */
    static final int REFUSED = -1;

    private final int code;
    private final Kind kind;
    private final String view;

    public ClickHouseException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        Matcher m = code > 0 && message != null ? PUSHING_TO_VIEW.matcher(message) : null;
        this.view = m != null && m.find() ? m.group(1) : null;
        this.kind = view != null ? Kind.VIEW_REFUSED : kindOf(code);
    }

    /**
     * The kind of a failure with this code (-1: refused connection; 0: no code came back), the message aside (a
     * view's refusal is known by its message: see {@link Kind#VIEW_REFUSED}).
     */
    public static Kind kindOf(int code) {
        if (code == REFUSED) {
            return Kind.CONNECTION;
        }
        if (code == 0) {
            return Kind.NO_ANSWER;
        }
        if (DATA.contains(code)) {
            return Kind.DATA;
        }
        if (SCHEMA.contains(code)) {
            return Kind.SCHEMA;
        }
        if (TIMEOUT.contains(code)) {
            return Kind.TIMEOUT;
        }
        if (code == SYNTAX_ERROR) {
            return Kind.SYNTAX;
        }
        return code == QUERY_WAS_CANCELLED ? Kind.CANCELLED : Kind.OTHER;
    }

    /** ClickHouse's error code ({@code 60} unknown table, {@code 62} syntax error, ...), or 0. */
    public int code() {
        return code;
    }

    /**
     * The view that failed an insert ({@code db.view} as ClickHouse names it, backquoted where needed), when this is
     * {@link Kind#VIEW_REFUSED}; else null.
     */
    public String view() {
        return view;
    }

    /** What kind of failure this is. */
    public Kind kind() {
        return kind;
    }

    /** True when nothing answered at the endpoint. */
    public boolean unreachable() {
        return kind == Kind.CONNECTION;
    }

    /** True when the server answered (with a refusal): false when it is away or the answer never came. */
    public boolean answered() {
        return kind != Kind.CONNECTION && kind != Kind.NO_ANSWER;
    }
}
