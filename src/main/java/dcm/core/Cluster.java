package dcm.core;

import java.util.List;

/**
 * Where the DDL runs: one server, or every replica of a ClickHouse cluster ({@code [[clickhouse_config.clusters]]}).
 * On a cluster every statement that changes a table, view or database carries {@code ON CLUSTER `name`}, and a model's
 * MergeTree-family engine becomes its {@code Replicated} twin with an explicit ZooKeeper path and replica name, the
 * one spelling both 18.16 and current servers accept: {@code ReplicatedMergeTree('/clickhouse/tables/{shard}/<db>/<table>',
 * '{replica}')}, whose {@code {shard}} and {@code {replica}} are each server's {@code macros}.
 *
 * @param name the cluster's name in the servers' {@code remote_servers}, or null for a single server
 */
public record Cluster(String name) {
    /** A single server: no ON CLUSTER, engines as the model says. */
    public static final Cluster NONE = new Cluster(null);
    private static final String REPLICATED = "Replicated";

    public Cluster {
        if (name != null) {
            Names.requireIdentifier("cluster", name);
        }
    }

    /** The cluster of this name, or {@link #NONE} for null. */
    public static Cluster of(String name) {
        return name == null || name.isBlank() ? NONE : new Cluster(name);
    }

    /** True on a cluster. */
    public boolean replicated() {
        return name != null;
    }

    /** {@code " ON CLUSTER `name`"}, or the empty string on a single server. */
    public String on() {
        return name == null ? "" : " ON CLUSTER " + Sql.id(name);
    }

    /** The ZooKeeper path of a table's replicas: one per database and table, the shard from the macros. */
    public static String zooKeeperPath(String database, String table) {
        return "/clickhouse/tables/{shard}/" + Names.requireIdentifier("database", database) + "/"
                + Names.requireIdentifier("table", table);
    }

    /**
     * The engine clause a table is created with: the model's engine ({@code MergeTree}, {@code
     * ReplacingMergeTree(ver)}) on one server; on a cluster its Replicated twin, the path and replica name first,
     * then the model's own arguments ({@code ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/t',
     * '{replica}', ver)}).
     */
    public String engine(String modelEngine, String database, String table) {
        if (name == null) {
            return modelEngine.contains("(") ? modelEngine : modelEngine + "()";
        }
        String engine = modelEngine.strip();
        int open = engine.indexOf('(');
        String base = open < 0 ? engine : engine.substring(0, open).strip();
        String args = open < 0 ? "" : engine.substring(open + 1, engine.lastIndexOf(')')).strip();
        String replication = Sql.str(zooKeeperPath(database, table)) + ", " + Sql.str("{replica}");
        return REPLICATED + base + "(" + replication + (args.isEmpty() ? "" : ", " + args) + ")";
    }

    /** The model's engine name for a live engine name: {@code ReplicatedMergeTree} is {@code MergeTree}. */
    public static String modelEngine(String liveEngine) {
        return isReplicated(liveEngine) ? liveEngine.substring(REPLICATED.length()) : liveEngine;
    }

    /** True for a {@code Replicated*MergeTree} engine name. */
    public static boolean isReplicated(String engine) {
        return engine.startsWith(REPLICATED) && engine.endsWith("MergeTree");
    }

    /**
     * A table's engine clause without replication ({@code engine_full} of {@code system.tables}, or the tail of its
     * CREATE statement): {@code ReplicatedMergeTree('/p', '{replica}') ORDER BY id} becomes {@code MergeTree() ORDER
     * BY id}. For the tables that stay on one replica (the backfill's snapshot and staging tables): one made with
     * the replicated engine would join the table's replicas under the same path and replica name.
     */
    public static String unreplicated(String engineClause) {
        String s = engineClause.strip();
        if (!s.startsWith(REPLICATED)) {
            return s;
        }
        int open = s.indexOf('(');
        int close = closing(s, open);
        String base = s.substring(REPLICATED.length(), open);
        List<String> args = Sql.splitTopLevel(s.substring(open + 1, close));
        if (args == null || args.size() < 2) {
            throw new IllegalArgumentException("not a replicated engine with a path and a replica name: " + s);
        }
        return base + "(" + String.join(", ", args.subList(2, args.size())) + ")" + s.substring(close + 1);
    }

    /**
     * A CREATE statement's tail from its column list on ({@code (id String) ENGINE = ReplicatedMergeTree(...) ORDER
     * BY id}) with the engine made {@link #unreplicated}.
     */
    public static String unreplicatedCreate(String createTail) {
        int at = createTail.lastIndexOf(" ENGINE = ");
        if (at < 0) {
            return createTail;
        }
        int engine = at + " ENGINE = ".length();
        return createTail.substring(0, engine) + unreplicated(createTail.substring(engine));
    }

    /** The index of the parenthesis closing the one at {@code open}, strings skipped. */
    private static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                i = SqlFragments.endOfString(s, i) - 1;
                if (i < 0) {
                    break;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses in " + s);
    }
}
