package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import dcm.api.ModelAssembler;
import dcm.clickhouse.ClickHouse;
import dcm.config.ConfigEdit;
import dcm.core.Dialect;
import dcm.jshell.ModelWorkspace;
import dcm.migrate.VersionSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions side by side on the real servers: after a bump and a changed model, apply creates the new version's
 * table, fills it from the old one through the mapping (rename, conversion, default, dropped column), carries
 * later rows of the old version over, moves the alias, and a second plan is empty.
 */
class VersionsIT {
    static final String V10 = "record Users(@Key String id, String name, String age, int legacy) {}\n"
            + "new OlapTable<>(\"Users\", Users.class);\n";
    static final String V11 = "record Users(@Key String id, @RenamedFrom(\"name\") String fullName, short age,"
            + " @Default(\"'nl'\") String country) {}\nnew OlapTable<>(\"Users\", Users.class);\n";
    @TempDir
    Path dir;
    TestServers.Isolated iso;
    ClickHouse ch;
    String db;

    @BeforeEach
    void setUp() {
        iso = TestServers.isolated("versions");
        db = iso.db();
        ch = iso.clickhouse();
        TestProjects.create(dir, Map.of("users.jsh", V10));
    }

    @AfterEach
    void tearDown() {
        iso.drop();
        ch.close();
    }

    private String one(String sql) {
        return ch.scalar(sql + " FORMAT TabSeparated");
    }

    private void insert(int from, int n) {
        ch.execute("INSERT INTO `" + db + "`.`Users_1_0` SELECT toString(number), concat('n', toString(number)),"
                + " toString(number % 100), 7 FROM system.numbers LIMIT " + n + " OFFSET " + from);
    }

    /** What bump does (snapshot, config), done by hand: the models at 1.0 are frozen, the project moves to 1.1. */
    static void freeze(Path dir, String namespace, String old, String next) throws Exception {
        try (ModelWorkspace w = new ModelWorkspace(dir, new ModelAssembler.Settings(old, namespace, 604_800_000L,
                Dialect.LEGACY_18_16))) {
            w.reload();
            new VersionSnapshots(dir).save(old, w.models());
        }
        Path toml = dir.resolve("moose.config.toml");
        Files.writeString(toml, ConfigEdit.bump(Files.readString(toml), old, "", next));
    }

    @Test
    void aNewVersionIsFilledFromTheOldOneAndKeepsGettingItsRows() throws Exception {
        iso.ok(dir, "apply --yes");
        insert(0, 5000);
        freeze(dir, db, "1.0", "1.1");
        Files.writeString(dir.resolve("models/users.jsh"), V11);

        TestProjects.Run plan = iso.ok(dir, "plan");
        assertTrue(plan.out().contains("+ create table Users_1_1"), plan.out());
        assertTrue(plan.out().contains("+ backfill Users_1_1 from Users_1_0 (5000 rows) through mapping 1.0 -> 1.1"),
                plan.out());
        assertTrue(plan.out().contains("fullName <- `name`"), plan.out());
        assertTrue(plan.out().contains("+ view Users_migrate__1_0__1_1: Users_1_0 -> Users_1_1"), plan.out());

        TestProjects.Run apply = iso.ok(dir, "apply --yes");
        assertTrue(apply.err().contains("parity: Users_1_0 5000 rows, Users_1_1 5000 rows")
                || apply.out().contains("parity: Users_1_0 5000 rows, Users_1_1 5000 rows"), apply.out() + apply.err());
        assertEquals("5000", one("SELECT count() FROM `" + db + "`.`Users_1_1`"));
        assertEquals("5000\t5000\t4950", one("SELECT count(), countIf(country = 'nl'), countIf(fullName = concat('n',"
                + " id) AND age = toUInt64(id) % 100 AND age > 0) + countIf(age = 0) - 50 FROM `" + db + "`.`Users_1_1`"));
        // rows still written to 1.0 reach 1.1 in the same insert; nothing goes back
        insert(5000, 1000);
        assertEquals("6000", one("SELECT count() FROM `" + db + "`.`Users_1_1`"));
        ch.execute("INSERT INTO `" + db + "`.`Users_1_1` (id, fullName, age, country) VALUES ('x', 'y', 1, 'de')");
        assertEquals("6000", one("SELECT count() FROM `" + db + "`.`Users_1_0`"));
        assertEquals("6001", one("SELECT count() FROM `" + db + "`.`Users`"));
        assertTrue(iso.ok(dir, "plan").out().contains("no changes"), "a second plan is empty");
    }

    @Test
    void aValueALaterVersionWouldRefuseIsRefusedWhenItArrivesAtTheOldVersion() throws Exception {
        Files.writeString(dir.resolve("models/users.jsh"), V10.replace("OlapTable", "IngestPipeline"));
        iso.ok(dir, "apply --yes");
        freeze(dir, db, "1.0", "1.1");
        Files.writeString(dir.resolve("models/users.jsh"), V11.replace("OlapTable", "IngestPipeline"));
        iso.ok(dir, "apply --yes");
        Files.writeString(dir.resolve("rows.jsonl"), "{\"id\":\"a\",\"name\":\"A\",\"age\":\"41\",\"legacy\":1}\n"
                + "{\"id\":\"b\",\"name\":\"B\",\"age\":\"70000\",\"legacy\":1}\n"
                + "{\"id\":\"c\",\"name\":\"C\",\"age\":\"+3\",\"legacy\":1}\n");
        TestProjects.Run r = iso.shell(dir, "ingest Users@1.0 rows.jsonl");
        assertEquals(1, r.exitCode(), "some records were rejected");
        String said = r.out() + r.err();
        TestProjects.Run synced = iso.ok(dir, "sync start; sync wait; sync status");
        said += synced.out() + synced.err();
        assertTrue(said.contains("field 'age': '70000' is out of the range of Int16 (-32768 to 32767): version 1.1"
                + " converts age to age Int16 and would refuse it"), said);
        assertTrue(said.contains("field 'age': '+3' is not written as 3"), said);
        // the valid record reached both versions, the refused ones neither (nothing half stored in 1.0)
        assertEquals("1", one("SELECT count() FROM `" + db + "`.`Users_1_0`"), said + ch.text("SELECT * FROM `"
                + db + "`.`Users_1_0` FORMAT TSV", false));
        assertEquals("a\tA\t41\tnl", one("SELECT id, fullName, age, country FROM `" + db + "`.`Users_1_1`"));
    }

    @Test
    void aVersionThatChangesNothingSharesTheOlderTableUntilTheModelChanges() throws Exception {
        iso.ok(dir, "apply --yes");
        insert(0, 100);
        freeze(dir, db, "1.0", "1.1");
        assertTrue(iso.ok(dir, "plan").out().contains("no changes"), "1.1 shares Users_1_0");
        freeze(dir, db, "1.1", "1.2");
        Files.writeString(dir.resolve("models/users.jsh"), V11);
        TestProjects.Run plan = iso.ok(dir, "plan");
        // 1.1 is 1.0's table: the step into 1.2 reads it, named after the tables it joins
        assertTrue(plan.out().contains("+ backfill Users_1_2 from Users_1_0 (100 rows) through mapping 1.0 -> 1.2"),
                plan.out());
        iso.ok(dir, "apply --yes");
        assertEquals("100", one("SELECT count() FROM `" + db + "`.`Users`"));
        insert(100, 10);
        assertEquals("110", one("SELECT count() FROM `" + db + "`.`Users_1_2`"));
        assertEquals("0", one("SELECT count() FROM system.tables WHERE database = '" + db + "' AND name = 'Users_1_1'"));
    }

    @Test
    void rowsTheMappingRefusesStopTheBackfillBeforeAnyViewAndAFixedTableIsFilledByTheNextApply() throws Exception {
        iso.ok(dir, "apply --yes");
        insert(0, 100);
        ch.execute("INSERT INTO `" + db + "`.`Users_1_0` VALUES ('big', 'B', '70000', 7)");
        freeze(dir, db, "1.0", "1.1");
        Files.writeString(dir.resolve("models/users.jsh"), V11);
        TestProjects.Run refused = iso.shell(dir, "apply --yes");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("the mapping 1.0 -> 1.1 refuses rows of Users_1_0 (column age); nothing was"
                + " changed"), refused.err());
        assertEquals("0", one("SELECT count() FROM system.tables WHERE database = '" + db + "' AND name ="
                + " 'Users_migrate__1_0__1_1'"), "no view carries rows it would refuse");
        assertTrue(one("SELECT create_table_query FROM system.tables WHERE database = '" + db + "' AND name = 'Users'")
                .contains("Users_1_0"), "the alias stays");
        ch.execute("ALTER TABLE `" + db + "`.`Users_1_0` DELETE WHERE id = 'big'");
        dcm.Wait.until("the delete", java.time.Duration.ofSeconds(30), () -> "100".equals(one("SELECT count() FROM `"
                + db + "`.`Users_1_0`")));
        assertTrue(iso.ok(dir, "plan").out().contains("+ backfill Users_1_1 from Users_1_0 (100 rows)"));
        iso.ok(dir, "apply --yes");
        assertEquals("100", one("SELECT count() FROM `" + db + "`.`Users`"));
    }
}
