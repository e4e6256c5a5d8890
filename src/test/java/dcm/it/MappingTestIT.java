package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import dcm.app.AppError;
import dcm.app.Listener;
import dcm.app.MappingTests;
import dcm.app.Project;
import dcm.clickhouse.ClickHouse;
import dcm.config.ConfigLoader;
import dcm.config.ProjectConfig;
import dcm.jshell.ModelWorkspace;
import dcm.kafka.Broker;
import dcm.migrate.MappingReport;
import dcm.migrate.MappingReport.Kind;
import dcm.migrate.ScratchTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code test-mapping} on the real ClickHouse: each report kind on a crafted sample, an {@code --expect} mismatch
 * exits 1 with the diff, no scratch table outlives the command (after a stop or a failure too, and a dead process's
 * are swept), and a chain 1.0 -> 1.2 gives the rows the continuous migration gives.
 */
class MappingTestIT {
    static final String V10 = VersionsIT.V10;
    static final String V11 = "record Users(@Key String id, String name, short age, byte level, @Nullable String nick)"
            + " {}\nnew OlapTable<>(\"Users\", Users.class);\n";
    static final String MAPPING = "SELECT\n    `id` AS `id`,\n    substring(`name`, 1, 3) AS `name`,\n"
            + "    CAST(`age` AS Int16) AS `age`,\n    toInt8(`legacy`) AS `level`,\n"
            + "    nullIf(`id`, 'b') AS `nick`\nFROM {source}\n";
    static final String SAMPLE = "{\"id\":\"a\",\"name\":\"Alice\",\"age\":\"30\",\"legacy\":1}\n"
            + "{\"id\":\"b\",\"name\":\"Bob\",\"age\":\"41\",\"legacy\":300}\n"
            + "{\"id\":\"c\",\"name\":\"Cy\",\"age\":\"abc\",\"legacy\":2}\n"
            + "{\"id\":\"d\",\"name\":\"Di\",\"age\":\"5\",\"legacy\":256}\n";
    @TempDir
    Path dir;
    TestServers.Isolated iso;
    ClickHouse ch;

    @BeforeEach
    void setUp() throws Exception {
        iso = TestServers.isolated("mtest");
        ch = iso.clickhouse();
        TestProjects.create(dir, Map.of("users.jsh", V10));
        ch.execute("CREATE DATABASE IF NOT EXISTS `" + iso.db() + "`");
    }

    @AfterEach
    void tearDown() {
        iso.drop();
        ch.close();
    }

    private void crafted() throws Exception {
        VersionsIT.freeze(dir, iso.db(), "1.0", "1.1");
        Files.writeString(dir.resolve("models/users.jsh"), V11);
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/Users__1_0__1_1.sql"), MAPPING);
        Files.writeString(dir.resolve("sample.jsonl"), SAMPLE);
    }

    @Test
    void eachKindIsReportedWithItsRowAndInputAndNoScratchTableOutlivesTheCommand() throws Exception {
        crafted();
        TestProjects.Run r = iso.ok(dir, "test-mapping Users --sample sample.jsonl");
        String out = r.out();
        assertTrue(out.contains("row 3, age: abc (Cannot parse string 'abc' as Int16"), out);
        assertTrue(out.contains("row 2, nick: b -> NULL"), out);
        assertTrue(out.contains("row 4, level: 256 -> 0"), out);
        assertTrue(out.contains("row 1, name: Alice -> Ali"), out);
        assertTrue(out.contains("row 2, level: 300 -> 44"), out);
        assertTrue(out.contains("row 3: id=c, name=Cy, age=abc, legacy=2 (age: Cannot parse"), out);
        assertTrue(out.contains("failed to convert: 1 value(s) (age: 1)"), out);
        assertTrue(out.contains("became default or null: 2 value(s) (level: 1, nick: 1)"), out);
        assertTrue(out.contains("truncated or overflowed: 2 value(s) (name: 1, level: 1)"), out);
        assertTrue(out.contains("rows dropped: 1 of 4"), out);
        // side by side: changed values marked, the dropped row said
        assertTrue(out.contains("Ali *"), out);
        assertTrue(out.contains("(dropped)"), out);
        assertEquals(List.of(), ScratchTables.present(ch));
        // plan runs the same check on generated rows for the backfill it plans
        TestProjects.Run plan = iso.ok(dir, "plan");
        assertTrue(plan.out().contains("mapping test Users 1.0 -> 1.1 on "), plan.out());
        assertTrue(plan.out().contains("failed to convert: row "), plan.out());
        assertEquals(List.of(), ScratchTables.present(ch));
    }

    @Test
    void anExpectMismatchExitsOneWithTheDiff() throws Exception {
        crafted();
        String good = "{\"id\":\"a\",\"name\":\"Ali\",\"age\":30,\"level\":1,\"nick\":\"a\"}\n"
                + "{\"id\":\"b\",\"name\":\"Bob\",\"age\":41,\"level\":44,\"nick\":null}\n"
                + "{\"id\":\"d\",\"name\":\"Di\",\"age\":5,\"level\":0,\"nick\":\"d\"}\n";
        Files.writeString(dir.resolve("expected.jsonl"), good);
        TestProjects.Run ok = iso.ok(dir, "test-mapping Users --sample sample.jsonl --expect expected.jsonl");
        assertTrue(ok.out().contains("output equals the expected rows"), ok.out() + ok.err());
        Files.writeString(dir.resolve("expected.jsonl"), good.replace("\"level\":44", "\"level\":300"));
        TestProjects.Run bad = iso.shell(dir, "test-mapping Users --sample sample.jsonl --expect expected.jsonl");
        assertEquals(1, bad.exitCode(), bad.out() + bad.err());
        String said = bad.out() + bad.err();
        assertTrue(said.contains("@@ output row 2 @@\n-{\"id\":\"b\",\"name\":\"Bob\",\"age\":41,\"level\":300,"
                + "\"nick\":null}\n+{\"id\":\"b\",\"name\":\"Bob\",\"age\":41,\"level\":44,\"nick\":null}"), said);
        assertTrue(said.contains("error: the output differs from the expected rows"), said);
        assertEquals(List.of(), ScratchTables.present(ch));
    }

    @Test
    void aStoppedOrFailedTestLeavesNoScratchTableAndADeadProcessesAreSwept() throws Exception {
        crafted();
        String dead = ScratchTables.PREFIX + ScratchTables.hostTag() + "_999999999_deadbeef_in";
        ch.execute("CREATE TABLE `" + iso.db() + "`.`" + dead + "` (x UInt8) ENGINE = Memory");
        ProjectConfig config = ConfigLoader.load(dir, iso.env());
        try (ModelWorkspace w = new ModelWorkspace(dir, new dcm.api.ModelAssembler.Settings("1.1", iso.db(),
                604_800_000L, ch.dialect())); Broker broker = new Broker(config.broker())) {
            w.reload();
            Project p = project(config, w, broker);
            MappingTests.Request req = new MappingTests.Request("Users", null, null, dir.resolve("sample.jsonl"), 0,
                    0, null, 20);
            // Ctrl-C once the sample is in: stopped, its tables dropped
            boolean[] stop = {false};
            Listener stopping = new Listener() {
                public void progress(String line) {
                    stop[0] |= line.startsWith("sample:");
                }

                public boolean stopRequested() {
                    return stop[0];
                }
            };
            AppError e = assertThrows(AppError.class, () -> new MappingTests(p, stopping).test(req));
            assertEquals(AppError.Code.MAPPING_TEST, e.code());
            assertEquals(List.of(), ScratchTables.present(ch), "the dead process's table is swept, ours dropped");
            // a failure in the middle (here: a listener that throws) drops them too
            Listener failing = line -> {
                throw new IllegalArgumentException("boom");
            };
            assertThrows(IllegalArgumentException.class, () -> new MappingTests(p, failing).test(req));
            assertEquals(List.of(), ScratchTables.present(ch));
            MappingReport ok = new MappingTests(p, line -> { }).test(req).report();
            assertEquals(1, ok.count(Kind.DROPPED));
            assertEquals(List.of(), ScratchTables.present(ch));
        }
    }

    @Test
    void generatedEdgeValuesCoverEachColumnAndLiveRowsReadTheOldTable() throws Exception {
        iso.ok(dir, "apply --yes");
        ch.execute("INSERT INTO `" + iso.db() + "`.`Users_1_0` VALUES ('x', 'Xavier', '12', 7), ('y', 'Y', '-', 1),"
                + " ('z', 'Z', 'zz', 1)");
        crafted();
        TestProjects.Run gen = iso.ok(dir, "test-mapping Users --rows 40");
        assertTrue(gen.out().contains("generated rows"), gen.out());
        assertTrue(gen.out().contains("2147483647"), "Int32 max of legacy: " + gen.out());
        assertTrue(gen.out().contains("-2147483648"), gen.out());
        assertTrue(gen.out().contains("ünïcødé"), gen.out());
        assertTrue(gen.out().contains("age: 70000"), gen.out());
        TestProjects.Run live = iso.ok(dir, "test-mapping Users --live 10");
        assertTrue(live.out().contains("on the last 10 rows of Users_1_0"), live.out());
        // by the ORDER BY key, last first: z, y, x
        assertTrue(live.out().contains("row 3, name: Xavier -> Xav"), live.out());
        assertTrue(live.out().contains("row 2, age: - -> 0"), "18.16 reads '-' as 0: " + live.out());
        assertTrue(live.out().contains("row 1, age: zz (Cannot parse"), live.out());
        assertEquals(List.of(), ScratchTables.present(ch));
    }

    @Test
    void aChainTestGivesTheRowsTheContinuousMigrationGives() throws Exception {
        iso.ok(dir, "apply --yes");
        VersionsIT.freeze(dir, iso.db(), "1.0", "1.1");
        Files.writeString(dir.resolve("models/users.jsh"), VersionsIT.V11);
        iso.ok(dir, "apply --yes");
        VersionsIT.freeze(dir, iso.db(), "1.1", "1.2");
        Files.writeString(dir.resolve("models/users.jsh"), "record Users(@Key String id, String fullName, int age,"
                + " String country, @Default(\"'free'\") String plan) {}\nnew OlapTable<>(\"Users\", Users.class);\n");
        iso.ok(dir, "apply --yes");
        String sample = "{\"id\":\"a\",\"name\":\"Ann\",\"age\":\"30\",\"legacy\":1}\n"
                + "{\"id\":\"b\",\"name\":\"\",\"age\":\"-7\",\"legacy\":2}\n"
                + "{\"id\":\"c\",\"name\":\"ünï\",\"age\":\"32767\",\"legacy\":3}\n";
        Files.writeString(dir.resolve("sample.jsonl"), sample);
        // the continuous migration: rows inserted into 1.0 reach 1.2 through the views
        ch.insertJsonEachRow("Users_1_0", sample.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String migrated = ch.text("SELECT id, fullName, age, country, plan FROM `" + iso.db() + "`.`Users_1_2` ORDER BY"
                + " id FORMAT JSONEachRow", false);
        assertEquals(3, migrated.lines().count(), migrated);
        Files.writeString(dir.resolve("expected.jsonl"), migrated);
        TestProjects.Run r = iso.ok(dir, "test-mapping Users --from 1.0 --to 1.2 --sample sample.jsonl --expect"
                + " expected.jsonl");
        assertTrue(r.out().contains("Users 1.0 -> 1.2 (composed, Users_1_0 -> Users_1_2)"), r.out());
        assertTrue(r.out().contains("output equals the expected rows"), r.out());
        assertEquals(List.of(), ScratchTables.present(ch));
    }

    private Project project(ProjectConfig config, ModelWorkspace w, Broker broker) {
        return new Project() {
            public ProjectConfig config() {
                return config;
            }

            public ModelWorkspace workspace() {
                return w;
            }

            public ClickHouse clickhouse() {
                return ch;
            }

            public Broker broker() {
                return broker;
            }
        };
    }
}
