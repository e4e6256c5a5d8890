package dcm.core.plan;

import static dcm.core.plan.Fixtures.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dcm.core.Cluster;
import dcm.core.ColumnSpec;
import dcm.core.Dialect;
import dcm.core.LifeCycle;
import dcm.core.TableSpec;
import dcm.core.versions.MigrationView;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SQL text on a cluster, for 18.16 and for current servers alike: every statement that changes a table or view
 * runs ON CLUSTER, and tables are Replicated with the explicit path and replica name both accept.
 */
class ClusterSqlTest {
    private final Cluster cluster = new Cluster("dcm");
    private final SqlGen legacy = new SqlGen("local", Dialect.LEGACY_18_16, null, cluster);
    private final SqlGen modern = new SqlGen("local", Dialect.MODERN, null, cluster);

    @Test
    void tablesAreReplicatedWithAnExplicitPathAndReplicaOnBothDialects() {
        TableSpec t = new TableSpec("E_1_0", List.of(col("id", "String"), col("v", "UInt32")),
                "ReplacingMergeTree(v)", List.of("id"), null, LifeCycle.FULLY_MANAGED);
        String expected = "CREATE TABLE IF NOT EXISTS `local`.`E_1_0` ON CLUSTER `dcm`\n(\n    `id` String,\n"
                + "    `v` UInt32\n)\nENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/local/E_1_0',"
                + " '{replica}', v)\nORDER BY `id`";
        assertEquals(expected, legacy.createTable(t, "E_1_0"));
        assertEquals(expected, modern.createTable(t, "E_1_0"));
        TableSpec plain = new TableSpec("P_1_0", List.of(col("id", "String")), "MergeTree", List.of("id"), null,
                LifeCycle.FULLY_MANAGED);
        assertEquals("CREATE TABLE IF NOT EXISTS `local`.`P_1_0` ON CLUSTER `dcm`\n(\n    `id` String\n)\n"
                + "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/local/P_1_0', '{replica}')\nORDER BY `id`",
                modern.createTable(plain, "P_1_0"));
    }

    @Test
    void everyChangeRunsOnCluster() {
        assertEquals(List.of("DROP TABLE IF EXISTS `local`.`T_1_0` ON CLUSTER `dcm`"),
                legacy.statements(new Operation.DropTable("T_1_0")));
        assertEquals(List.of("ALTER TABLE `local`.`T_1_0` ON CLUSTER `dcm` ADD COLUMN `y` Int32 AFTER `x`"),
                legacy.statements(new Operation.AddColumn("T_1_0", col("y", "Int32"), "x")));
        assertEquals(List.of("ALTER TABLE `local`.`T_1_0` ON CLUSTER `dcm` DROP COLUMN `y`"),
                modern.statements(new Operation.DropColumn("T_1_0", "y", "Int32")));
        var rename = new Operation.RenameColumn("T_1_0", "name", "fullName", "String");
        assertEquals(List.of("ALTER TABLE `local`.`T_1_0` ON CLUSTER `dcm` RENAME COLUMN `name` TO `fullName`"),
                modern.statements(rename));
        assertEquals(List.of("ALTER TABLE `local`.`T_1_0` ON CLUSTER `dcm` ADD COLUMN `fullName` String AFTER `name`",
                "ALTER TABLE `local`.`T_1_0` ON CLUSTER `dcm` UPDATE `fullName` = `name` WHERE 1",
                "ALTER TABLE `local`.`T_1_0` ON CLUSTER `dcm` DROP COLUMN `name`"), legacy.statements(rename));
        assertEquals(List.of("CREATE VIEW IF NOT EXISTS `local`.`Users` ON CLUSTER `dcm` AS SELECT * FROM"
                + " `local`.`Users_1_0`"), legacy.statements(new Operation.CreateView("Users", "Users_1_0")));
        assertEquals(List.of("DROP TABLE IF EXISTS `local`.`Users` ON CLUSTER `dcm`"),
                modern.statements(new Operation.DropView("Users")));
    }

    @Test
    void migrationViewsRunOnCluster() {
        MigrationView v = new MigrationView("U_migrate__1_0__1_1", "U", "1.0", "1.1", "U_1_0", "U_1_1",
                List.of("id"), List.of("`id`"), "generated");
        assertEquals("CREATE MATERIALIZED VIEW IF NOT EXISTS `local`.`U_migrate__1_0__1_1` ON CLUSTER `dcm` TO"
                + " `local`.`U_1_1`\nAS SELECT `id` AS `id`\nFROM `local`.`U_1_0`", legacy.createMigrationView(v));
    }

    @Test
    void aSingleServerKeepsItsText() {
        SqlGen single = new SqlGen("local", Dialect.LEGACY_18_16);
        TableSpec t = new TableSpec("E_1_0", List.of(new ColumnSpec("id", "String", false, null, null)), "MergeTree",
                List.of("id"), null, LifeCycle.FULLY_MANAGED);
        assertEquals("CREATE TABLE IF NOT EXISTS `local`.`E_1_0`\n(\n    `id` String\n)\nENGINE = MergeTree()\n"
                + "ORDER BY `id`", single.createTable(t, "E_1_0"));
        assertEquals(List.of("DROP TABLE IF EXISTS `local`.`U`"), single.statements(new Operation.DropView("U")));
    }
}
