package dcm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.versions.Mapping;
import dcm.core.versions.MappingEdit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which mapping a step uses: the script's over the file's over the generated one; problems are never a fall-back. */
class ProjectMappingsTest {
    @TempDir
    Path dir;

    private static final ModelSpec V10 = new ModelSpec("Users", "1.0", List.of(ColumnSpec.of("id", "String"),
            ColumnSpec.of("age", "Int32")), null, null, false, "test");
    private static final ModelSpec V11 = new ModelSpec("Users", "1.1", List.of(ColumnSpec.of("id", "String"),
            ColumnSpec.of("age", "Int64")), null, null, false, "test");
    private static final String FILE = "migrations/Users__1_0__1_1.sql";

    private static MappingEdit script(String expression, int line) {
        return new dcm.api.Mapping("Users", "1.0", "1.1").set("age", expression).edit("models/users.jsh", line);
    }

    private void file(String text) throws Exception {
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve(FILE), text);
    }

    @Test
    void withNeitherTheMappingIsGenerated() {
        ProjectMappings.Choice c = new ProjectMappings(dir, List.of()).decide(V10, V11);
        assertEquals(ProjectMappings.Kind.GENERATED, c.kind());
        assertEquals("generated", c.origin());
        assertEquals(Mapping.generate(V10, V11), c.mapping());
    }

    @Test
    void aFileWinsOverTheGeneratedMapping() throws Exception {
        file("SELECT id AS id, toInt64(age) * 2 AS age FROM {source}\n");
        ProjectMappings pm = new ProjectMappings(dir, List.of());
        assertEquals(new dcm.core.versions.Mappings.Chosen(pm.decide(V10, V11).mapping(), FILE), pm.choose(V10, V11));
        ProjectMappings.Choice c = pm.choices().get(0);
        assertEquals(ProjectMappings.Kind.FILE, c.kind());
        assertEquals("toInt64(age) * 2", c.mapping().columns().get(1).expression());
        assertEquals(Mapping.Source.EDITED, c.mapping().columns().get(1).source());
        assertEquals(FILE + ":1:18", c.where("age").toString());
    }

    @Test
    void theScriptWinsOverTheFileWhichIsReportedAsIgnored() throws Exception {
        file("SELECT id AS id, toInt64(age) * 2 AS age FROM {source}\n");
        ProjectMappings.Choice c = new ProjectMappings(dir, List.of(script("toInt64(age) * 3", 12))).decide(V10, V11);
        assertEquals(ProjectMappings.Kind.SCRIPT, c.kind());
        assertEquals("models/users.jsh:12", c.origin());
        assertEquals("toInt64(age) * 3", c.mapping().columns().get(1).expression());
        assertEquals(List.of(FILE + " is ignored: the Mapping at models/users.jsh:12 wins; delete one of the two"),
                c.ignored());
        assertEquals("models/users.jsh:12", c.where("age").toString());
    }

    @Test
    void aBrokenFileIsChosenUnusableWithItsProblemNeverReplacedByTheGeneratedMapping() throws Exception {
        file("-- mine\nSELECT id AS id,\n       age AS agee\nFROM {source}\n");
        ProjectMappings pm = new ProjectMappings(dir, List.of());
        dcm.core.versions.Mappings.Chosen chosen = pm.choose(V10, V11);
        assertEquals(FILE, chosen.origin());
        assertFalse(chosen.mapping().usable());
        assertEquals(List.of("line 3, column 8: agee is not a column of Users 1.1 (did you mean age?); its columns:"
                + " id, age", "line 4, column 1: column age (Int64) of Users 1.1 is missing: add \"if(throwIf(toString("
                + "CAST(`age` AS Int64)) != toString(`age`)) = 0, CAST(`age` AS Int64), CAST(`age` AS Int64)) AS"
                + " `age`\" to the SELECT"), chosen.mapping().errors());
        assertEquals(FILE + ":3:8", pm.choices().get(0).problems().get(0).at().toString());
    }

    @Test
    void twoScriptMappingsOfOneStepAreAnError() {
        ProjectMappings.Choice c = new ProjectMappings(dir, List.of(script("age", 3), script("age * 2", 9)))
                .decide(V10, V11);
        assertFalse(c.mapping().usable());
        assertEquals("models/users.jsh:9: the mapping of Users 1.0 -> 1.1 is defined twice (first at"
                + " models/users.jsh:3): keep one", c.problems().get(0).toString());
    }

    @Test
    void mappingsOfNoStepAreSaid() throws Exception {
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/Users__1_0__1_2.sql"), "SELECT 1 AS id FROM {source}");
        Files.writeString(dir.resolve("migrations/plan.json"), "{}");
        MappingEdit later = new dcm.api.Mapping("Users", "1.1", "1.2").edit("models/users.jsh", 20);
        assertEquals(List.of("the Mapping at models/users.jsh:20 (1.1 -> 1.2) maps no step of Users (its steps: 1.0 ->"
                + " 1.1)", "migrations/Users__1_0__1_2.sql maps no step of Users (its steps: 1.0 -> 1.1)"),
                new ProjectMappings(dir, List.of(later, script("age", 3))).unused("Users", List.of("1.0 -> 1.1")));
    }

    @Test
    void writingTheGeneratedFileNeverOverwritesOne() throws Exception {
        Path written = MappingFiles.writeGenerated(dir, V10, V11).orElseThrow();
        assertEquals(dir.resolve(FILE), written);
        String text = Files.readString(written);
        assertTrue(text.contains("\nSELECT\n    `id` AS `id`,"), text);
        Files.writeString(written, "SELECT id AS id, toInt64(age) AS age FROM {source}");
        assertTrue(MappingFiles.writeGenerated(dir, V10, V11).isEmpty());
        assertEquals("SELECT id AS id, toInt64(age) AS age FROM {source}", Files.readString(written));
    }
}
