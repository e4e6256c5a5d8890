package dcm.core.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompatibilityTest {
    private static ModelSpec v(String version, ColumnSpec... columns) {
        return new ModelSpec("M", version, List.of(columns), null, null, false, "test");
    }

    private static ColumnSpec def(String name, String type, String expr) {
        return new ColumnSpec(name, type, false, expr, null);
    }

    @Test
    void anOptionalNewFieldIsFullyCompatible() {
        Compatibility c = Compatibility.of(v("1.0", ColumnSpec.of("id", "String")),
                v("1.1", ColumnSpec.of("id", "String"), def("country", "String", "'nl'"),
                        ColumnSpec.of("note", "Nullable(String)")));
        assertEquals(Compatibility.Level.FULL, c.level());
    }

    @Test
    void aRequiredNewFieldBreaksBackwardAndARequiredRemovedOneForward() {
        Compatibility c = Compatibility.of(v("1.0", ColumnSpec.of("id", "String"), ColumnSpec.of("legacy", "Int32")),
                v("1.1", ColumnSpec.of("id", "String"), ColumnSpec.of("city", "String")));
        assertEquals(Compatibility.Level.NONE, c.level());
        assertEquals(List.of("city is new and required (no default, not Nullable): old records lack it"), c.backward());
        assertEquals(List.of("legacy is gone but required by the old version: new records lack it"), c.forward());
    }

    @Test
    void wideningIsBackwardOnlyAndNarrowingForwardOnly() {
        assertEquals(Compatibility.Level.BACKWARD, Compatibility.of(v("1.0", ColumnSpec.of("n", "Int32")),
                v("1.1", ColumnSpec.of("n", "Int64"))).level());
        assertEquals(Compatibility.Level.FORWARD, Compatibility.of(v("1.0", ColumnSpec.of("n", "Int64")),
                v("1.1", ColumnSpec.of("n", "Int32"))).level());
        Compatibility s = Compatibility.of(v("1.0", ColumnSpec.of("n", "String")), v("1.1", ColumnSpec.of("n",
                "UInt64")));
        assertEquals(Compatibility.Level.NONE, s.level());
        assertEquals("n: String -> UInt64: a reader of UInt64 cannot read every String", s.backward().get(0));
        assertEquals(Compatibility.Level.BACKWARD, Compatibility.of(v("1.0", ColumnSpec.of("n", "Int32")),
                v("1.1", ColumnSpec.of("n", "Nullable(Int32)"))).level());
    }

    @Test
    void aRenameBreaksReadersByName() {
        Compatibility c = Compatibility.of(v("1.0", ColumnSpec.of("name", "String")),
                v("1.1", new ColumnSpec("fullName", "String", false, null, "name")));
        assertEquals(Compatibility.Level.NONE, c.level());
        assertEquals("fullName is new and required (no default, not Nullable): old records lack it (renamed from"
                + " name: readers by name do not find it)", c.backward().get(0));
    }
}
