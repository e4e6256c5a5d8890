package dcm.clickhouse;

import dcm.core.Cluster;
import dcm.core.Rows;
import dcm.core.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * Before DDL runs {@code ON CLUSTER}: the cluster is in the {@code remote_servers} of the server this shell talks to,
 * and every replica of it answers (asked from that server through {@code remote()}, so over the addresses the
 * cluster itself uses). A statement ON CLUSTER waits for every host until {@code distributed_ddl_task_timeout}: a
 * replica that is down is better named before the first statement than after a timeout in the middle of a plan.
 */
public final class ClusterCheck {
    /** What {@code remote()} answers for a replica it cannot reach: all tries failed, refused, timed out. */
    private static final java.util.Set<Integer> UNREACHABLE = java.util.Set.of(279, 210, 209);
    private ClusterCheck() {}

    /** A replica of the cluster as the server lists it: host and native port. */
    public record Replica(String host, int port, int shard, int replica) {
        /** {@code host:port}. */
        public String address() {
            return host + ":" + port;
        }
    }

    /** The replicas of the configured cluster, from {@code system.clusters}; fails when the server does not know it. */
    public static List<Replica> replicas(ClickHouse ch) {
        Cluster cluster = ch.cluster();
        Rows r = ch.query("SELECT host_name, port, shard_num, replica_num FROM system.clusters WHERE cluster = "
                + Sql.str(cluster.name()) + " ORDER BY shard_num, replica_num", false);
        if (r.size() == 0) {
            throw new ClickHouseException(0, "cluster " + cluster.name() + " ([[clickhouse_config.clusters]]) is not"
                    + " in the remote_servers of the ClickHouse at " + ch.endpoint() + "; add it to the servers'"
                    + " config, or set [clickhouse_config] cluster to one of its clusters (SELECT DISTINCT cluster FROM"
                    + " system.clusters), or start a local one with `infra up --cluster`", null);
        }
        List<Replica> out = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            out.add(new Replica(String.valueOf(row.get(0)), Integer.parseInt(String.valueOf(row.get(1))),
                    Integer.parseInt(String.valueOf(row.get(2))), Integer.parseInt(String.valueOf(row.get(3)))));
        }
        return out;
    }

    /** Fails, naming each replica that does not answer, unless every replica of the cluster answers. */
    public static void requireReplicas(ClickHouse ch) {
        if (!ch.cluster().replicated()) {
            return;
        }
        List<String> down = new ArrayList<>();
        List<Replica> replicas = replicas(ch);
        for (Replica replica : replicas) {
            try {
                // no credentials in the text (it is logged); a replica that refuses the default user still answers
                ch.text("SELECT 1 FROM remote(" + Sql.str(replica.address()) + ", system.one) FORMAT TabSeparated",
                        false, 30);
            } catch (ClickHouseException e) {
                if (UNREACHABLE.contains(e.code())) {
                    down.add(replica.address() + " (shard " + replica.shard() + ", replica " + replica.replica() + ")");
                }
            }
        }
        if (!down.isEmpty()) {
            throw new ClickHouseException(0, "cluster " + ch.cluster().name() + ": " + down.size() + " of "
                    + replicas.size() + " replicas do not answer from " + ch.endpoint() + ": " + String.join(", ",
                    down) + "; DDL ON CLUSTER would wait for them (distributed_ddl_task_timeout) and the other"
                    + " replicas would diverge: start them (`infra up --cluster` for the local one) and try again",
                    null);
        }
    }
}
