package dcm.core.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class MappingTest {
    private static ModelSpec model(String version, ColumnSpec... columns) {
        return new ModelSpec("UserActivity", version, List.of(columns), null, null, false, "test");
    }

    @Test
    void columnsMatchByNameAndRenameConvertTypedTakeDefaultsAndListDrops() {
        ModelSpec v10 = model("1.0", ColumnSpec.of("id", "String"), ColumnSpec.of("name", "String"),
                ColumnSpec.of("score", "String"), ColumnSpec.of("legacy", "Int32"));
        ModelSpec v11 = model("1.1", ColumnSpec.of("id", "String"),
                new ColumnSpec("fullName", "String", false, null, "name"), ColumnSpec.of("score", "UInt64"),
                new ColumnSpec("country", "String", false, "'nl'", null), ColumnSpec.of("note", "Nullable(String)"));
        Mapping m = Mapping.generate(v10, v11);
        assertTrue(m.usable(), m.errors().toString());
        assertEquals(List.of(Mapping.Source.SAME, Mapping.Source.RENAMED, Mapping.Source.CONVERTED,
                Mapping.Source.DEFAULT, Mapping.Source.NULL), m.columns().stream().map(Mapping.Column::source).toList());
        assertEquals("SELECT `id` AS `id`, `name` AS `fullName`, " + Mapping.convert(ColumnSpec.of("score", "String"),
                ColumnSpec.of("score", "UInt64")) + " AS `score`,"
                + " CAST(('nl') AS String) AS `country`, CAST(NULL AS Nullable(String)) AS `note` FROM"
                + " `db`.`UserActivity_1_0`",
                m.select("`db`.`UserActivity_1_0`"));
        assertEquals(List.of("id", "fullName", "score", "country", "note"), m.written());
        assertEquals(List.of("legacy"), m.dropped());
        assertTrue(m.notes().get(0).startsWith("score: String -> UInt64: a value that does not convert is refused"));
    }

    @Test
    void aNewColumnWithNoDefaultAndNotNullableIsAnErrorNotAnInventedValue() {
        Mapping m = Mapping.generate(model("1.0", ColumnSpec.of("id", "String")),
                model("1.1", ColumnSpec.of("id", "String"), ColumnSpec.of("city", "String")));
        assertFalse(m.usable());
        assertTrue(m.errors().get(0).startsWith("city (String) is new, has no @Default and is not Nullable"));
    }

    @Test
    void conversionsNeverDefaultSilently() {
        // from text: what CAST would wrap ('70000' as UInt16) or zero (a bad date) must read back as its text
        assertEquals("if(throwIf(toString(CAST(`a` AS Int32)) != `a`) = 0, CAST(`a` AS Int32), CAST(`a` AS Int32))",
                Mapping.convert(ColumnSpec.of("a", "String"), ColumnSpec.of("a", "Int32")));
        assertEquals("if(throwIf(toString(CAST(`a` AS Nullable(Date))) != `a`) = 0, CAST(`a` AS Nullable(Date)),"
                + " CAST(`a` AS Nullable(Date)))", Mapping.convert(ColumnSpec.of("a", "String"),
                ColumnSpec.of("a", "Nullable(Date)")));
        // a float parses whole or not at all: CAST refuses it
        assertEquals("CAST(`a` AS Float64)", Mapping.convert(ColumnSpec.of("a", "String"),
                ColumnSpec.of("a", "Float64")));
        assertEquals("toString(`a`)", Mapping.convert(ColumnSpec.of("a", "Int64"), ColumnSpec.of("a", "String")));
        assertEquals("if(throwIf(toString(CAST(`a` AS UInt32)) != toString(`a`)) = 0, CAST(`a` AS UInt32),"
                + " CAST(`a` AS UInt32))", Mapping.convert(ColumnSpec.of("a", "Int64"), ColumnSpec.of("a", "UInt32")));
    }

    @Test
    void aRenameWhoseOldNameIsReusedWithAnotherTypeIsAnErrorNotAMisreadColumn() {
        Mapping m = Mapping.generate(model("1.0", ColumnSpec.of("id", "String"), ColumnSpec.of("name", "String")),
                model("1.1", ColumnSpec.of("id", "String"), new ColumnSpec("fullName", "String", false, null, "name"),
                        ColumnSpec.of("name", "UInt8")));
        assertFalse(m.usable());
        assertTrue(m.errors().get(0).startsWith("fullName reads the old column name, but the new version's own name"
                + " hides it"), m.errors().toString());
    }
}
