package dcm.core.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Mapping files: the generated text reads back as the same mapping; every kind of mistake is reported at its line. */
class MappingFileTest {
    private static final String FILE = "migrations/Users__1_0__1_1.sql";
    private static final ModelSpec V10 = new ModelSpec("Users", "1.0", List.of(ColumnSpec.of("id", "String"),
            ColumnSpec.of("name", "String"), ColumnSpec.of("age", "Int32"), ColumnSpec.of("legacy", "String")),
            null, null, false, "test");
    private static final ModelSpec V11 = new ModelSpec("Users", "1.1", List.of(ColumnSpec.of("id", "String"),
            new ColumnSpec("fullName", "String", false, null, "name"), ColumnSpec.of("age", "UInt16"),
            new ColumnSpec("country", "String", false, "'nl'", null), ColumnSpec.of("note", "Nullable(String)")),
            null, null, false, "test");

    private static MappingEdit.Applied read(String text) {
        return MappingFile.parse(FILE, "Users", "1.0", "1.1", text).apply(V10, V11);
    }

    private static String only(MappingEdit.Applied a) {
        assertEquals(1, a.problems().size(), a.problems().toString());
        assertFalse(a.mapping().usable(), "a file with a problem is never usable");
        return a.problems().get(0).toString();
    }

    @Test
    void namesCarryTheVersionsWithUnderscores() {
        assertEquals("Users__1_0__1_1.sql", MappingFile.name("Users", "1.0", "1.1"));
        assertEquals(Optional.of(new MappingFile.Step("User_Activity", "1.9", "1.10")),
                MappingFile.step("User_Activity__1_9__1_10.sql"));
        assertEquals(Optional.empty(), MappingFile.step("plan.json"));
    }

    @Test
    void theGeneratedFileReadsBackAsTheGeneratedMapping() {
        Mapping generated = Mapping.generate(V10, V11);
        String text = MappingFile.render(generated, V10, V11, "2026-12-01");
        assertTrue(text.startsWith("-- Users: how a row of version 1.0 becomes a row of version 1.1.\n-- Generated on"
                + " 2026-12-01"), text);
        assertTrue(text.contains("\nSELECT\n    `id` AS `id`,"), text);
        assertTrue(text.contains("`name` AS `fullName`,"), text);
        assertTrue(text.contains("-- renamed from name\n"), text);
        assertTrue(text.contains("-- converted: Int32 -> UInt16\n"), text);
        assertTrue(text.matches("(?s).*\n    CAST\\(NULL AS Nullable\\(String\\)\\) AS `note` +-- null \\(new in 1\\.1,"
                + " Nullable\\)\nFROM \\{source}\n"), text);
        MappingEdit.Applied back = read(text);
        assertEquals(List.of(), back.problems());
        assertEquals(generated.columns(), back.mapping().columns(), "every column as generated, sources included");
        assertEquals(List.of("legacy"), back.mapping().dropped());
        assertTrue(back.mapping().usable());
    }

    @Test
    void anEditedColumnIsMarkedEditedAndItsOldColumnIsNoLongerDropped() {
        MappingEdit.Applied a = read("""
                -- mine
                SELECT
                    id AS id,
                    `name` AS fullName,   -- same as generated, spelled otherwise
                    toUInt16(age) AS `age`,
                    if(legacy = '', 'nl',
                       legacy) AS country,
                    CAST(NULL AS Nullable(String)) AS note
                FROM {source};
                """);
        assertEquals(List.of(), a.problems());
        assertEquals(List.of(Mapping.Source.SAME, Mapping.Source.RENAMED, Mapping.Source.EDITED, Mapping.Source.EDITED,
                Mapping.Source.NULL), a.mapping().columns().stream().map(Mapping.Column::source).toList());
        assertEquals("if(legacy = '', 'nl', legacy)", a.mapping().columns().get(3).expression());
        assertEquals(List.of(), a.mapping().dropped());
        assertTrue(a.mapping().notes().isEmpty(), "the conversion note was about the generated age: "
                + a.mapping().notes());
    }

    @Test
    void aMissingColumnIsReportedAtTheFrom() {
        String p = only(read("SELECT\n    id AS id,\n    name AS fullName,\n    age AS age,\n    NULL AS note\nFROM"
                + " {source}\n"));
        assertTrue(p.startsWith(FILE + ":6:1: column country (String) of Users 1.1 is missing: add \"CAST(('nl') AS"
                + " String) AS `country`\" to the SELECT"), p);
    }

    @Test
    void anUnknownColumnIsReportedAtItsExpressionWithTheColumnsThereAre() {
        String p = only(read("SELECT id AS id, name AS fullName, age AS age, 'nl' AS country, NULL AS note,\n"
                + "       age + 1 AS agee\nFROM {source}"));
        assertEquals(FILE + ":2:8: agee is not a column of Users 1.1 (did you mean age?); its columns: id, fullName,"
                + " age, country, note", p);
    }

    @Test
    void aDuplicateIsReportedAtTheSecondWithTheFirst() {
        String p = only(read("SELECT id AS id, name AS fullName, age AS age, 'nl' AS country, NULL AS note,\n"
                + "  'x' AS note\nFROM {source}"));
        assertEquals(FILE + ":2:3: note is given twice (also at " + FILE + ":1:65): keep one", p);
    }

    @Test
    void anItemWithoutAsNameIsReported() {
        assertEquals(FILE + ":3:5: `CAST(age AS UInt16)` is not `<expression> AS <column>`: each item names the column"
                + " of the new version it computes, e.g. `upper(name) AS `name``", only(read("SELECT id AS id,\n"
                + "    name AS fullName,\n    CAST(age AS UInt16),\n    'nl' AS country, NULL AS note FROM {source}")));
        assertEquals(FILE + ":1:8: `*` is not `<expression> AS <column>`: each item names the column of the new"
                + " version it computes, e.g. `upper(name) AS `name``", only(read("SELECT * FROM {source}")));
    }

    @Test
    void aStatementThatIsNotOneSelectFromSourceIsReported() {
        assertEquals(FILE + ":2:1: not a SELECT (it starts with `INSERT`): a mapping file is one `SELECT <expression>"
                + " AS `column`, ... FROM {source}`", only(read("-- header\nINSERT INTO x SELECT 1")));
        assertEquals(FILE + ":1:8: SELECT DISTINCT: a mapping turns each row into one row; remove DISTINCT",
                only(read("SELECT DISTINCT id AS id FROM {source}")));
        assertTrue(only(read("SELECT id AS id")).startsWith(FILE + ":1:16: no `FROM {source}` after the columns"));
        String where = only(read("SELECT id AS id, name AS fullName, age AS age, 'nl' AS country, NULL AS note\n"
                + "FROM {source} WHERE age > 0"));
        assertTrue(where.startsWith(FILE + ":2:6: only `FROM {source}` may follow the columns (found `{source} WHERE"
                + " age > 0`)"), where);
        assertTrue(only(read("  \n-- nothing\n")).startsWith(FILE + ":1: the file is empty"));
    }

    @Test
    void aBrokenExpressionIsReportedAtItsFlawAndATodoUntilWritten() {
        String p = only(read("SELECT id AS id, name AS fullName, age AS age, 'nl' AS country,\n"
                + "    concat(note, 'x'  AS note FROM {source}"));
        assertTrue(p.startsWith(FILE + ":2:11: this '(' is never closed, so the SELECT does not end with `FROM"
                + " {source}`"), p);
        String flaw = only(read("SELECT id AS id, name AS fullName, age AS age, 'nl' AS country,\n"
                + "    (SELECT 1) AS note FROM {source}"));
        assertTrue(flaw.startsWith(FILE + ":2:6: note: SELECT starts a subquery"), flaw);
        String todo = only(read("SELECT id AS id, name AS fullName, age AS age, TODO AS country, NULL AS note FROM"
                + " {source}"));
        assertTrue(todo.startsWith(FILE + ":1:48: country has no expression yet (TODO)"), todo);
        String empty = only(read("SELECT id AS id, name AS fullName, age AS age, 'nl' AS country, NULL AS note,\n"
                + "FROM {source}"));
        assertTrue(empty.startsWith(FILE + ":2:1: an empty item"), empty);
    }

    @Test
    void aMappingWhoseProblemsAreInTheSchemasKeepsTheGeneratedErrors() {
        ModelSpec v12 = new ModelSpec("Users", "1.1", List.of(ColumnSpec.of("id", "String"),
                ColumnSpec.of("city", "String")), null, null, false, "test");
        MappingEdit.Applied a = MappingFile.parse(FILE, "Users", "1.0", "1.1", "SELECT id AS id, upper(name) AS city"
                + " FROM {source}").apply(V10, v12);
        assertTrue(a.mapping().usable(), a.mapping().errors().toString());
        assertEquals(Mapping.Source.EDITED, a.mapping().columns().get(1).source());
        assertEquals(List.of("age", "legacy"), a.mapping().dropped());
    }
}
