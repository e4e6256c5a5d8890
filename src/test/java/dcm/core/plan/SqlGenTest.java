package dcm.core.plan;

import static dcm.core.plan.Fixtures.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void unsafeNamesNeverReachSql() {
        assertThrows(IllegalArgumentException.class, () -> modern.statements(new Operation.DropTable("x`; DROP")));
    }
}
