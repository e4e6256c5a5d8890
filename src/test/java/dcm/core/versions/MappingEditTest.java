package dcm.core.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.api.ModelProblem;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model script's Mapping: starts from the generated mapping and overrides what it says, checked against the schemas. */
class MappingEditTest {
    private static final ModelSpec V10 = new ModelSpec("Users", "1.0", List.of(ColumnSpec.of("id", "String"),
            ColumnSpec.of("fullName", "String"), ColumnSpec.of("age", "Int32"), ColumnSpec.of("city", "String")),
            null, null, false, "test");
    private static final ModelSpec V11 = new ModelSpec("Users", "1.1", List.of(ColumnSpec.of("id", "String"),
            ColumnSpec.of("name", "String"), ColumnSpec.of("age", "UInt16"), ColumnSpec.of("country", "String")),
            null, null, false, "test");

    private static MappingEdit.Applied dsl(dcm.api.Mapping m) {
        return m.edit("models/users.jsh", 12).apply(V10, V11);
    }

    @Test
    void renameAndSetOverrideTheGeneratedMappingAndTheRestStaysGenerated() {
        MappingEdit.Applied a = dsl(new dcm.api.Mapping("Users", "1.0", "1.1").rename("fullName", "name")
                .set("age", "toUInt16(age)").set("country", "upper(city)"));
        Mapping m = a.mapping();
        assertTrue(m.usable(), m.errors().toString());
        assertEquals(List.of(Mapping.Source.SAME, Mapping.Source.RENAMED, Mapping.Source.EDITED, Mapping.Source.EDITED),
                m.columns().stream().map(Mapping.Column::source).toList());
        assertEquals("SELECT `id` AS `id`, `fullName` AS `name`, toUInt16(age) AS `age`, upper(city) AS `country`"
                + " FROM t", m.select("t"));
        assertEquals(List.of(), m.dropped());
        assertEquals(List.of(), m.notes(), "no conversion note: the user wrote age");
        Mapping generated = Mapping.generate(V10, V11);
        assertFalse(generated.usable(), "without the Mapping, name and country have no value");
    }

    @Test
    void aRenameToAnotherTypeIsConvertedAndTheUntouchedConversionKeepsItsNote() {
        ModelSpec v11 = new ModelSpec("Users", "1.1", List.of(ColumnSpec.of("id", "String"),
                ColumnSpec.of("years", "String"), ColumnSpec.of("age", "UInt16")), null, null, false, "test");
        Mapping m = new dcm.api.Mapping("Users", "1.0", "1.1").rename("age", "years").edit("models/u.jsh", 3)
                .apply(V10, v11).mapping();
        assertEquals(Mapping.Source.CONVERTED, m.columns().get(1).source());
        assertEquals("toString(`age`)", m.columns().get(1).expression());
        assertEquals(Mapping.Source.CONVERTED, m.columns().get(2).source());
        assertTrue(m.notes().stream().anyMatch(n -> n.startsWith("years: Int32 -> String")), m.notes().toString());
        assertTrue(m.notes().stream().anyMatch(n -> n.startsWith("age: Int32 -> UInt16")), m.notes().toString());
        assertEquals(List.of("fullName", "city"), m.dropped());
    }

    @Test
    void namesNotInTheSchemasAreProblemsAtTheScriptLineNeverAFallBack() {
        MappingEdit.Applied a = dsl(new dcm.api.Mapping("Users", "1.0", "1.1").rename("fulName", "name")
                .set("contry", "city"));
        assertEquals(List.of("models/users.jsh:12: rename(\"fulName\", \"name\"): fulName is not a column of Users 1.0"
                + " (did you mean fullName?); its columns: id, fullName, age, city", "models/users.jsh:12: contry is"
                + " not a column of Users 1.1 (did you mean country?); its columns: id, name, age, country"),
                a.problems().stream().map(Object::toString).toList());
        assertFalse(a.mapping().usable());
        assertTrue(a.mapping().errors().get(0).startsWith("rename(\"fulName\", \"name\"): fulName is not"),
                "the origin (the script line) is said once: " + a.mapping().errors());
    }

    @Test
    void theDslRefusesAtOnceWhatCannotBeRight() {
        assertThrows(ModelProblem.class, () -> new dcm.api.Mapping("Users", "1.1", "1.0"));
        assertThrows(IllegalArgumentException.class, () -> new dcm.api.Mapping("Users", "one", "1.1"));
        ModelProblem bad = assertThrows(ModelProblem.class, () -> new dcm.api.Mapping("Users", "1.0", "1.1")
                .set("age", "age; DROP TABLE x"));
        assertTrue(bad.getMessage().startsWith("Mapping(\"Users\", \"1.0\", \"1.1\"): set(\"age\", \"age; DROP TABLE"
                + " x\"): the expression ';'"), bad.getMessage());
        assertThrows(ModelProblem.class, () -> new dcm.api.Mapping("Users", "1.0", "1.1").set("age", "1")
                .rename("age", "age"));
    }
}
