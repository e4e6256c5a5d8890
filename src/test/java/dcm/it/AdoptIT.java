package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import dcm.clickhouse.ClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects dcm did not create are never changed by surprise: a hand-made table and view with a model's names are
 * shown as foreign, untouched by apply (drops allowed) and never dropped when the model goes, until `adopt`.
 */
class AdoptIT {
    private static final String MODELS = "record T(@Key String id, String city) {}\nnew OlapTable<>(\"T\", T.class);\n"
            + "record U(@Key String id) {}\nnew OlapTable<>(\"U\", U.class);\n";
    @TempDir
    Path dir;
    TestServers.Isolated iso;
    ClickHouse ch;
    String db;

    @BeforeEach
    void setUp() {
        iso = TestServers.isolated("adopt");
        db = iso.db();
        ch = iso.clickhouse();
        TestProjects.create(dir, Map.of("t.jsh", MODELS));
    }

    @AfterEach
    void tearDown() {
        iso.drop();
        ch.close();
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

    private String columns(String table) {
        return one("SELECT arrayStringConcat(groupArray(name), ',') FROM system.columns WHERE database = '" + db
                + "' AND table = '" + table + "'");
    }

    @Test
    void aHandMadeTableIsForeignUntouchedAndNeverDroppedUntilAdopted() throws Exception {
        ch.execute("CREATE DATABASE `" + db + "`");
        ch.execute("CREATE TABLE `" + db + "`.`T_1_0` (id String, extra Int64) ENGINE = MergeTree() ORDER BY id");
        ch.execute("INSERT INTO `" + db + "`.`T_1_0` SELECT toString(number), number FROM system.numbers LIMIT 1000");
        ch.execute("CREATE VIEW `" + db + "`.`T` AS SELECT * FROM `" + db + "`.`T_1_0`");
        TestProjects.Run r = shell("adopt U");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("U does not exist: nothing to adopt"), r.err());

        r = ok("plan");
        assertTrue(r.out().contains("⚠ FOREIGN T_1_0: table T_1_0 exists but was not created by dcm: nothing is"
                + " planned on it, nor on the alias view T; differs: + city: String (after id); - extra: Int64"),
                r.out());
        assertTrue(r.out().contains("fix: `adopt T_1_0` to let dcm manage it (then `plan` shows the changes)"),
                r.out());
        assertTrue(r.out().contains("⚠ FOREIGN T: view T exists but was not created by dcm: nothing is planned on"
                + " it; it matches the model"), r.out());
        assertEquals(java.util.List.of("+ create table U_1_0 (1 columns, ORDER BY id)",
                "+ create view U AS SELECT * FROM U_1_0"), r.out().lines().filter(l -> l.matches(" *[-+~] .*"))
                .toList(), "the only operations: T_1_0 and T are left alone");

        // exit 0: apply does all it may (U), and a foreign object is a state plan reports, not a failed step
        r = ok("apply --yes --allow-destructive");
        assertTrue(r.out().contains("applied 2 operation(s)"), r.out());
        r = ok("apply --yes --allow-destructive");
        assertTrue(r.out().contains("nothing to apply: no operation reaches what is left above"), r.out());
        assertEquals("1000\t499500", one("SELECT count(), sum(extra) FROM `" + db + "`.T_1_0"));
        assertEquals("id,extra", columns("T_1_0"));

        // the model goes: the table and view are not dcm's to drop
        Files.writeString(dir.resolve("models/t.jsh"), "record U(@Key String id) {}\n"
                + "new OlapTable<>(\"U\", U.class);\n");
        r = ok("plan; apply --yes --allow-destructive");
        assertFalse(r.out().contains("T_1_0") || r.out().contains("drop view T"), r.out());
        assertTrue(r.out().contains("no changes: the database and broker match the models"), r.out());
        assertEquals("1000\t499500", one("SELECT count(), sum(extra) FROM `" + db + "`.T"));

        Files.writeString(dir.resolve("models/t.jsh"), MODELS);
        r = shell("adopt Nope");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no model wants a table, view or topic named Nope: nothing to adopt"), r.err());
        r = ok("adopt T");
        assertTrue(r.out().contains("adopted table T_1_0 (FULLY_MANAGED)") && r.out().contains("adopted view T"
                + " (FULLY_MANAGED)"), r.out());
        r = shell("adopt T_1_0");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("T_1_0 is already managed by dcm: nothing to adopt"), r.err());

        r = ok("plan");
        assertTrue(r.out().contains("+ city: String (after id)") && r.out().contains("- extra: Int64"), r.out());
        assertTrue(r.out().contains("⚠ DESTRUCTIVE T_1_0: loses column extra (Int64) of T_1_0 and all its values"),
                r.out());
        assertTrue(r.out().contains("- drop view T") && r.out().contains("+ create view T AS SELECT * FROM T_1_0"),
                r.out());
        r = ok("apply --yes --allow-destructive; plan");
        assertTrue(r.out().contains("no changes: the database and broker match the models"), r.out());
        assertEquals("id,city", columns("T_1_0"));
        assertEquals("1000\t1000", RowCount.rowsAndDistinct(ch, db, "T", "id"));
    }

    @Test
    void applyNeverCreatesOverATableThatAppearedUnrecorded() {
        ch.execute("CREATE DATABASE `" + db + "`");
        new dcm.migrate.Journal(ch).ensure();
        ch.execute("CREATE TABLE `" + db + "`.`T_1_0` (id String, extra Int64) ENGINE = MergeTree() ORDER BY id");
        dcm.core.TableSpec spec = new dcm.core.TableSpec("T_1_0", java.util.List.of(dcm.core.ColumnSpec.of("id",
                "String")), "MergeTree", java.util.List.of("id"), null, dcm.core.LifeCycle.FULLY_MANAGED);
        // as when the plan was made before someone created the table by hand
        dcm.migrate.ApplyException e = org.junit.jupiter.api.Assertions.assertThrows(dcm.migrate.ApplyException.class,
                () -> new dcm.migrate.Applier(ch, TestServers.get().broker()).apply("p", java.util.List.of(
                        new dcm.core.plan.Operation.CreateTable(spec)), line -> { }));
        assertTrue(e.getMessage().contains("T_1_0 exists, but dcm did not create it (it appeared after the plan was"
                + " made); nothing was done to it"), e.getMessage());
        assertEquals("0", one("SELECT count() FROM `" + db + "`._dcm_objects WHERE name = 'T_1_0'"));
        assertEquals("id,extra", columns("T_1_0"));
    }

    @Test
    void aRecordWinsOverAnEarlierOneMadeOnAHostThatBootedEarlier() {
        ch.execute("CREATE DATABASE `" + db + "`");
        dcm.migrate.Journal journal = new dcm.migrate.Journal(ch);
        journal.ensure();
        // a drop recorded by a host up for a year longer (its System.nanoTime is that much larger)
        ch.execute("INSERT INTO `" + db + "`._dcm_objects (name, kind, lifecycle, at) VALUES ('T_1_0', 'dropped', '', "
                + (System.nanoTime() + 365L * 86_400 * 1_000_000_000L) + ")");
        journal.recordObject("T_1_0", "table", dcm.core.LifeCycle.FULLY_MANAGED);
        assertEquals(dcm.core.LifeCycle.FULLY_MANAGED, dcm.migrate.LiveReader.read(ch, null).lifecycles()
                .get("T_1_0"));
    }
}
