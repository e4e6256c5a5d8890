package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell killed right after a batch landed in ClickHouse, before its offsets were committed. */
class SyncCrashIT {
    @TempDir
    Path dir;

    @Test
    void aCrashBetweenInsertAndCommitNeitherLosesNorDuplicates() throws Exception {
        TestServers servers = TestServers.get();
        TestServers.Isolated iso = TestServers.isolated("sc");
        String db = iso.db();
        Map<String, String> env = iso.env();
        TestProjects.create(dir, Map.of("ev.jsh", StreamIT.MODEL));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            lines.append("{\"id\":\"c").append(i).append("\",\"user\":\"u\",\"n\":1,\"at\":0}\n");
        }
        Files.writeString(dir.resolve("ev.jsonl"), lines);
        try {
            TestProjects.Run r = TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c",
                    "apply --yes; ingest Ev ev.jsonl");
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(137, TestProjects.launch(dir, env, "sync start; sync wait", "sync-after-insert"));
            long landed = Long.parseLong(servers.clickhouse().scalar("SELECT count() FROM `" + db + "`.Ev_1_0"
                    + " FORMAT TabSeparated"));
            assertTrue(landed > 0, "the crash came after a batch landed");
            r = TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c", "sync start; sync wait; sync status");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("after a crash, skipped ") && r.out().contains(" record offset(s) already in the"
                    + " table"), r.out());
            assertEquals("20000\t20000", servers.clickhouse().scalar("SELECT count(), uniqExact(id) FROM `" + db
                    + "`.Ev_1_0 FORMAT TabSeparated"));
        } finally {
            servers.clickhouse().execute("DROP DATABASE IF EXISTS `" + db + "`");
        }
    }

}
