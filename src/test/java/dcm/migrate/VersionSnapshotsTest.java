package dcm.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionSnapshotsTest {
    @TempDir
    Path dir;

    private static ModelSpec model(String version) {
        List<ColumnSpec> cols = List.of(new ColumnSpec("id", "String", true, null, null),
                new ColumnSpec("n", "Nullable(Int32)", false, "0", "m"));
        String v = version.replace('.', '_');
        return new ModelSpec("U", version, cols, new TableSpec("U_" + v, cols, "MergeTree", List.of("id"), "tuple()",
                LifeCycle.DELETION_PROTECTED), new TopicSpec("U_" + v, 2, 1000L, LifeCycle.FULLY_MANAGED), true,
                "models/u.jsh:3");
    }

    @Test
    void aVersionsModelsComeBackEqualAndInVersionOrder() {
        VersionSnapshots s = new VersionSnapshots(dir);
        s.save("1.10", List.of(model("1.10")));
        s.save("1.9", List.of(model("1.9")));
        assertEquals(List.of(model("1.9")), s.load("1.9"));
        assertEquals(List.of("1.9", "1.10"), List.copyOf(s.all().keySet()));
        assertEquals(dir.resolve("versions/1.9.json"), s.file("1.9"));
        assertThrows(IllegalArgumentException.class, () -> s.save("2.0", List.of(model("1.9"))));
    }
}
