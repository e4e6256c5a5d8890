package dcm.clickhouse;

/** A ClickHouse call failed: the server's code (0 when none) and its message without the C++ noise. */
public final class ClickHouseException extends RuntimeException {
    private final int code;

    public ClickHouseException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** ClickHouse's error code ({@code 60} unknown table, {@code 62} syntax error, ...), or 0. */
    public int code() {
        return code;
    }

    /** True when nothing answered at the endpoint. */
    public boolean unreachable() {
        return code == -1;
    }
}
