package dcm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigEditTest {
    @TempDir
    Path dir;

    @Test
    void bumpSetsTheVersionRecordsTheOldOneAndKeepsEverythingElse() throws Exception {
        String toml = Files.readString(Path.of(System.getProperty("dcm.home", ".")).resolve("moose.config.toml"));
        String edited = ConfigEdit.bump(toml, "1.0", "abc123", "1.1");
        Files.writeString(dir.resolve("moose.config.toml"), edited);
        ProjectConfig c = ConfigLoader.load(dir, Map.of());
        assertEquals("1.1", c.version());
        assertEquals(Map.of("1.0", "abc123"), c.oldVersions());
        assertTrue(edited.contains("# the current model version"), "comments stay");
        assertEquals(toml.lines().count() + 1, edited.lines().count(), "one line more, the entry");

        String again = ConfigEdit.bump(edited, "1.1", "", "1.2");
        Files.writeString(dir.resolve("moose.config.toml"), again);
        c = ConfigLoader.load(dir, Map.of());
        assertEquals("1.2", c.version());
        assertEquals(Map.of("1.0", "abc123", "1.1", ""), c.oldVersions());
    }

    @Test
    void aConfigWithoutTheSectionGetsIt() {
        String edited = ConfigEdit.bump("[project]\nversion = \"2.0\" # current\n", "2.0", "", "2.1");
        assertEquals("[project]\nversion = \"2.1\" # current\n\n[supported_old_versions]\n\"2.0\" = \"\"\n", edited);
        assertThrows(IllegalArgumentException.class, () -> ConfigEdit.bump("[clickhouse_config]\n", "1.0", "", "1.1"));
    }
}
