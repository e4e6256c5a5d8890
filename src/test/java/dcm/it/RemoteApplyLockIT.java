package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import dcm.app.AdminService;
import dcm.clickhouse.ClickHouse;
import dcm.config.ConfigLoader;
import dcm.migrate.Journal;
import dcm.remote.AdminHandler;
import dcm.shell.Session;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In the REPL, `serve` runs in the background: a remote apply (an HTTP thread, {@link AdminService}) can meet an
 * apply typed at the prompt of the same process. The journal's apply lock keeps them apart there too: each apply's
 * owner has a nonce of its own, and a holder of this very (live) process is never taken for a crashed one.
 */
class RemoteApplyLockIT {
    @TempDir
    Path dir;
    TestServers.Isolated iso;
    ClickHouse ch;

    @BeforeEach
    void setUp() throws Exception {
        iso = TestServers.isolated("ral");
        ch = iso.clickhouse();
        TestProjects.create(dir, Map.of());
        Files.writeString(dir.resolve("models/t.jsh"), "record T(@Key String id) {}\nnew OlapTable<>(\"T\","
                + " T.class);\n");
    }

    @AfterEach
    void tearDown() {
        iso.drop();
        ch.close();
    }

    @Test
    void aRemoteApplyIsRefusedWhileAnApplyOfTheSameProcessHoldsTheLock() throws Exception {
        iso.ok(dir, "plan --save");
        byte[] plan = Files.readAllBytes(dir.resolve("migrations/plan.json"));
        Journal journal = new Journal(ch);
        journal.ensure();
        // what a local `apply` at serve's prompt takes: an owner of this very process
        String local = Journal.owner();
        journal.lock(local, 60_000);
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        try (Session s = new Session(ConfigLoader.load(dir, iso.env()), iso.env(),
                new PrintStream(notes, true, StandardCharsets.UTF_8), false, false)) {
            AdminService admin = new AdminService(s, () -> { });
            AdminHandler.Failure f = assertThrows(AdminHandler.Failure.class,
                    () -> admin.apply(plan, false, line -> { }, () -> false));
            assertEquals("APPLY_FAILED", f.code(), f.getMessage());
            assertTrue(f.getMessage().contains("another apply is running (" + local + ")"), f.getMessage());
            assertFalse(ch.tableExists("T_1_0"), "nothing applied while the other apply holds the lock");
            journal.unlock(local);
            Map<String, Object> done = admin.apply(plan, false, line -> { }, () -> false);
            assertEquals(dcm.migrate.PlanJson.parse(plan, "the plan").operations().size(), done.get("applied"),
                    done.toString());
            assertTrue(ch.tableExists("T_1_0"));
        }
    }
}
