package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.clickhouse.ClickHouse;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TableSpec;
import dcm.core.plan.SqlGen;
import dcm.core.versions.Desired;
import dcm.core.versions.MappingFile;
import dcm.core.versions.Mappings;
import dcm.core.versions.Versions;
import dcm.migrate.MappingCheck;
import dcm.migrate.MappingCheck.Kind;
import dcm.migrate.MappingCheck.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every mapping the desired state uses runs in the real ClickHouse with LIMIT 0 before anything is applied: a good
 * one passes whether its source table exists or not; a wrong type, a Nullable where the table has none, and an
 * unknown column are each a problem at their column.
 */
class MappingCheckIT {
    private static final String FILE = "migrations/Users__1_0__1_1.sql";
    ClickHouse ch;
    TestServers.Isolated iso;

    private static ModelSpec version(String v, ColumnSpec... columns) {
        TableSpec t = new TableSpec("Users_" + v.replace('.', '_'), List.of(columns), "MergeTree", List.of("id"),
                null, LifeCycle.FULLY_MANAGED);
        return new ModelSpec("Users", v, List.of(columns), t, null, false, "models/users.jsh:2");
    }

    private static final ModelSpec V10 = version("1.0", ColumnSpec.of("id", "String"), ColumnSpec.of("name", "String"),
            ColumnSpec.of("score", "String"), ColumnSpec.of("age", "Int32"), ColumnSpec.of("note", "Nullable(String)"));
    private static final ModelSpec V11 = version("1.1", ColumnSpec.of("id", "String"),
            new ColumnSpec("fullName", "String", false, null, "name"), ColumnSpec.of("score", "UInt64"),
            ColumnSpec.of("age", "Int64"), ColumnSpec.of("note", "Nullable(String)"),
            new ColumnSpec("country", "String", false, "'nl'", null), ColumnSpec.of("memo", "Nullable(String)"));

    @BeforeEach
    void setUp() {
        iso = TestServers.isolated("mapcheck");
        ch = iso.clickhouse();
        ch.execute("CREATE DATABASE IF NOT EXISTS `" + iso.db() + "`");
    }

    @AfterEach
    void tearDown() {
        ch.close();
        iso.drop();
    }

    /** The desired state of 1.0 and 1.1 with the step's mapping read from this file text. */
    private static Desired desired(ModelSpec v11, String file) {
        Mappings mappings = file == null ? Mappings.GENERATED : (from, to) -> new Mappings.Chosen(
                MappingFile.parse(FILE, "Users", "1.0", "1.1", file).apply(from, to).mapping(), FILE);
        return Versions.desired(List.of(v11), Map.of("1.0", List.of(V10)), mappings, false);
    }

    private List<Problem> check(Desired d) {
        return new MappingCheck(ch).check(d);
    }

    @Test
    void aGoodMappingPassesOverTheOldTableAndOverZeroRowsOfItsSchema() {
        Desired d = desired(V11, null);
        assertEquals(List.of(), d.problems());
        assertEquals(1, d.steps().size());
        assertEquals(List.of(), check(d), "no table yet: zero rows of 1.0's columns");
        ch.execute(new SqlGen(iso.db(), ch.dialect()).createTable(V10.table(), V10.table().name()));
        assertEquals(List.of(), check(d), "over the old version's table");
    }

    @Test
    void aLowCardinalityColumnPassedThroughKeepsItsTypeOverZeroRowsToo() {
        ModelSpec v10 = version("1.0", ColumnSpec.of("id", "String"), ColumnSpec.of("country",
                "LowCardinality(String)"), ColumnSpec.of("age", "Int32"));
        ModelSpec v11 = version("1.1", ColumnSpec.of("id", "String"), ColumnSpec.of("country",
                "LowCardinality(String)"), ColumnSpec.of("age", "Int16"));
        Desired d = Versions.desired(List.of(v11), Map.of("1.0", List.of(v10)), Mappings.GENERATED, false);
        assertEquals(List.of(), check(d), "no table yet: zero rows of 1.0's columns");
        ch.execute(new SqlGen(iso.db(), ch.dialect()).createTable(v10.table(), v10.table().name()));
        assertEquals(List.of(), check(d), "over the old version's table");
    }

    @Test
    void aColumnOfAnotherTypeIsAProblemWithTheTypesAndACast() {
        List<Problem> p = check(desired(V11, """
                SELECT id AS id, name AS fullName, toUInt64(score) AS score,
                       toString(age) AS age, note AS note, 'nl' AS country,
                       CAST(NULL AS Nullable(String)) AS memo
                FROM {source}
                """));
        assertEquals(1, p.size(), p.toString());
        assertEquals(Kind.TYPE, p.get(0).kind());
        assertEquals("age", p.get(0).column());
        assertEquals("Users 1.0 -> 1.1 (" + FILE + "), column age: the mapping yields String, the table of 1.1 has"
                + " Int64 (a materialized view with another type than its table fails every insert); convert it:"
                + " CAST(toString(age) AS Int64) (refuses a value that does not convert), or change the column's type"
                + " in the model", p.get(0).describe());
    }

    @Test
    void aBareNullIsOfNoTableTypeAndAWideningIsAMismatchToo() {
        List<Problem> p = check(desired(V11, """
                SELECT id AS id, name AS fullName, toUInt64(score) AS score,
                       age AS age, note AS note, 'nl' AS country, NULL AS memo
                FROM {source}
                """));
        assertEquals(List.of("age: Int32 for Int64", "memo: Nullable(Nothing) for Nullable(String)"), p.stream()
                .map(x -> x.column() + ": " + x.message().replaceAll("the mapping yields (.*), the table of 1.1 has"
                        + " ([^ ]*) .*", "$1 for $2")).toList());
    }

    @Test
    void aNullableWhereTheTableHasNoneIsAProblemEvenWhenGenerated() {
        ModelSpec v11 = version("1.1", ColumnSpec.of("id", "String"), ColumnSpec.of("name", "String"),
                ColumnSpec.of("score", "String"), ColumnSpec.of("age", "Int32"), ColumnSpec.of("note", "String"));
        List<Problem> p = check(desired(v11, null));
        assertEquals(1, p.size(), p.toString());
        assertEquals(Kind.NULLABLE, p.get(0).kind());
        assertEquals("note", p.get(0).column());
        assertEquals("generated", p.get(0).view().origin());
        assertTrue(p.get(0).message().startsWith("the mapping yields Nullable(String), the table of 1.1 has String"),
                p.get(0).message());
        assertTrue(p.get(0).hint().startsWith("wrap it: assumeNotNull(toString(`note`)) when it is never NULL, or"
                + " ifNull(toString(`note`), <value>)"), p.get(0).hint());
        List<Problem> fixed = check(desired(v11, "SELECT id AS id, name AS name, score AS score, age AS age,"
                + " ifNull(note, '') AS note FROM {source}"));
        assertEquals(List.of(), fixed);
    }

    @Test
    void anUnknownColumnIsClickHousesErrorAtItsColumn() {
        ch.execute(new SqlGen(iso.db(), ch.dialect()).createTable(V10.table(), V10.table().name()));
        List<Problem> p = check(desired(V11, """
                SELECT id AS id, upper(nmae) AS fullName, toUInt64(score) AS score,
                       toInt64(age) AS age, note AS note, 'nl' AS country,
                       CAST(NULL AS Nullable(String)) AS memo
                FROM {source}
                """));
        assertEquals(1, p.size(), p.toString());
        assertEquals(Kind.SQL, p.get(0).kind());
        assertEquals("fullName", p.get(0).column());
        assertEquals(47, p.get(0).code(), p.get(0).message());
        assertTrue(p.get(0).message().startsWith("ClickHouse refuses the expression: ")
                && p.get(0).message().contains("nmae"), p.get(0).message());
    }
}
