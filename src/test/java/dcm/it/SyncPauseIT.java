package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.Wait;
import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.Lease;
import dcm.clickhouse.SyncPause;
import dcm.config.ProjectConfig;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.ingest.Ingestor;
import dcm.ingest.Schema;
import dcm.kafka.Broker;
import dcm.sync.SyncManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SyncPause} against the real servers: a pause holds a busy sync (acknowledged, nothing inserted while the
 * producer goes on) and its resume lands every record exactly once; a pause left by a pauser that went away holds a
 * sync started later until anybody resumes it; a pause with no sync returns at once; one whose sync never
 * acknowledges times out, names that sync and leaves nothing paused.
 */
class SyncPauseIT {
    private static final String TABLE = "Ev_1_0";
    @TempDir
    Path dir;

    @Test
    void aPauseHoldsABusySyncAndItsResumeLandsEveryRecordOnce() throws Exception {
        pauseWhileProducing(false);
    }

    @Test
    void aPauseReturnsOnlyOnceTheInsertsInFlightLanded() throws Exception {
        // every insert takes half a second (a view that sleeps): the pause comes in the middle of one
        pauseWhileProducing(true);
    }

    /**
     * A sync lands what a producer sends without a break; a pause made meanwhile is acknowledged, and the table's
     * count stays where it was when the pause returned while 5,000 more records are sent; after the resume, every
     * record sent is in the table once.
     */
    private void pauseWhileProducing(boolean slowInserts) throws Exception {
        TestServers.Isolated iso = TestServers.isolated("sp");
        String db = iso.db();
        SyncProject project = SyncProject.apply(dir, iso.env(), db, Map.of("ev.jsh", StreamIT.MODEL.replace(
                "IngestPipeline<>(\"Ev\", Ev.class)", "IngestPipeline<>(\"Ev\", Ev.class).partitions(2)")));
        ProjectConfig config = project.config();
        ModelSpec model = project.model("Ev");
        if (slowInserts) {
            TestServers.get().clickhouse().execute("CREATE MATERIALIZED VIEW " + Sql.table(db, "slow_inserts")
                    + " ENGINE = Null AS SELECT sleep(0.5) AS " + Sql.id("s") + " FROM " + Sql.table(db, TABLE));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        try (ClickHouse ch = new ClickHouse(config.clickhouse()); ClickHouse pauser = iso.clickhouse();
             Broker broker = new Broker(config.broker());
             SyncManager sync = new SyncManager(config, ch, broker, 5_000, 200);
             Ingestor ingestor = new Ingestor(config.broker(), 1)) {
            assertEquals(1, sync.start(List.of(model)));
            Thread producer = new Thread(() -> produce(ingestor, model, stop, sent));
            producer.start();
            try {
                Wait.until("the sync inserting the producer's records", Duration.ofSeconds(60),
                        () -> RowCount.rows(ch, db, TABLE), n -> n >= 3_000);
                // another client, as a backfill in another process would pause
                SyncPause pauses = new SyncPause(pauser);
                SyncPause.Pause pause = pauses.pause(List.of(TABLE), "test-pauser", 30_000);
                long held = RowCount.rows(ch, db, TABLE);
                long sentAtPause = sent.get();
                List<SyncPause.Paused> standing = pauses.paused();
                assertEquals(1, standing.size(), standing.toString());
                assertEquals("test-pauser", standing.get(0).pauser());
                assertEquals(1, standing.get(0).acknowledgedBy().size(), standing.toString());
                assertTrue(standing.get(0).acknowledgedBy().get(0).startsWith("sync@"), standing.toString());
                assertEquals(1, sync.pauses().size());
                // the count is looked at on every poll of the wait, while the producer sends 5,000 more records
                List<Long> counts = new ArrayList<>();
                Wait.until("5,000 more records sent while the sync is paused, the table counted 10 times or more",
                        Duration.ofSeconds(120), () -> {
                            counts.add(RowCount.rows(ch, db, TABLE));
                            return sent.get();
                        }, n -> n >= sentAtPause + 5_000 && counts.size() >= 10);
                assertEquals(Set.of(held), new HashSet<>(counts), "rows while paused, at each look: " + counts);
                // a pause of this kind is not the local `sync pause`
                assertFalse(sync.status().get(0).paused(), sync.status().toString());
                pause.resume();
                pause.resume();
                assertEquals(List.of(), pauses.paused());
                Wait.until("the sync inserting again after the resume", Duration.ofSeconds(60),
                        () -> RowCount.rows(ch, db, TABLE), n -> n > held);
                long sentAtResume = sent.get();
                Wait.until("2,000 more records sent after the resume", Duration.ofSeconds(60), sent::get,
                        n -> n >= sentAtResume + 2_000);
            } finally {
                stop.set(true);
                producer.join(60_000);
            }
            assertFalse(producer.isAlive(), "the producer stopped");
            assertTrue(sync.awaitIdle(120_000), "the sync caught up: " + sync.status());
            assertEquals(sent.get() + "\t" + sent.get(), RowCount.rowsAndDistinct(ch, db, TABLE, "id"));
        } finally {
            iso.drop();
        }
    }

    @Test
    void aPauseLeftStandingHoldsASyncStartedLaterUntilAnybodyResumesIt() throws Exception {
        TestServers.Isolated iso = TestServers.isolated("sl");
        String db = iso.db();
        SyncProject project = SyncProject.apply(dir, iso.env(), db, Map.of("ev.jsh", StreamIT.MODEL));
        ProjectConfig config = project.config();
        ModelSpec model = project.model("Ev");
        try (ClickHouse ch = new ClickHouse(config.clickhouse()); Broker broker = new Broker(config.broker());
             SyncManager sync = new SyncManager(config, ch, broker, 5_000, 200);
             Ingestor ingestor = new Ingestor(config.broker(), 1)) {
            SyncPause pauses = new SyncPause(ch);
            // a pauser that never resumes (it crashed): no sync runs, so nothing to wait for
            pauses.pause(List.of(TABLE), "crashed-pauser", 30_000);
            SyncProject.send(ingestor, model, "a", 0, 2_000, 200);
            assertEquals(1, sync.start(List.of(model)));
            Wait.until("the new sync acknowledging the standing pause", Duration.ofSeconds(60),
                    pauses::paused, p -> p.size() == 1 && p.get(0).acknowledgedBy().size() == 1);
            // longer than the sync would take to insert them (batches of 200 ms at most)
            List<Long> counts = new ArrayList<>();
            Wait.until("the table counted 15 times while the pause stands", Duration.ofSeconds(60), () -> {
                counts.add(RowCount.rows(ch, db, TABLE));
                return counts.size();
            }, n -> n >= 15);
            assertEquals(Set.of(0L), new HashSet<>(counts), "rows under a pause, at each look: " + counts);
            assertEquals(1, pauses.resume(List.of(TABLE)));
            assertEquals(List.of(), pauses.paused());
            RowCount.await(ch, db, TABLE, null, 2_000, Duration.ofSeconds(60));
            assertTrue(sync.awaitIdle(60_000), "the sync caught up: " + sync.status());
            assertEquals("2000\t2000", RowCount.rowsAndDistinct(ch, db, TABLE, "id"));
        } finally {
            iso.drop();
        }
    }

    @Test
    void aPauseWithNoSyncRunningReturnsAtOnce() {
        TestServers.Isolated iso = TestServers.isolated("sn");
        try (ClickHouse ch = iso.clickhouse()) {
            ch.execute("CREATE DATABASE " + Sql.id(iso.db()));
            SyncPause pauses = new SyncPause(ch);
            long start = System.nanoTime();
            SyncPause.Pause pause = pauses.pause(List.of("A_1_0", "B_1_0"), "test", 60_000);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 5_000, "a pause with no sync to wait for took " + ms + " ms");
            assertEquals(List.of("A_1_0", "B_1_0"), pauses.paused().stream().map(SyncPause.Paused::table).sorted()
                    .toList());
            pause.close();
            assertEquals(List.of(), pauses.paused());
        } finally {
            iso.drop();
        }
    }

    @Test
    void aSyncThatNeverAcknowledgesTimesOutNamingItAndLeavesNothingPaused() {
        TestServers.Isolated iso = TestServers.isolated("sa");
        try (ClickHouse ch = iso.clickhouse()) {
            ch.execute("CREATE DATABASE " + Sql.id(iso.db()));
            Lease leases = new Lease(ch);
            leases.ensure();
            // a live sync of another host (never taken for crashed) that never looks at the pauses
            String owner = "sync@elsewhere.invalid:1:deadbeef";
            assertTrue(leases.acquire(Lease.syncLease(iso.db(), TABLE), owner, 60_000).isEmpty());
            SyncPause pauses = new SyncPause(ch);
            SyncPause.NotAcknowledged e = assertThrows(SyncPause.NotAcknowledged.class,
                    () -> pauses.pause(List.of(TABLE, "Other_1_0"), "test", 500));
            assertEquals(Map.of(TABLE, owner), e.syncs());
            assertTrue(e.getMessage().contains(TABLE + " (" + owner + ") did not acknowledge the pause within 500 ms"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("nothing stays paused"), e.getMessage());
            assertEquals(List.of(), pauses.paused());
        } finally {
            iso.drop();
        }
    }

    /** Sends records in transactions of 200 until stopped (each a new id, so duplicates would show). */
    private static void produce(Ingestor ingestor, ModelSpec model, AtomicBoolean stop, AtomicLong sent) {
        Schema schema = new Schema(model);
        for (int start = 0; !stop.get(); start += 200) {
            ingestor.send(model.topic().name(), schema, SyncProject.events(schema, "r", start, start + 200));
            sent.addAndGet(200);
        }
    }
}
