package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import dcm.Wait;
import dcm.clickhouse.ClickHouse;
import dcm.config.ClickHouseConfig;
import dcm.config.ConfigLoader;
import dcm.core.Sql;
import dcm.infra.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The example project on a real ClickHouse cluster: ZooKeeper and two clickhouse-server replicas started by
 * {@code infra up --cluster} on ports of their own, a cluster named in {@code [[clickhouse_config.clusters]]}.
 * apply creates every table on both replicas (Replicated, ON CLUSTER), rows ingested through a topic and the sync
 * reach both replicas exactly, a second plan is empty, a new version is filled and kept fed on both, and apply
 * refuses, naming it, while a replica is down. Every count asks each replica directly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    /** Ports of this test's own, below the ephemeral range (32768+): the shared servers use 28123/29000. */
    static final int HTTP = 27223;
    static final int NATIVE = 27300;
    static final String CLUSTER = "dcm_it";
    static Path dir;
    static String db;
    static Map<String, String> env;
    static ClickHouse[] replicas;

    @BeforeAll
    static void startCluster() throws Exception {
        TestServers.get(); // the shared broker
        Path home = Path.of(System.getProperty("dcm.home", ".")).toAbsolutePath();
        dir = home.resolve("target").resolve("it-cluster");
        if (Files.exists(dir.resolve("moose.config.toml"))) {
            // a run killed before its end: stop what it started, then start afresh
            TestProjects.shell(Map.of(), "", "--project", dir.toString(), "--no-infra", "-c", "infra down");
        }
        deleteTree(dir);
        db = "cluster_" + Long.toString(System.nanoTime(), 36);
        TestProjects.create(dir, TestProjects.exampleModels());
        Files.writeString(dir.resolve("moose.config.toml"), """
                [project]
                version = "1.0"
                [clickhouse_config]
                db_name = "%s"
                host = "localhost"
                host_port = %d
                native_port = %d
                [[clickhouse_config.clusters]]
                name = "%s"
                [redpanda_config]
                broker = "localhost:29092"
                namespace = "%s"
                """.formatted(db, HTTP, NATIVE, CLUSTER, db));
        env = Map.of();
        TestProjects.Run up = shell("infra up --cluster; infra status");
        assertEquals(0, up.exitCode(), up.out() + up.err());
        assertTrue(up.out().matches("(?s).*zookeeper +127\\.0\\.0\\.1:" + (NATIVE + 181) + " +yes +ZooKeeper 3\\.9\\.5.*"),
                up.out());
        ClickHouseConfig config = ConfigLoader.load(dir, env).clickhouse();
        assertEquals(CLUSTER, config.cluster());
        LocalCluster cluster = new LocalCluster(dir, config);
        replicas = new ClickHouse[LocalCluster.REPLICAS];
        for (int i = 0; i < replicas.length; i++) {
            replicas[i] = new ClickHouse(cluster.replica(i + 1));
            assertTrue(replicas[i].answers(), "replica " + (i + 1) + " answers");
        }
    }

    @AfterAll
    static void stopCluster() {
        if (replicas != null) {
            for (ClickHouse r : replicas) {
                r.close();
            }
        }
        TestProjects.Run down = shell("infra down");
        assertEquals(0, down.exitCode(), down.out() + down.err());
        assertTrue(down.out().contains("stopped"), down.out());
    }

    private static TestProjects.Run shell(String commands) {
        return TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c", commands);
    }

    private static TestProjects.Run ok(String commands) {
        TestProjects.Run r = shell(commands);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        return r;
    }

    /** Waits until {@code table} holds {@code expected} rows on every replica, then checks each holds exactly that. */
    private static void onEveryReplica(String table, long expected) {
        for (int i = 0; i < replicas.length; i++) {
            RowCount.await(replicas[i], db, table, null, expected, Duration.ofSeconds(60));
            assertEquals(expected + "\t" + expected, RowCount.rowsAndDistinct(replicas[i], db, table, "eventId"),
                    "replica " + (i + 1) + ": every row once");
        }
    }

    private static String engine(ClickHouse replica, String table) {
        return replica.scalar("SELECT engine FROM system.tables WHERE database = " + Sql.str(db) + " AND name = "
                + Sql.str(table) + " FORMAT TabSeparated");
    }

    private static void writeEvents(String file, String prefix, int n) throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append("{\"eventId\":\"").append(prefix).append(i).append("\",\"userId\":\"u").append(i % 17)
                    .append("\",\"type\":\"LOGIN\",\"at\":\"2024-05-01T09:00:00Z\",\"amount\":null,\"tags\":[\"web\"]}\n");
        }
        Files.writeString(dir.resolve(file), s);
    }

    @Test
    @Order(1)
    void theExampleProjectRunsOnBothReplicasAndIngestedRowsReachEach() throws Exception {
        TestProjects.Run plan = ok("plan --sql");
        assertTrue(plan.out().contains("ON CLUSTER `" + CLUSTER + "`"), plan.out());
        assertTrue(plan.out().contains("ReplicatedMergeTree('/clickhouse/tables/{shard}/" + db
                + "/UserEvents_1_0', '{replica}')"), plan.out());
        ok("apply --yes");
        for (ClickHouse replica : replicas) {
            assertEquals("ReplicatedMergeTree", engine(replica, "UserEvents_1_0"));
            assertEquals("ReplicatedMergeTree", engine(replica, "Users_1_0"));
            assertEquals("View", engine(replica, "UserEvents"));
            assertEquals("View", engine(replica, "Users"));
        }

        writeEvents("events.jsonl", "e", 3000);
        TestProjects.Run r = ok("sync start; ingest UserEvents events.jsonl; sync wait");
        assertTrue((r.out() + r.err()).contains("ingested 3000 of 3000 record(s)"), r.out() + r.err());
        onEveryReplica("UserEvents_1_0", 3000);
        onEveryReplica("UserEvents", 3000);

        // the live Replicated engines are what the models' MergeTree means on a cluster: nothing to change
        assertTrue(ok("plan").out().contains("no changes"), "a second plan is empty");
    }

    @Test
    @Order(2)
    void aNewVersionIsFilledAndFedOnBothReplicas() throws Exception {
        VersionsIT.freeze(dir, db, "1.0", "1.1");
        Path model = dir.resolve("models/user_events.jsh");
        Files.writeString(model, Files.readString(model).replace("List<String> tags)",
                "List<String> tags, @Default(\"'web'\") String channel)"));
        TestProjects.Run plan = ok("plan");
        assertTrue(plan.out().contains("backfill UserEvents_1_1 from UserEvents_1_0 (3000 rows)"), plan.out());
        ok("apply --yes");
        onEveryReplica("UserEvents_1_1", 3000);
        for (ClickHouse replica : replicas) {
            assertEquals("ReplicatedMergeTree", engine(replica, "UserEvents_1_1"));
            assertEquals("MaterializedView", engine(replica, "UserEvents_migrate__1_0__1_1"));
            // the backfill's snapshot and staging tables are gone from every replica
            assertEquals(0, RowCount.of(replica, "SELECT count() FROM system.tables WHERE database = " + Sql.str(db)
                    + " AND position(name, '__dcm_') > 0"));
        }
        onEveryReplica("UserEvents", 3000);

        // rows sent to the old version reach the new one on both replicas, through the view, once
        writeEvents("old.jsonl", "o", 500);
        ok("sync start; ingest UserEvents@1.0 old.jsonl; sync wait");
        onEveryReplica("UserEvents_1_0", 3500);
        onEveryReplica("UserEvents_1_1", 3500);
        assertTrue(ok("plan").out().contains("no changes"), "a second plan is empty");
    }

    @Test
    @Order(3)
    void applyNamesAReplicaThatIsDownAndGoesOnOnceItIsBack() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, ConfigLoader.load(dir, env).clickhouse());
        assertTrue(cluster.server(2).stop(), "replica 2 was running");
        Path model = dir.resolve("models/users.jsh");
        Files.writeString(model, Files.readString(model).replace("Instant createdAt)",
                "Instant createdAt, @Default(\"'-'\") String team)"));
        TestProjects.Run r = shell("apply --yes");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("1 of 2 replicas do not answer") && r.err().contains("127.0.0.1:" + (NATIVE + 1)),
                r.out() + r.err());
        ok("infra up --cluster");
        ok("apply --yes");
        for (ClickHouse replica : replicas) {
            Wait.until("column team on " + replica.endpoint(), Duration.ofSeconds(60), () -> RowCount.of(replica,
                    "SELECT count() FROM system.columns WHERE database = " + Sql.str(db) + " AND table = 'Users_1_1'"
                    + " AND name = 'team'") == 1);
        }
    }

    @Test
    @Order(4)
    void aReplicationFactorTheBrokerCannotGiveIsNamedWithItsSetting() throws Exception {
        Files.writeString(dir.resolve("models/clicks.jsh"), "record Click(@Key String id) {}\n"
                + "new Stream<>(\"Clicks\", Click.class);\n");
        try {
            TestProjects.Run r = TestProjects.shell(Map.of("MOOSE_REDPANDA_CONFIG__REPLICATION_FACTOR", "3"), "",
                    "--project", dir.toString(), "--no-infra", "-c", "apply --yes");
            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().contains("[redpanda_config] replication_factor = 3 needs as many brokers"),
                    r.out() + r.err());
        } finally {
            Files.delete(dir.resolve("models/clicks.jsh"));
        }
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
