package dcm.infra;

import dcm.clickhouse.ClickHouse;
import dcm.config.ClickHouseConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A local ClickHouse cluster to try replication on one machine ({@code infra up --cluster}): a ZooKeeper server and
 * {@link #REPLICAS} ClickHouse servers, one shard of two replicas named in each server's {@code remote_servers}
 * after the configured cluster, with {@code macros} ({@code shard}, {@code replica}) for the replicated tables'
 * paths, {@code distributed_ddl} for ON CLUSTER, and an interserver port each to fetch parts from the other.
 * Ports follow the configured ones: replica {@code i} (from 1) answers HTTP on {@code host_port + i - 1} and native
 * on {@code native_port + i - 1}, exchanges parts on {@code native_port + 8 + i}; ZooKeeper listens on
 * {@code native_port + 181}. Files are under {@code .moose/cluster/}.
 */
public final class LocalCluster {
    /** How many replicas the local cluster has. */
    public static final int REPLICAS = 2;
    private final Path dir;
    private final ClickHouseConfig config;

    public LocalCluster(Path projectDir, ClickHouseConfig config) {
        this.dir = projectDir.resolve(".moose").resolve("cluster");
        this.config = config;
        if (config.cluster() == null) {
            throw new IllegalStateException("no cluster is configured: add [[clickhouse_config.clusters]] name ="
                    + " \"dcm\" to moose.config.toml (the local cluster takes that name), then `infra up --cluster`");
        }
    }

    /** The ZooKeeper client port: {@code native_port + 181}. */
    public int zooKeeperPort() {
        return config.nativePort() + 181;
    }

    /** The ZooKeeper server. */
    public LocalZooKeeper zooKeeper() {
        return new LocalZooKeeper(dir.resolve("zookeeper"), zooKeeperPort());
    }

    /** Replica {@code i}'s settings (1-based): the configured ones with its own ports. */
    public ClickHouseConfig replica(int i) {
        return new ClickHouseConfig(config.host(), config.hostPort() + i - 1, config.nativePort() + i - 1,
                config.dbName(), config.user(), config.password(), config.useSsl(), config.clusters(),
                config.cluster());
    }

    /** Replica {@code i}'s server. */
    public LocalClickHouse server(int i) {
        return new LocalClickHouse(dir.resolve("clickhouse-" + i), replica(i), clusterXml(i));
    }

    /**
     * Starts ZooKeeper, then each replica that does not answer yet; waits for each to answer. Returns one status
     * per server, ZooKeeper first.
     */
    public List<ServerStatus> start(Consumer<String> say) throws IOException, InterruptedException {
        List<ServerStatus> out = new ArrayList<>();
        LocalZooKeeper zk = zooKeeper();
        if (zk.answers()) {
            out.add(zooKeeperStatus("already answering"));
        } else {
            say.accept("starting ZooKeeper on 127.0.0.1:" + zk.port() + " (data in .moose/cluster/zookeeper)");
            long t0 = System.nanoTime();
            zk.start();
            out.add(zooKeeperStatus("started in " + seconds(t0)));
        }
        for (int i = 1; i <= REPLICAS; i++) {
            ClickHouseConfig c = replica(i);
            try (ClickHouse client = new ClickHouse(c)) {
                if (client.answers()) {
                    out.add(replicaStatus(i, client, "already answering"));
                    continue;
                }
                say.accept("starting ClickHouse replica " + i + " of cluster " + config.cluster() + " on "
                        + c.endpoint() + " (data in .moose/cluster/clickhouse-" + i + ")");
                long t0 = System.nanoTime();
                server(i).start(client);
                out.add(replicaStatus(i, client, "started in " + seconds(t0)));
            }
        }
        return out;
    }

    /** Stops what was started from {@code .moose/cluster}; true when anything was running. */
    public boolean stop() throws IOException {
        boolean any = false;
        for (int i = REPLICAS; i >= 1; i--) {
            any |= server(i).stop();
        }
        return zooKeeper().stop() | any;
    }

    /** What answers: ZooKeeper, then each replica. */
    public List<ServerStatus> status() {
        List<ServerStatus> out = new ArrayList<>();
        out.add(zooKeeperStatus(null));
        for (int i = 1; i <= REPLICAS; i++) {
            try (ClickHouse client = new ClickHouse(replica(i))) {
                out.add(replicaStatus(i, client, null));
            }
        }
        return out;
    }

    private ServerStatus zooKeeperStatus(String note) {
        LocalZooKeeper zk = zooKeeper();
        long pid = zk.process().map(ProcessHandle::pid).orElse(0L);
        boolean answers = zk.answers();
        return new ServerStatus("zookeeper", "127.0.0.1:" + zk.port(), answers, answers ? "ZooKeeper "
                + zk.version() : null,
                pid > 0, pid, note != null ? note : answers ? (pid > 0 ? "local, data in .moose/cluster/zookeeper"
                : "external") : "not answering: run `infra up --cluster`");
    }

    private ServerStatus replicaStatus(int i, ClickHouse client, String note) {
        long pid = server(i).process().map(ProcessHandle::pid).orElse(0L);
        String component = "clickhouse " + config.cluster() + " replica " + i;
        try {
            String v = client.version();
            return new ServerStatus(component, replica(i).endpoint(), true, "ClickHouse " + v, pid > 0, pid,
                    note != null ? note : pid > 0 ? "local, data in .moose/cluster/clickhouse-" + i : "external");
        } catch (RuntimeException e) {
            return new ServerStatus(component, replica(i).endpoint(), false, null, pid > 0, pid,
                    note != null ? note : "not answering: run `infra up --cluster`");
        }
    }

    /** Replica {@code i}'s cluster settings: who the replicas are, where ZooKeeper is, its own name. */
    private String clusterXml(int i) {
        StringBuilder replicas = new StringBuilder();
        for (int r = 1; r <= REPLICAS; r++) {
            replicas.append("                <replica><host>127.0.0.1</host><port>").append(config.nativePort() + r - 1)
                    .append("</port></replica>\n");
        }
        return """
                    <interserver_http_host>127.0.0.1</interserver_http_host>
                    <interserver_http_port>%1$d</interserver_http_port>
                    <remote_servers>
                        <%2$s>
                            <shard>
                                <internal_replication>true</internal_replication>
                %3$s            </shard>
                        </%2$s>
                    </remote_servers>
                    <zookeeper>
                        <node><host>127.0.0.1</host><port>%4$d</port></node>
                        <session_timeout_ms>30000</session_timeout_ms>
                    </zookeeper>
                    <macros>
                        <shard>01</shard>
                        <replica>replica_%5$d</replica>
                    </macros>
                    <distributed_ddl>
                        <path>/clickhouse/task_queue/ddl</path>
                    </distributed_ddl>
                """.formatted(config.nativePort() + 8 + i, config.cluster(), replicas, zooKeeperPort(), i);
    }

    private static String seconds(long t0) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
    }
}
