package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dev mode against the real servers: a saved model file is applied at once; a drop waits for consent. */
class DevIT {
    @TempDir
    Path dir;

    @Test
    void savingAModelAppliesSafeChangesAndHoldsBackDrops() throws Exception {
        TestServers.Isolated iso = TestServers.isolated("dev");
        String db = iso.db();
        Map<String, String> env = iso.env();
        TestProjects.create(dir, Map.of("d.jsh", "record D(@Key String id, int gone) {}\nnew OlapTable<>(\"D\","
                + " D.class);\n"));
        CompletableFuture<TestProjects.Run> dev = CompletableFuture.supplyAsync(() ->
                TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c", "dev --for 8"));
        var ch = TestServers.get().clickhouse();
        waitFor(() -> count(ch, "SELECT count() FROM system.tables WHERE database = '" + db + "' AND name = 'D_1_0'")
                == 1);
        Files.writeString(dir.resolve("models/d.jsh"), "record D(@Key String id, String added) {}\n"
                + "new OlapTable<>(\"D\", D.class);\n");
        TestProjects.Run r = dev.get();
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("+ added: String (after id)"), r.out());
        assertTrue(r.out().contains("dev: left for `apply --allow-destructive`: 1 destructive operation(s)"), r.out());
        assertTrue(r.out().contains("left dev mode after 1 reload(s)"), r.out());
        assertEquals(1, count(ch, "SELECT count() FROM system.columns WHERE database = '" + db
                + "' AND table = 'D_1_0' AND name = 'added'"));
        assertEquals(1, count(ch, "SELECT count() FROM system.columns WHERE database = '" + db
                + "' AND table = 'D_1_0' AND name = 'gone'"), "the drop waits for consent");
        ch.execute("DROP DATABASE `" + db + "`");
    }

    private static long count(dcm.clickhouse.ClickHouse ch, String sql) {
        return Long.parseLong(ch.scalar(sql + " FORMAT TabSeparated"));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out");
            Thread.sleep(100);
        }
    }
}
