package dcm.config;

/**
 * {@code [clickhouse_config]}: where ClickHouse answers and as whom. {@link #toString()} never shows the password.
 */
public record ClickHouseConfig(String host, int hostPort, int nativePort, String dbName, String user,
                               String password, boolean useSsl) {
    /** The HTTP endpoint, e.g. {@code http://localhost:18123}. */
    public String endpoint() {
        return (useSsl ? "https://" : "http://") + host + ":" + hostPort;
    }

    @Override
    public String toString() {
        return "ClickHouseConfig[" + endpoint() + ", db=" + dbName + ", user=" + user
                + (password == null || password.isEmpty() ? "" : ", password=****") + "]";
    }
}
