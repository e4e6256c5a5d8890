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

    @Test
    void retireRemovesOnlyThatEntryAndKeepsCommentsAndLayout() throws Exception {
        String toml = Files.readString(Path.of(System.getProperty("dcm.home", ".")).resolve("moose.config.toml"));
        String two = ConfigEdit.bump(ConfigEdit.bump(toml, "1.0", "abc123", "1.1"), "1.1", "def456", "1.2");
        String edited = ConfigEdit.retire(two, "1.0");
        Files.writeString(dir.resolve("moose.config.toml"), edited);
        ProjectConfig c = ConfigLoader.load(dir, Map.of());
        assertEquals("1.2", c.version());
        assertEquals(Map.of("1.1", "def456"), c.oldVersions());
        assertEquals(two.lines().count() - 1, edited.lines().count(), "one line less, the entry");
        assertTrue(edited.contains("# \"0.9\" = \"<git commit of that version>\""), "the section's comment stays");
        assertEquals(toml, ConfigEdit.retire(ConfigEdit.retire(two, "1.1"), "1.0").replace("version = \"1.2\"",
                "version = \"1.0\""), "bump then retire gives the file back");
    }

    @Test
    void retireTakesSingleQuotedKeysAndRefusesAVersionNotListed() {
        String toml = "[project]\nversion = \"2.0\"\n[supported_old_versions]\n'1.0' = \"x\" # first\n"
                + "\"1.01\" = \"y\"\n"
                + "[other]\n\"1.0\" = \"not this one\"\n";
        assertEquals("[project]\nversion = \"2.0\"\n[supported_old_versions]\n\"1.01\" = \"y\"\n[other]\n"
                + "\"1.0\" = \"not this one\"\n", ConfigEdit.retire(toml, "1.0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigEdit.retire(toml, "1.1"));
        assertEquals("moose.config.toml has no entry \"1.1\" in [supported_old_versions] to remove", e.getMessage());
    }
}
