package dcm.core.plan;

import static dcm.core.plan.Fixtures.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.ColumnSpec;
import dcm.core.Dialect;
import dcm.core.LifeCycle;
import dcm.core.TableSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL text for current servers and for 18.16, where they differ. */
class SqlGenTest {
    private final SqlGen modern = new SqlGen("local", Dialect.MODERN);
    private final SqlGen legacy = new SqlGen("local", Dialect.LEGACY_18_16);

    @Test
    void renameColumnIsOneStatementOnCurrentServers() {
        var r = new Operation.RenameColumn("T_1_0", "name", "fullName", "String");
        assertEquals(List.of("ALTER TABLE `local`.`T_1_0` RENAME COLUMN `name` TO `fullName`"), modern.statements(r));
        assertEquals(List.of("ALTER TABLE `local`.`T_1_0` ADD COLUMN `fullName` String AFTER `name`",
                "ALTER TABLE `local`.`T_1_0` UPDATE `fullName` = `name` WHERE 1",
                "ALTER TABLE `local`.`T_1_0` DROP COLUMN `name`"), legacy.statements(r));
    }

    @Test
    void addColumnFirstOnlyWhereSupported() {
        var a = new Operation.AddColumn("T_1_0", new ColumnSpec("x", "DateTime64(3)", false, "now64()", null), null);
        assertEquals(List.of("ALTER TABLE `local`.`T_1_0` ADD COLUMN `x` DateTime64(3) DEFAULT now64() FIRST"),
                modern.statements(a));
        assertEquals("ALTER TABLE `local`.`T_1_0` ADD COLUMN `y` Int32 AFTER `x`",
                legacy.statements(new Operation.AddColumn("T_1_0", col("y", "Int32"), "x")).get(0));
    }

    @Test
    void createTableQuotesEverythingAndUsesTupleForNoKey() {
        TableSpec t = new TableSpec("E_1_0", List.of(col("id", "String"), col("at", "DateTime")), "MergeTree",
                List.of("id", "at"), "toYYYYMM(at)", LifeCycle.FULLY_MANAGED);
        assertEquals("CREATE TABLE IF NOT EXISTS `local`.`E_1_0`\n(\n    `id` String,\n    `at` DateTime\n)\n"
                + "ENGINE = MergeTree()\nPARTITION BY toYYYYMM(at)\nORDER BY (`id`, `at`)", modern.createTable(t, "E_1_0"));
        TableSpec none = new TableSpec("N_1_0", List.of(col("id", "String")), "ReplacingMergeTree(id)", List.of(),
                null, LifeCycle.FULLY_MANAGED);
        assertEquals("CREATE TABLE IF NOT EXISTS `local`.`N_1_0`\n(\n    `id` String\n)\n"
                + "ENGINE = ReplacingMergeTree(id)\nORDER BY tuple()", legacy.createTable(none, "N_1_0"));
    }

    @Test
    void viewsAreDroppedAsTablesForPortability() {
        assertEquals(List.of("DROP TABLE IF EXISTS `local`.`Users`"), modern.statements(new Operation.DropView("Users")));
        assertEquals(List.of("CREATE VIEW IF NOT EXISTS `local`.`Users` AS SELECT * FROM `local`.`Users_1_0`"),
                legacy.statements(new Operation.CreateView("Users", "Users_1_0")));
    }

    @Test
    void aRebuildNamesItsOldTableAfterThePlanRunAndEveryStatementIsValid() {
        TableSpec t = new TableSpec("Users_1_0", List.of(col("id", "String"), col("age", "Int32")), "MergeTree",
                List.of("age", "id"), null, LifeCycle.DELETION_PROTECTED);
        var r = new Operation.RebuildTable(t, "ORDER BY id -> age, id", List.of("id", "age"), List.of("`id`",
                "CAST(`age` AS Int32)"), true, false, List.of());
        SqlGen gen = new SqlGen("local", Dialect.LEGACY_18_16, "0123456789abcdef#2");
        List<String> sql = gen.statements(r);
        assertEquals("RENAME TABLE `local`.`Users_1_0` TO `local`.`Users_1_0__dcm_old_0123456789abcdef_2`,"
                + " `local`.`Users_1_0__dcm_new` TO `local`.`Users_1_0`", sql.get(4));
        assertEquals("-- kept: `local`.`Users_1_0__dcm_old_0123456789abcdef_2` (DELETION_PROTECTED)", sql.get(6));
        assertEquals(List.of("SYSTEM STOP MERGES `local`.`Users_1_0`", "DROP TABLE IF EXISTS `local`.`Users_1_0__dcm_new`",
                gen.createTable(t, "Users_1_0__dcm_new")), sql.subList(0, 3));
        // the part lists are read at apply time: those copies are comments, never a placeholder posing as SQL
        assertTrue(sql.get(3).lines().allMatch(l -> l.startsWith("-- ")), sql.get(3));
        assertTrue(sql.get(5).lines().allMatch(l -> l.startsWith("-- ")), sql.get(5));
        assertThrows(IllegalStateException.class, () -> legacy.statements(r));
    }

    @Test
    void unsafeNamesNeverReachSql() {
        assertThrows(IllegalArgumentException.class, () -> modern.statements(new Operation.DropTable("x`; DROP")));
    }
}
