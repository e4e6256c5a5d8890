package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell killed (halted, as kill -9) at points of a sync, then started again: every record lands exactly once.
 * What was committed is not inserted again; the batches in flight (named in the commits' metadata with their
 * inserts' query ids) are looked up in ClickHouse's query log: those that landed are skipped, the others inserted
 * again, and `sync status` says so instead of reporting possible duplicates. Offsets the broker forgot are found
 * in the landed log.
 */
class SyncCrashIT {
    private static final int RECORDS = 20_000;

    @TempDir
    Path dir;

    /** What the restarted shell said and what the table holds afterwards. */
    private record After(String status, long rows, long distinct) {}

    private After crashAndRestart(String prefix, String failpoint, Map<String, String> extraEnv) throws Exception {
        TestServers servers = TestServers.get();
        TestServers.Isolated iso = TestServers.isolated(prefix);
        Map<String, String> env = new HashMap<>(iso.env());
        env.putAll(extraEnv);
        TestProjects.create(dir, Map.of("ev.jsh", StreamIT.MODEL));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < RECORDS; i++) {
            lines.append("{\"id\":\"c").append(i).append("\",\"user\":\"u\",\"n\":1,\"at\":0}\n");
        }
        Files.writeString(dir.resolve("ev.jsonl"), lines);
        try {
            TestProjects.Run r = TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c",
                    "apply --yes; ingest Ev ev.jsonl");
            assertEquals(0, r.exitCode(), r.err());
            TestProjects.Run crashed = TestProjects.launch(dir, env, "sync start; sync wait", failpoint);
            assertEquals(137, crashed.exitCode(), crashed.out() + crashed.err());
            long landed = RowCount.rows(servers.clickhouse(), iso.db(), "Ev_1_0");
            assertTrue(landed > 0 && landed < RECORDS, "the crash came in the middle: " + landed + " rows landed");
            r = TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c",
                    "sync start; sync wait; sync status");
            assertEquals(0, r.exitCode(), r.err());
            String[] counts = RowCount.rowsAndDistinct(servers.clickhouse(), iso.db(), "Ev_1_0", "id").split("\t");
            return new After(r.out(), Long.parseLong(counts[0]), Long.parseLong(counts[1]));
        } finally {
            servers.clickhouse().execute("DROP DATABASE IF EXISTS `" + iso.db() + "`");
        }
    }

    @Test
    void aCrashRightAfterACommitInsertsNothingTwice() throws Exception {
        // batches of 2,000 rows: the crash comes right after the commit past the 4th batch; the 5th may be in the
        // middle of its insert (the marks are written alongside), the 6th was noted as about to be inserted
        // whether a batch was in flight at the crash depends on timing: only the exact counts are certain
        After a = crashAndRestart("sc", "sync-after-insert@4", Map.of("MOOSE_SYNC_CONFIG__BATCH_ROWS", "2000"));
        assertEquals(RECORDS, a.distinct(), "nothing lost: " + a.status());
        assertEquals(RECORDS, a.rows(), "nothing twice: " + a.status());
        assertFalse(a.status().contains("possible duplicates"), a.status());
    }

    @Test
    void aCrashBetweenTheInsertAndItsCommitInsertsNothingTwice() throws Exception {
        // the window at-least-once left open: the 3rd batch is in the table, the commit past it not yet written
        After a = crashAndRestart("sd", "sync-after-data@3", Map.of("MOOSE_SYNC_CONFIG__BATCH_ROWS", "2000"));
        assertExactlyOnce(a);
        assertTrue(a.status().matches("(?s).*the query log says [1-9]\\d* of them landed.*"), a.status());
    }

    @Test
    void aBatchWhoseInsertNeverRanIsInsertedOnce() throws Exception {
        // the intent names the 3rd batch, then the shell dies before inserting it: the query log has no insert of
        // it, so it is read and inserted again, once
        After a = crashAndRestart("sb", "sync-before-insert@3", Map.of("MOOSE_SYNC_CONFIG__BATCH_ROWS", "2000"));
        assertExactlyOnce(a);
        assertTrue(a.status().matches("(?s).*the query log says \\d+ of them landed .* and [1-9]\\d* did not.*"),
                a.status());
    }

    @Test
    void aKillAtARandomMomentInsertsEveryRecordOnce() throws Exception {
        TestServers servers = TestServers.get();
        TestServers.Isolated iso = TestServers.isolated("sk");
        Map<String, String> env = new HashMap<>(iso.env());
        env.put("MOOSE_SYNC_CONFIG__BATCH_ROWS", "1000");
        TestProjects.create(dir, Map.of("ev.jsh", StreamIT.MODEL));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < RECORDS; i++) {
            lines.append("{\"id\":\"k").append(i).append("\",\"user\":\"u\",\"n\":1,\"at\":0}\n");
        }
        Files.writeString(dir.resolve("ev.jsonl"), lines);
        try {
            TestProjects.Run r = TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c",
                    "apply --yes; ingest Ev ev.jsonl");
            assertEquals(0, r.exitCode(), r.err());
            // killed (SIGKILL, the JVM and its launcher) once a random share of the records landed: in the middle
            // of an insert, of a commit, or between them
            long at = 1 + new java.util.Random().nextInt(RECORDS / 2);
            ProcessBuilder pb = new ProcessBuilder(TestProjects.launcher().toString(), "--project", dir.toString(),
                    "--no-infra", "-c", "sync start; sync wait").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("killed.out").toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            long deadline = System.currentTimeMillis() + 120_000;
            long landed = 0;
            while (p.isAlive() && (landed = RowCount.rows(servers.clickhouse(), iso.db(), "Ev_1_0")) < at) {
                assertTrue(System.currentTimeMillis() < deadline, "no " + at + " rows after 120 s: " + landed);
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "killed");
            r = TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c",
                    "sync start; sync wait; sync status");
            assertEquals(0, r.exitCode(), r.err());
            String[] counts = RowCount.rowsAndDistinct(servers.clickhouse(), iso.db(), "Ev_1_0", "id").split("\t");
            String why = "killed at " + landed + " rows: " + r.out();
            System.out.println("SyncCrashIT: " + why);
            assertEquals(RECORDS, Long.parseLong(counts[1]), "nothing lost, " + why);
            assertEquals(RECORDS, Long.parseLong(counts[0]), "nothing twice, " + why);
            assertFalse(r.out().contains("possible duplicates"), why);
        } finally {
            servers.clickhouse().execute("DROP DATABASE IF EXISTS `" + iso.db() + "`");
        }
    }

    /** Every record once, and no possible duplicates reported (the query log decided). */
    private static void assertExactlyOnce(After a) {
        assertEquals(RECORDS, a.distinct(), "nothing lost: " + a.status());
        assertEquals(RECORDS, a.rows(), "nothing twice: " + a.status());
        assertFalse(a.status().contains("possible duplicates"), a.status());
        assertTrue(a.status().contains("the sync stopped with batches in flight; the query log says"), a.status());
    }

    @Test
    void offsetsTheBrokerForgotAreFoundInTheLandedLog() throws Exception {
        // a group's offsets expire after days without a commit; then the landed log in ClickHouse says where the
        // sync stopped, and nothing is read from the topic's start again
        TestServers servers = TestServers.get();
        TestServers.Isolated iso = TestServers.isolated("so");
        TestProjects.create(dir, Map.of("ev.jsh", StreamIT.MODEL));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < RECORDS; i++) {
            lines.append("{\"id\":\"o").append(i).append("\",\"user\":\"u\",\"n\":1,\"at\":0}\n");
        }
        Files.writeString(dir.resolve("ev.jsonl"), lines);
        Files.writeString(dir.resolve("more.jsonl"), "{\"id\":\"m1\",\"user\":\"u\",\"n\":1,\"at\":0}\n"
                + "{\"id\":\"m2\",\"user\":\"u\",\"n\":1,\"at\":0}\n");
        try {
            TestProjects.Run r = TestProjects.shell(iso.env(), "", "--project", dir.toString(), "--no-infra", "-c",
                    "apply --yes; ingest Ev ev.jsonl; sync start; sync wait");
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(RECORDS, RowCount.rows(servers.clickhouse(), iso.db(), "Ev_1_0"));
            String group = "dcm-sync." + iso.db() + ".Ev_1_0";
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                    Map.of("bootstrap.servers", "localhost:29092"))) {
                admin.deleteConsumerGroups(java.util.List.of(group)).all().get();
                assertTrue(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().isEmpty());
            }
            r = TestProjects.shell(iso.env(), "", "--project", dir.toString(), "--no-infra", "-c",
                    "ingest Ev more.jsonl; sync start; sync wait; sync status");
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(RECORDS + 2, RowCount.rows(servers.clickhouse(), iso.db(), "Ev_1_0"), "each record once: "
                    + r.out());
            assertTrue(r.out().contains("skipped ") && r.out().contains("already in the table (the landed log is"
                    + " ahead of the committed offsets)"), r.out());
        } finally {
            servers.clickhouse().execute("DROP DATABASE IF EXISTS `" + iso.db() + "`");
        }
    }

}
