package dcm.config;

import java.util.List;

/**
 * {@code [clickhouse_config]}: where ClickHouse answers and as whom. {@link #toString()} never shows the password.
 *
 * @param clusters the names of Moose's {@code [[clickhouse_config.clusters]]} entries, in file order
 * @param cluster  the cluster every DDL runs {@code ON CLUSTER} and whose tables are {@code Replicated*}: the one
 *                 entry of {@code clusters}, or the one {@code [clickhouse_config] cluster} chooses among several;
 *                 null on a single server
 */
public record ClickHouseConfig(String host, int hostPort, int nativePort, String dbName, String user,
                               String password, boolean useSsl, List<String> clusters, String cluster) {
    public ClickHouseConfig {
        clusters = List.copyOf(clusters);
    }

    /** A single server (no cluster). */
    public ClickHouseConfig(String host, int hostPort, int nativePort, String dbName, String user, String password,
                            boolean useSsl) {
        this(host, hostPort, nativePort, dbName, user, password, useSsl, List.of(), null);
    }

    /** The HTTP endpoint, e.g. {@code http://localhost:18123}. */
    public String endpoint() {
        return (useSsl ? "https://" : "http://") + host + ":" + hostPort;
    }

    /** The same server settings for another database. */
    public ClickHouseConfig withDatabase(String db) {
        return new ClickHouseConfig(host, hostPort, nativePort, db, user, password, useSsl, clusters, cluster);
    }

    /** The same settings at another HTTP port (another replica of the cluster on this host). */
    public ClickHouseConfig withHostPort(int port) {
        return new ClickHouseConfig(host, port, nativePort, dbName, user, password, useSsl, clusters, cluster);
    }

    @Override
    public String toString() {
        return "ClickHouseConfig[" + endpoint() + ", db=" + dbName + ", user=" + user
                + (password == null || password.isEmpty() ? "" : ", password=****")
                + (cluster == null ? "" : ", cluster=" + cluster) + "]";
    }
}
