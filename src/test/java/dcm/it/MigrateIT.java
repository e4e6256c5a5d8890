package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import dcm.Wait;
import dcm.clickhouse.ClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan / apply against the real ClickHouse and broker: data kept, protection, drift, crash and resume. */
class MigrateIT {
    @TempDir
    Path dir;
    String db;
    Map<String, String> env;
    ClickHouse ch;
    TestServers.Isolated iso;

    @BeforeEach
    void setUp() {
        iso = TestServers.isolated("mig");
        db = iso.db();
        env = iso.env();
        ch = iso.clickhouse();
        TestProjects.create(dir, Map.of());
    }

    @AfterEach
    void tearDown() {
        ch.execute("DROP DATABASE IF EXISTS `" + db + "`");
        ch.close();
    }

    private void model(String text) throws Exception {
        Files.writeString(dir.resolve("models/t.jsh"), text);
    }

    private TestProjects.Run shell(String commands) {
        return iso.shell(dir, commands);
    }

    private TestProjects.Run ok(String commands) {
        return iso.ok(dir, commands);
    }

    private String one(String sql) {
        return ch.scalar(sql + " FORMAT TabSeparated");
    }

    private void seed(int rows) throws Exception {
        model("record T(@Key String id, String name, String age, long score) {}\n"
                + "new OlapTable<>(\"T\", T.class).orderBy(\"id\");\n");
        ok("apply --yes");
        ch.execute("INSERT INTO `" + db + "`.`T_1_0` SELECT toString(number), concat('n', toString(number)),"
                + " toString(number % 90), number FROM system.numbers LIMIT " + rows);
    }

    @Test
    void addDropRetypeRenameAndReorderKeyKeepEveryRow() throws Exception {
        seed(10_000);
        model("record T(@Key String id, @RenamedFrom(\"name\") String fullName, int age, long score,"
                + " @Default(\"'nl'\") String country) {}\nnew OlapTable<>(\"T\", T.class).orderBy(\"id\");\n");
        TestProjects.Run r = ok("plan; apply --yes");
        assertTrue(r.out().contains("~ name -> fullName: String (rename, data kept)"), r.out());
        assertTrue(r.out().contains("~ age: String -> Int32"), r.out());
        assertEquals("10000\t" + ageSum(10_000) + "\t10000\t49995000\t10000",
                one("SELECT count(), sum(age), uniqExact(fullName), sum(score), countIf(country = 'nl') FROM `" + db
                        + "`.T"));
        assertEquals("n77", one("SELECT fullName FROM `" + db + "`.T_1_0 WHERE id = '77'"));

        model("record T(@Key String id, String fullName, int age, long score, String country) {}\n"
                + "new OlapTable<>(\"T\", T.class).orderBy(\"age\", \"id\");\n");
        r = ok("apply --yes");
        assertTrue(r.out().contains("rebuild keeping every row: ORDER BY id -> age, id"), r.out());
        assertEquals("age, id", one("SELECT sorting_key FROM system.tables WHERE database = '" + db
                + "' AND name = 'T_1_0'"));
        assertEquals("10000\t" + ageSum(10_000) + "\t49995000", one("SELECT count(), sum(age), sum(score) FROM `" + db + "`.T_1_0"));

        model("record T(@Key String id, int age, long score, String country) {}\n"
                + "new OlapTable<>(\"T\", T.class).orderBy(\"age\", \"id\");\n");
        r = shell("apply --yes");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("the plan drops data; nothing was applied") && r.err().contains("- T_1_0:"
                + " fullName: String"), r.err());
        ok("apply --yes --allow-destructive; plan");
        assertEquals("10000\t0", one("SELECT count(), countIf(position(toString(age), 'x') > 0) FROM `" + db
                + "`.T"));
        assertEquals("id,age,score,country", one("SELECT arrayStringConcat(groupArray(name), ',') FROM system.columns"
                + " WHERE database = '" + db + "' AND table = 'T_1_0'"));
    }

    @Test
    void planSqlShowsARebuildAsItRunsNamingTheOldTableApplyKeeps() throws Exception {
        model("record P(@Key String id, long score) {}\n"
                + "new OlapTable<>(\"P\", P.class).lifeCycle(DELETION_PROTECTED);\n");
        ok("apply --yes");
        ch.execute("INSERT INTO `" + db + "`.`P_1_0` VALUES ('a', 1), ('b', 2)");
        model("record P(@Key String id, long score) {}\n"
                + "new OlapTable<>(\"P\", P.class).orderBy(\"score\", \"id\").lifeCycle(DELETION_PROTECTED);\n");
        TestProjects.Run r = ok("plan --sql --save");
        String planId = r.out().replaceAll("(?s).*saved plan (\\w+) to.*", "$1");
        String old = "P_1_0__dcm_old_" + planId + "_1";
        assertTrue(r.out().contains("RENAME TABLE `" + db + "`.`P_1_0` TO `" + db + "`.`" + old + "`, `" + db
                + "`.`P_1_0__dcm_new` TO `" + db + "`.`P_1_0`"), r.out());
        assertTrue(r.out().contains("-- kept: `" + db + "`.`" + old + "` (DELETION_PROTECTED)"), r.out());
        r = ok("apply --yes; plan");
        assertEquals("2\t2", one("SELECT (SELECT count() FROM `" + db + "`.P_1_0), (SELECT count() FROM `" + db
                + "`.`" + old + "`)"));
        // the columns stay as they are: the alias view is not re-created, and reads the rebuilt table
        assertTrue(!r.out().contains("view P") && r.out().contains("no changes"), r.out());
        assertEquals("2", one("SELECT count() FROM `" + db + "`.P WHERE score > 0"));
    }

    @Test
    void aTypeChangeThatDoesNotConvertIsRefusedWithEvidence() throws Exception {
        seed(100);
        ch.execute("INSERT INTO `" + db + "`.`T_1_0` VALUES ('bad', 'x', 'twelve', 1)");
        model("record T(@Key String id, String name, int age, long score) {}\nnew OlapTable<>(\"T\", T.class);\n");
        TestProjects.Run r = shell("apply --yes");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("1 row(s) of T_1_0.age do not convert from String to Int32; nothing was changed"),
                r.err());
        assertTrue(r.err().contains("-> live value: 'twelve' does not convert to Int32"), r.err());
        assertEquals("String", one("SELECT type FROM system.columns WHERE database = '" + db
                + "' AND table = 'T_1_0' AND name = 'age'"));
    }

    @Test
    void narrowingThatWouldWrapValuesIsRefused() throws Exception {
        seed(10);
        ch.execute("INSERT INTO `" + db + "`.`T_1_0` VALUES ('big', 'x', '1', 70000)");
        model("record T(@Key String id, String name, String age, @ClickHouseType(\"UInt16\") long score) {}\n"
                + "new OlapTable<>(\"T\", T.class);\n");
        TestProjects.Run r = shell("apply --yes");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("1 row(s) of T_1_0.score do not convert from Int64 to UInt16"), r.err());
        assertTrue(r.err().contains("live value: '70000' does not convert to UInt16"), r.err());
    }

    @Test
    void theSameOperationsPlannedAgainLaterAreAppliedAgain() throws Exception {
        model("record T(@Key String id) {}\nnew OlapTable<>(\"T\", T.class);\n");
        ok("apply --yes");
        String withX = "record T(@Key String id, int x) {}\nnew OlapTable<>(\"T\", T.class);\n";
        model(withX);
        ok("apply --yes");
        model("record T(@Key String id) {}\nnew OlapTable<>(\"T\", T.class);\n");
        ok("apply --yes --allow-destructive");
        model(withX);
        TestProjects.Run r = ok("apply --yes; plan");
        assertTrue(!r.out().contains("(already applied)"), r.out());
        assertTrue(r.out().contains("no changes"), r.out());
        assertEquals("1", one("SELECT count() FROM system.columns WHERE database = '" + db + "' AND table = 'T_1_0'"
                + " AND name = 'x'"));
    }

    @Test
    void aProtectedTableIsNeverDropped() throws Exception {
        model("record P(@Key String id) {}\nnew OlapTable<>(\"P\", P.class).lifeCycle(DELETION_PROTECTED);\n"
                + "record F(@Key String id) {}\nnew OlapTable<>(\"F\", F.class);\n");
        ok("apply --yes");
        ch.execute("INSERT INTO `" + db + "`.`P_1_0` VALUES ('keep')");
        model("record Q(@Key String id) {}\nnew OlapTable<>(\"Q\", Q.class);\n");
        TestProjects.Run r = ok("plan; apply --yes --allow-destructive");
        assertTrue(r.out().contains("~ P_1_0 (protected) ⚠ no model wants it any more, but it was created"
                + " DELETION_PROTECTED: not dropped"), r.out());
        assertTrue(r.out().contains("- drop table F_1_0"), r.out());
        assertEquals("1", one("SELECT count() FROM `" + db + "`.P_1_0"));
        assertEquals("0", one("SELECT count() FROM system.tables WHERE database = '" + db + "' AND name = 'F_1_0'"));
    }

    @Test
    void driftBetweenSaveAndApplyIsRefusedWithTheReport() throws Exception {
        model("record T(@Key String id, String a) {}\nnew Stream<>(\"T\", T.class);\nnew OlapTable<>(\"T\", T.class);\n");
        ok("apply --yes");
        model("record T(@Key String id, String a, String b) {}\nnew Stream<>(\"T\", T.class);\n"
                + "new OlapTable<>(\"T\", T.class);\n");
        ok("plan --save");
        ch.execute("ALTER TABLE `" + db + "`.`T_1_0` ADD COLUMN sneaky UInt8");
        ch.execute("CREATE VIEW `" + db + "`.`V` AS SELECT 1 AS one");
        TestProjects.Run r = shell("apply migrations/plan.json");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("the database or broker changed since plan.json was made; nothing was applied"),
                r.err());
        assertTrue(r.err().contains("-> table T_1_0 column sneaky -> expected: absent -> live: UInt8"), r.err());
        assertTrue(r.err().contains("-> view V appeared -> expected: absent -> live: View"), r.err());
        assertTrue(r.err().contains("hint: make a new plan with `plan --save`"), r.err());
        assertEquals("0", one("SELECT count() FROM system.columns WHERE database = '" + db + "' AND name = 'b'"));
        ch.execute("ALTER TABLE `" + db + "`.`T_1_0` DROP COLUMN sneaky");
        ch.execute("DROP TABLE `" + db + "`.`V`");
        assertTrue(ok("apply migrations/plan.json").out().contains("applied 3 operation(s)"));
        assertTrue(ok("apply migrations/plan.json").out().contains("already at target"));
    }

    @Test
    void killedAtEveryStepTheSavedPlanResumesWithNothingLostOrRepeated() throws Exception {
        seed(5_000);
        model("record T(@Key String id, @RenamedFrom(\"name\") String fullName, int age, long score, String c) {}\n"
                + "new OlapTable<>(\"T\", T.class).orderBy(\"age\", \"id\");\n"
                + "new Stream<>(\"T\", T.class);\n");
        TestProjects.Run planned = ok("plan --save");
        int steps = Integer.parseInt(planned.out().replaceAll("(?s).*\\n(\\d+) operation\\(s\\).*", "$1"));
        assertTrue(steps >= 3, planned.out());
        for (int k = 1; k <= steps; k++) {
            TestProjects.Run run = TestProjects.launch(dir, env, "apply migrations/plan.json", "after-step:" + k);
            assertEquals(137, run.exitCode(), "the failpoint halts the shell after step " + k + "\n" + run.out()
                    + run.err());
        }
        TestProjects.Run r = ok("apply migrations/plan.json; plan");
        assertTrue(r.out().contains("no changes"), r.out());
        assertEquals("5000\t" + ageSum(5_000) + "\t12497500\t5000", one("SELECT count(), sum(age), sum(score), uniqExact(fullName)"
                + " FROM `" + db + "`.T"));
        String journaled = one("SELECT count(), uniqExact(plan_id, step) FROM `" + db + "`._dcm_journal WHERE item = ''");
        assertEquals(journaled.split("\t")[1] + "\t" + journaled.split("\t")[1], journaled, "no step journaled twice");
    }

    @Test
    void rebuildUnderConcurrentInsertsLosesAndDuplicatesNothing() throws Exception {
        seed(2_000);
        Writer writer = new Writer(2_000, "w", 1, 2);
        writer.awaitMore("the first inserts");
        model("record T(@Key String id, String name, String age, long score) {}\n"
                + "new OlapTable<>(\"T\", T.class).orderBy(\"age\", \"id\");\n");
        long beforeApply = writer.inserted();
        TestProjects.Run r = ok("apply --yes");
        assertTrue(writer.inserted() > beforeApply, "rows were inserted while apply ran");
        writer.awaitMore("inserts after the apply");
        long inserted = writer.stop();
        assertTrue(r.out().contains("rebuild keeping every row"), r.out());
        assertEquals(inserted + "\t" + inserted,
                RowCount.rowsAndDistinct(ch, db, "T_1_0", "id"));
    }

    @Test
    void aRebuildCutOffAfterItsSwapIsFinishedByTheNextApplyUnderLiveInserts() throws Exception {
        seed(3_000);
        Writer writer = new Writer(3_000, "x", 3, 1);
        writer.awaitMore("the first inserts");
        model("record T(@Key String id, String name, String age, long score) {}\n"
                + "new OlapTable<>(\"T\", T.class).orderBy(\"score\", \"id\");\n");
        TestProjects.Run cut = TestProjects.launch(dir, env, "apply --yes", "rebuild-after-swap");
        assertEquals(137, cut.exitCode(), cut.out() + cut.err());
        // rows arrive in the swapped table while the rebuild is cut off, before the next apply finishes it
        writer.awaitMore("inserts after the cut-off apply");
        TestProjects.Run r = ok("apply --yes; plan");
        long inserted = writer.stop();
        assertTrue(r.out().contains("resuming the interrupted rebuild of T_1_0"), r.out());
        assertTrue(r.out().contains("no changes"), r.out());
        assertEquals(inserted + "\t" + inserted, RowCount.rowsAndDistinct(ch, db, "T_1_0", "id"));
        assertEquals("0", one("SELECT count() FROM system.tables WHERE database = '" + db + "' AND name LIKE"
                + " 'T_1_0__dcm%'"));
    }

    @Test
    void aRebuildCutOffBeforeItsSwapIsUndone() throws Exception {
        seed(1_000);
        model("record T(@Key String id, String name, String age, long score) {}\n"
                + "new OlapTable<>(\"T\", T.class).orderBy(\"score\", \"id\");\n");
        TestProjects.Run cut = TestProjects.launch(dir, env, "apply --yes", "rebuild-after-bulk");
        assertEquals(137, cut.exitCode(), cut.out() + cut.err());
        TestProjects.Run r = ok("apply --yes; plan");
        assertTrue(r.out().contains("undoing the interrupted rebuild of T_1_0"), r.out());
        assertTrue(r.out().contains("no changes"), r.out());
        assertEquals("1000", one("SELECT count() FROM `" + db + "`.T_1_0"));
        assertEquals("score, id", one("SELECT sorting_key FROM system.tables WHERE database = '" + db
                + "' AND name = 'T_1_0'"));
    }

    @Test
    void oneApplyAtATime() throws Exception {
        model("record T(@Key String id) {}\nnew OlapTable<>(\"T\", T.class);\n");
        ok("plan");
        new dcm.migrate.Journal(ch).ensure();
        new dcm.migrate.Journal(ch).lock("someone-else", 60_000);
        TestProjects.Run r = shell("apply --yes");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("another apply is running (someone-else)"), r.err());
        new dcm.migrate.Journal(ch).unlock("someone-else");
        ok("apply --yes");
    }

    /**
     * A producer writing into T_1_0 until stopped, counting what ClickHouse acknowledged; a failed insert (the
     * table is briefly missing during a rebuild's swap) is retried, as producers do.
     */
    private final class Writer {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong inserted;
        private final Thread thread;

        Writer(long seeded, String prefix, int age, int rowsPerInsert) {
            inserted = new AtomicLong(seeded);
            thread = new Thread(() -> {
                try (ClickHouse w = iso.clickhouse()) {
                    for (long i = 0; !stop.get(); i++) {
                        StringBuilder rows = new StringBuilder();
                        for (int k = 0; k < rowsPerInsert; k++) {
                            rows.append("{\"id\":\"").append(prefix).append(i).append('_').append(k)
                                    .append("\",\"name\":\"w\",\"age\":\"").append(age + k).append("\",\"score\":1}\n");
                        }
                        try {
                            w.insertJsonEachRow("T_1_0", rows.toString().getBytes());
                            inserted.addAndGet(rowsPerInsert);
                        } catch (RuntimeException e) {
                            // a back-off before the retry, as producers do (not a wait for a condition)
                            sleep(5);
                        }
                    }
                }
            });
            thread.start();
        }

        /** The rows ClickHouse acknowledged so far (seeded + written). */
        long inserted() {
            return inserted.get();
        }

        /** Waits until ClickHouse acknowledged more rows than now. */
        void awaitMore(String what) {
            long now = inserted();
            Wait.until(what + " (more than " + now + " rows acknowledged)", Duration.ofSeconds(30), this::inserted,
                    n -> n > now);
        }

        /** Stops writing; returns the rows in the table by now (seeded + written). */
        long stop() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
            // a writer still running could insert after the count the test compares with
            assertFalse(thread.isAlive(), "the writer did not stop in 10 s");
            return inserted.get();
        }
    }

    /** The sum of the seeded ages, number % 90 for the first n numbers. */
    private static long ageSum(int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += i % 90;
        }
        return sum;
    }



    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
