package dcm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import dcm.core.versions.Compatibility;
import dcm.core.versions.Compatibility.Level;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The current models against the frozen versions: which changed (with their verdicts), which were added or removed. */
class VersionReportTest {
    private static ModelSpec table(String name, String version, ColumnSpec... columns) {
        return new ModelSpec(name, version, List.of(columns), new TableSpec(Names.versioned(name, version),
                List.of(columns), "MergeTree", List.of(columns[0].name()), null, LifeCycle.FULLY_MANAGED), null, false,
                "models/x.jsh:1");
    }

    private static ModelSpec stream(String name, String version, ColumnSpec... columns) {
        return new ModelSpec(name, version, List.of(columns), null, new TopicSpec(Names.topic("ns", name, version), 1,
                1000L, LifeCycle.FULLY_MANAGED), false, "models/x.jsh:1");
    }

    private static ColumnSpec key(String name) {
        return new ColumnSpec(name, "String", true, null, null);
    }

    @Test
    void eachChangedModelGetsItsVerdictTheOthersAreListed() {
        Map<String, List<ModelSpec>> frozen = Map.of("1.0", List.of(
                table("A", "1.0", key("id"), ColumnSpec.of("name", "String")),
                table("B", "1.0", key("id"), ColumnSpec.of("n", "Int32")),
                table("C", "1.0", key("id")),
                table("D", "1.0", key("id"), ColumnSpec.of("gone", "String")),
                table("E", "1.0", key("id")),
                stream("S", "1.0", ColumnSpec.of("id", "String")),
                table("Old", "1.0", key("id"))));
        List<ModelSpec> current = List.of(
                table("A", "1.1", key("id"), new ColumnSpec("fullName", "String", false, null, "name")),
                table("B", "1.1", key("id"), ColumnSpec.of("n", "Int64")),
                table("C", "1.1", key("id"), new ColumnSpec("country", "String", false, "'nl'", null)),
                table("D", "1.1", key("id")),
                table("E", "1.1", key("id")),
                stream("S", "1.1", ColumnSpec.of("id", "String")),
                table("New", "1.1", key("id")));
        VersionReport r = VersionReport.between("1.1", current, frozen);
        assertTrue(r.differs());
        assertEquals("1.0", r.frozen());
        assertEquals(List.of("A NONE", "B BACKWARD", "C FULL", "D BACKWARD"), r.changed().stream()
                .map(c -> c.model() + " " + c.level()).toList());
        Compatibility a = r.changed().get(0);
        assertEquals(List.of("fullName is new and required (no default, not Nullable): old records lack it (renamed"
                + " from name: readers by name do not find it)"), a.backward());
        assertEquals(List.of("name is gone but required by the old version: new records lack it"), a.forward());
        assertEquals(List.of("gone is gone but required by the old version: new records lack it"),
                r.changed().get(3).forward());
        assertEquals(List.of("E", "S"), r.unchanged(), "a table and a stream unchanged: they share the old ones");
        assertEquals(List.of("New"), r.added());
        assertEquals(List.of("Old"), r.removed());
    }

    @Test
    void theLastFrozenVersionOfEachModelCountsAndNoneMeansNothingToReport() {
        Map<String, List<ModelSpec>> frozen = Map.of(
                "1.0", List.of(table("A", "1.0", key("id")), table("B", "1.0", key("id"))),
                "1.1", List.of(table("A", "1.1", key("id"), ColumnSpec.of("x", "Nullable(String)"))),
                "1.2", List.of(table("A", "1.2", key("id"), ColumnSpec.of("x", "Nullable(String)"))));
        VersionReport r = VersionReport.between("1.2", List.of(table("A", "1.2", key("id"),
                ColumnSpec.of("x", "String")), table("B", "1.2", key("id"))), frozen);
        assertEquals("1.1", r.frozen(), "versions at or after the current one do not count");
        assertEquals(1, r.changed().size());
        assertEquals("1.1", r.changed().get(0).from(), "A against its last frozen version");
        assertEquals(Level.FORWARD, r.changed().get(0).level());
        assertEquals(List.of("B"), r.unchanged(), "B, last frozen in 1.0, unchanged since");
        assertEquals(List.of(), r.removed(), "B is in the current models");

        VersionReport none = VersionReport.between("1.0", List.of(table("A", "1.0", key("id"))), Map.of());
        assertFalse(none.differs());
        assertNull(none.frozen());
        VersionReport same = VersionReport.between("1.1", List.of(table("A", "1.1", key("id"))),
                Map.of("1.0", List.of(table("A", "1.0", key("id")))));
        assertFalse(same.differs(), "right after a bump nothing differs");
        assertEquals(List.of("A"), same.unchanged());
    }
}
