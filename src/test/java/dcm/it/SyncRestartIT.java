package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.Wait;
import dcm.clickhouse.ClickHouse;
import dcm.config.ProjectConfig;
import dcm.core.ModelSpec;
import dcm.ingest.Ingestor;
import dcm.ingest.Schema;
import dcm.kafka.Broker;
import dcm.sync.SyncManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 records ingested while the sync runs, with the broker and then ClickHouse restarted in the middle:
 * the table ends with every record exactly once.
 */
class SyncRestartIT {
    @TempDir
    Path dir;

    @Test
    void restartingBrokerAndClickHouseDuringASyncLosesNothing() throws Exception {
        TestServers servers = TestServers.get();
        TestServers.Isolated iso = TestServers.isolated("sr");
        String db = iso.db();
        Map<String, String> env = iso.env();
        SyncProject project = SyncProject.apply(dir, env, db, Map.of("ev.jsh", StreamIT.MODEL.replace(
                "IngestPipeline<>(\"Ev\", Ev.class)", "IngestPipeline<>(\"Ev\", Ev.class).partitions(3)")));
        ProjectConfig config = project.config();
        ModelSpec model = project.model("Ev");
        Schema schema = new Schema(model);
        int total = 100_000;
        try (ClickHouse ch = new ClickHouse(config.clickhouse()); Broker broker = new Broker(config.broker());
             SyncManager sync = new SyncManager(config, ch, broker, 5_000, 200);
             Ingestor ingestor = new Ingestor(config.broker(), 2)) {
            assertEquals(1, sync.start(List.of(model)));
            AtomicLong sent = new AtomicLong();
            Thread producer = new Thread(() -> produce(ingestor, schema, model, total, sent));
            producer.start();
            try {
                restartWhileSending(servers, sent, producer, total);
            } finally {
                // a failed test leaves no producer retrying against a closed ingestor
                producer.interrupt();
            }
            assertTrue(sync.awaitIdle(180_000), "the sync caught up: " + sync.status());
            assertEquals(total + "\t" + total, RowCount.rowsAndDistinct(ch, db, "Ev_1_0", "id"));
        } finally {
            servers.clickhouse().execute("DROP DATABASE IF EXISTS `" + db + "`");
        }
    }

    /** Restarts the broker once 30,000 records are sent and ClickHouse once 60,000 are; waits for the rest. */
    private static void restartWhileSending(TestServers servers, AtomicLong sent, Thread producer, int total)
            throws Exception {
        Wait.until("30,000 records sent before the broker restarts", Duration.ofMinutes(5), sent::get,
                n -> n >= 30_000);
        servers.restartBroker();
        Wait.until("60,000 records sent before ClickHouse restarts", Duration.ofMinutes(5), sent::get,
                n -> n >= 60_000);
        servers.restartClickHouse();
        producer.join(300_000);
        assertEquals(total, sent.get(), "records sent (the producer is " + (producer.isAlive() ? "still running)"
                : "done)"));
    }

    @Test
    void aTopicDeletedAndCreatedAgainUnderARunningSyncIsReadFromItsStart() throws Exception {
        recreate(false);
    }

    @Test
    void aTopicCreatedAgainWhileTheSyncIsPausedIsReadFromItsStartNotFromTheOldPosition() throws Exception {
        // the new topic holds more records than the old position: a consumer going on from there would skip them
        recreate(true);
    }

    @Test
    void aTopicCreatedAgainWhileNoSyncRanIsReadFromItsStart() throws Exception {
        // Kafka 4.1 drops a deleted topic's group offsets; a broker that kept them (or a commit of the old topic's
        // last batch that went through after the new one existed) would leave offsets of the old topic, which
        // the commits' metadata names by id, so recovery reads the new topic from its start either way
        TestServers.Isolated iso = TestServers.isolated("rs");
        String db = iso.db();
        SyncProject project = SyncProject.apply(dir, iso.env(), db, Map.of("ev.jsh", StreamIT.MODEL));
        ProjectConfig config = project.config();
        ModelSpec model = project.model("Ev");
        try (ClickHouse ch = new ClickHouse(config.clickhouse()); Broker broker = new Broker(config.broker());
             Ingestor ingestor = new Ingestor(config.broker(), 1)) {
            try (SyncManager sync = new SyncManager(config, ch, broker, 5_000, 200)) {
                assertEquals(1, sync.start(List.of(model)));
                SyncProject.send(ingestor, model, "a", 0, 3000, 100);
                assertTrue(sync.awaitIdle(60_000), "the first records landed: " + sync.status());
            }
            createAgain(broker, model, config);
            SyncProject.send(ingestor, model, "b", 0, 4000, 100);
            try (SyncManager sync = new SyncManager(config, ch, broker, 5_000, 200)) {
                assertEquals(1, sync.start(List.of(model)));
                assertTrue(sync.awaitIdle(120_000), "the sync caught up with the new topic: " + sync.status());
            }
            assertEquals("7000\t7000", RowCount.rowsAndDistinct(ch, db, "Ev_1_0", "id"));
        } finally {
            TestServers.get().clickhouse().execute("DROP DATABASE IF EXISTS `" + db + "`");
        }
    }

    /**
     * 3,000 records land, the topic is deleted and created again (while the sync is paused, or not), and records
     * go to the new one (4,000 when paused: more than the old topic's end, 500 otherwise): all land exactly once.
     */
    private void recreate(boolean paused) throws Exception {
        TestServers.Isolated iso = TestServers.isolated("rc");
        String db = iso.db();
        Map<String, String> env = iso.env();
        SyncProject project = SyncProject.apply(dir, env, db, Map.of("ev.jsh", StreamIT.MODEL));
        ProjectConfig config = project.config();
        ModelSpec model = project.model("Ev");
        try (ClickHouse ch = new ClickHouse(config.clickhouse()); Broker broker = new Broker(config.broker());
             SyncManager sync = new SyncManager(config, ch, broker, 5_000, 200);
             Ingestor ingestor = new Ingestor(config.broker(), 1)) {
            assertEquals(1, sync.start(List.of(model)));
            SyncProject.send(ingestor, model, "a", 0, 3000, 100);
            assertTrue(sync.awaitIdle(60_000), "the first records landed: " + sync.status());
            if (paused) {
                sync.pause(model.ref());
            }
            // the old topic ended at offset 3,000 or more (records and transaction markers); the new one starts at 0
            createAgain(broker, model, config);
            int more = paused ? 4000 : 500;
            SyncProject.send(ingestor, model, "b", 0, more, 100);
            if (paused) {
                sync.resume(model.ref());
            }
            assertTrue(sync.awaitIdle(120_000), "the sync caught up with the new topic: " + sync.status());
            assertEquals((3000 + more) + "\t" + (3000 + more), RowCount.rowsAndDistinct(ch, db, "Ev_1_0", "id"));
        } finally {
            TestServers.get().clickhouse().execute("DROP DATABASE IF EXISTS `" + db + "`");
        }
    }

    /** Deletes the model's topic and creates it again, empty, as it was: the same name and partitions, a new id. */
    private static void createAgain(Broker broker, ModelSpec model, ProjectConfig config) {
        broker.deleteTopic(model.topic().name());
        broker.createTopic(model.topic().name(), model.topic().partitions(), config.broker().replicationFactor(),
                model.topic().retentionMs());
    }

    /** Sends the records in transactions of 1,000, retrying a refused one: an aborted transaction left nothing. */
    private static void produce(Ingestor ingestor, Schema schema, ModelSpec model, int total, AtomicLong sent) {
        for (int start = 0; start < total && !Thread.currentThread().isInterrupted(); start += 1000) {
            List<ObjectNode> chunk = SyncProject.events(schema, "r", start, start + 1000);
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    ingestor.send(model.topic().name(), schema, chunk);
                    break;
                } catch (IllegalStateException e) {
                    // a back-off before sending the chunk again, as producers do (not a wait for a condition)
                    sleep(500);
                }
            }
            if (!Thread.currentThread().isInterrupted()) {
                sent.addAndGet(chunk.size());
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
