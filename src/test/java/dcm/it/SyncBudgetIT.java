package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.Wait;
import dcm.clickhouse.ClickHouse;
import dcm.config.ProjectConfig;
import dcm.core.ModelSpec;
import dcm.ingest.Ingestor;
import dcm.kafka.Broker;
import dcm.sync.SyncBudget;
import dcm.sync.SyncManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syncs under a small memory budget ({@code [sync_config] memory_mb = 6}): small fetches and batches (handed over in
 * the middle of a poll when full), and a second sync starting while the first one lands a backlog, which halves the
 * first one's share (it makes a new consumer with the smaller fetch size in the middle of the backlog). Every record
 * lands exactly once in both tables.
 */
class SyncBudgetIT {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aSecondSyncHalvesTheFirstOnesShareWithoutLosingOrDuplicatingARecord() throws Exception {
        TestServers servers = TestServers.get();
        TestServers.Isolated iso = TestServers.isolated("sb");
        String db = iso.db();
        Map<String, String> env = new HashMap<>(iso.env());
        env.put("MOOSE_SYNC_CONFIG__MEMORY_MB", "6");
        SyncProject project = SyncProject.apply(dir, env, db, Map.of("ev.jsh", StreamIT.MODEL,
                "ew.jsh", StreamIT.MODEL.replace("Ev", "Ew")));
        ProjectConfig config = project.config();
        ModelSpec ev = project.model("Ev");
        ModelSpec ew = project.model("Ew");
        int total = 150_000;
        try (ClickHouse ch = new ClickHouse(config.clickhouse()); Broker broker = new Broker(config.broker());
             SyncManager sync = new SyncManager(config, ch, broker, 100_000, 200);
             Ingestor ingestor = new Ingestor(config.broker(), 2)) {
            // a backlog first, so the first sync is in the middle of it when the second one starts
            SyncProject.send(ingestor, ev, "r", 0, total, 5000);
            assertEquals(1, sync.start(List.of(ev)));
            assertEquals(SyncBudget.share(6 * MIB, 1), sync.share());
            // the second sync starts once the first one is landing its backlog, not before
            Wait.until("the first sync to land rows", Duration.ofSeconds(60), () -> rows(sync, "Ev@1.0"), n -> n > 0);
            long before = memory(sync, "Ev@1.0");
            assertEquals(1, sync.start(List.of(ev, ew)));
            assertTrue(rows(sync, "Ev@1.0") < total, "the second sync started in the middle of the first one's backlog");
            SyncProject.send(ingestor, ew, "r", 0, 10_000, 5000);
            assertTrue(sync.awaitIdle(120_000), "the syncs caught up: " + sync.status());
            SyncBudget half = SyncBudget.share(6 * MIB, 2);
            assertEquals(half, sync.share());
            long after = memory(sync, "Ev@1.0");
            assertTrue(after < before && after == half.heldBytes(),
                    "the first sync now holds its smaller share: " + before + " -> " + after);
            // no batch outgrew its cap (the one share or the other) by more than a record, though polls bring
            // up to a fetch of records at once
            long largest = status(sync, "Ev@1.0").largestBatchBytes();
            assertTrue(largest > 0 && largest <= SyncBudget.share(6 * MIB, 1).batchBytes() + 200,
                    "largest batch " + largest + " bytes");
            assertEquals(total + "\t" + total, RowCount.rowsAndDistinct(ch, db, "Ev_1_0", "id"));
            assertEquals("10000\t10000", RowCount.rowsAndDistinct(ch, db, "Ew_1_0", "id"));
        } finally {
            servers.clickhouse().execute("DROP DATABASE IF EXISTS `" + db + "`");
        }
    }

    private static long rows(SyncManager sync, String ref) {
        return sync.status().stream().filter(s -> s.model().equals(ref)).mapToLong(SyncManager.Status::rows).sum();
    }

    private static SyncManager.Status status(SyncManager sync, String ref) {
        return sync.status().stream().filter(s -> s.model().equals(ref)).findFirst().orElseThrow();
    }

    private static long memory(SyncManager sync, String ref) {
        return status(sync, ref).memoryBytes();
    }
}
