package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import dcm.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
                TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c", "dev --for 15"));
        var ch = TestServers.get().clickhouse();
        Wait.until("dev to create D_1_0", Duration.ofSeconds(20), () -> RowCount.of(ch, "SELECT count() FROM"
                + " system.tables WHERE database = '" + db + "' AND name = 'D_1_0'") == 1);
        Files.writeString(dir.resolve("models/d.jsh"), "record D(@Key String id, String added) {}\n"
                + "new OlapTable<>(\"D\", D.class);\n");
        Wait.until("dev to add the column D_1_0.added", Duration.ofSeconds(20), () -> RowCount.of(ch, "SELECT"
                + " count() FROM system.columns WHERE database = '" + db + "' AND table = 'D_1_0' AND name = 'added'")
                == 1);
        // a save that changes nothing: no question again, no view dropped and re-created
        Files.writeString(dir.resolve("models/d.jsh"), "// unchanged\nrecord D(@Key String id, String added) {}\n"
                + "new OlapTable<>(\"D\", D.class);\n");
        TestProjects.Run r = dev.get();
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("+ added: String (after id)"), r.out());
        assertTrue(r.out().matches("(?s).*dev: applied \\d operation\\(s\\); 1 destructive operation\\(s\\) left for"
                + " `apply --allow-destructive`.*"), r.out());
        assertTrue(r.out().contains("dev: up to date; 1 destructive operation(s) left for `apply"
                + " --allow-destructive`"), r.out());
        assertTrue(r.out().matches("(?s).*left dev mode after [2-9] reload\\(s\\).*"), r.out());
        assertEquals(1, r.out().split("- gone: Int32", -1).length - 1, "the drop is shown once:\n" + r.out());
        assertEquals(1, r.out().split("- D: drop view D\n", -1).length - 1, "the view is re-created once:\n" + r.out());
        assertEquals(1, RowCount.of(ch, "SELECT count() FROM system.columns WHERE database = '" + db
                + "' AND table = 'D_1_0' AND name = 'added'"));
        assertEquals(1, RowCount.of(ch, "SELECT count() FROM system.columns WHERE database = '" + db
                + "' AND table = 'D_1_0' AND name = 'gone'"), "the drop waits for consent");
        ch.execute("DROP DATABASE `" + db + "`");
    }

}
