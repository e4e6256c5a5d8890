package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.core.TableSpec;
import dcm.core.plan.SqlGen;
import dcm.core.versions.Compose;
import dcm.core.versions.Mapping;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A generated version-to-version mapping runs in a real materialized view: converted values land, bad ones are
 * refused, a new Nullable column gets a typed NULL (a bare NULL is Nullable(Nothing), which 18.16 refuses).
 */
class MappingIT {
    private static ModelSpec version(String v, ColumnSpec... columns) {
        TableSpec t = new TableSpec("UserActivity_" + v.replace('.', '_'), List.of(columns), "MergeTree", List.of("id"),
                null, LifeCycle.FULLY_MANAGED);
        return new ModelSpec("UserActivity", v, List.of(columns), t, null, false, "test");
    }

    @Test
    void aMappingCarriesRowsIntoTheNextVersionAndRefusesWhatDoesNotConvert() {
        TestServers.Isolated iso = TestServers.isolated("map");
        try (ClickHouse ch = iso.clickhouse()) {
            TestServers.get().clickhouse().execute("CREATE DATABASE `" + iso.db() + "`");
            ModelSpec v10 = version("1.0", ColumnSpec.of("id", "String"), ColumnSpec.of("name", "String"),
                    ColumnSpec.of("score", "String"), ColumnSpec.of("n", "Int64"), ColumnSpec.of("legacy", "Int32"));
            ModelSpec v11 = version("1.1", ColumnSpec.of("id", "String"),
                    new ColumnSpec("fullName", "String", false, null, "name"), ColumnSpec.of("score", "UInt64"),
                    ColumnSpec.of("n", "UInt32"), new ColumnSpec("country", "String", false, "'nl'", null),
                    ColumnSpec.of("memo", "Nullable(String)"));
            SqlGen sql = new SqlGen(iso.db(), ch.dialect());
            ch.execute(sql.createTable(v10.table(), v10.table().name()));
            ch.execute(sql.createTable(v11.table(), v11.table().name()));
            Mapping m = Mapping.generate(v10, v11);
            ch.execute("CREATE MATERIALIZED VIEW " + sql.t("mv") + " TO " + sql.t(v11.table().name()) + " ("
                    + String.join(", ", m.written().stream().map(c -> Sql.id(c) + " " + v11.columns().stream()
                    .filter(x -> x.name().equals(c)).findFirst().orElseThrow().type()).toList()) + ") AS "
                    + m.select(sql.t(v10.table().name())));
            ch.execute("INSERT INTO " + sql.t(v10.table().name()) + " VALUES ('a', 'Ann', '5', 7, 1)");
            assertEquals("a\tAnn\t5\t7\tnl\t\\N", ch.scalar("SELECT * FROM " + sql.t(v11.table().name())
                    + " FORMAT TabSeparated"));
            assertThrows(ClickHouseException.class, () -> ch.execute("INSERT INTO " + sql.t(v10.table().name())
                    + " VALUES ('b', 'Bob', 'x', 7, 1)"), "text that is no number is refused");
            assertThrows(ClickHouseException.class, () -> ch.execute("INSERT INTO " + sql.t(v10.table().name())
                    + " VALUES ('c', 'Cy', '6', -1, 1)"), "a negative number is refused for UInt32, not wrapped");
            assertEquals("1", ch.scalar("SELECT count() FROM " + sql.t(v11.table().name()) + " FORMAT TabSeparated"));
        } finally {
            iso.drop();
        }
    }

    @Test
    void onEighteenSixteenEachOldVersionFeedsEveryLaterOneThroughAComposedMappingExactlyOnce() {
        TestServers.Isolated iso = TestServers.isolated("chain");
        try (ClickHouse ch = iso.clickhouse()) {
            TestServers.get().clickhouse().execute("CREATE DATABASE `" + iso.db() + "`");
            ModelSpec v10 = version("1.0", ColumnSpec.of("id", "String"), ColumnSpec.of("name", "String"),
                    ColumnSpec.of("score", "String"));
            ModelSpec v11 = version("1.1", ColumnSpec.of("id", "String"),
                    new ColumnSpec("fullName", "String", false, null, "name"), ColumnSpec.of("score", "Int32"));
            ModelSpec v12 = version("1.2", ColumnSpec.of("id", "String"), ColumnSpec.of("fullName", "String"),
                    ColumnSpec.of("score", "Int64"), new ColumnSpec("tag", "String", false, "concat('t', id)", null));
            SqlGen sql = new SqlGen(iso.db(), ch.dialect());
            for (ModelSpec m : List.of(v10, v11, v12)) {
                ch.execute(sql.createTable(m.table(), m.table().name()));
            }
            Mapping m1 = Mapping.generate(v10, v11);
            Mapping m2 = Mapping.generate(v11, v12);
            view(ch, sql, "mv_10_11", v10, v11, m1);
            view(ch, sql, "mv_10_12", v10, v12, Compose.of(m1, m2));
            view(ch, sql, "mv_11_12", v11, v12, m2);
            ch.execute("INSERT INTO " + sql.t(v10.table().name()) + " VALUES ('a', 'Ann', '5')");
            ch.execute("INSERT INTO " + sql.t(v11.table().name()) + " VALUES ('b', 'Bob', 6)");
            assertEquals("a Ann 5|b Bob 6", ch.scalar("SELECT arrayStringConcat(groupArray(concat(id, ' ', fullName,"
                    + " ' ', toString(score))), '|') FROM (SELECT * FROM " + sql.t(v11.table().name()) + " ORDER BY id)"
                    + " FORMAT TSVRaw"));
            assertEquals("a Ann 5 ta|b Bob 6 tb", ch.scalar("SELECT arrayStringConcat(groupArray(concat(id, ' ',"
                    + " fullName, ' ', toString(score), ' ', tag)), '|') FROM (SELECT * FROM "
                    + sql.t(v12.table().name()) + " ORDER BY id) FORMAT TSVRaw"), "each row once in 1.2");
            assertEquals("1", ch.scalar("SELECT count() FROM " + sql.t(v10.table().name()) + " FORMAT TabSeparated"),
                    "nothing goes back in time");
        } finally {
            iso.drop();
        }
    }

    private static void view(ClickHouse ch, SqlGen sql, String name, ModelSpec from, ModelSpec to, Mapping m) {
        ch.execute("CREATE MATERIALIZED VIEW " + sql.t(name) + " TO " + sql.t(to.table().name()) + " AS "
                + m.select(sql.t(from.table().name())));
    }
}
