package dcm.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.app.VersionReport;
import dcm.core.versions.Compatibility;
import dcm.core.versions.Compatibility.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How verdicts read: the level, what it means for whose readers, and each break named with its direction. */
class VersionViewTest {
    private static List<String> text(List<Block> blocks) {
        return blocks.stream().map(b -> ((Block.Line) b).text()).toList();
    }

    @Test
    void aVerdictSaysTheLevelItsMeaningAndEachBreak() {
        Compatibility none = new Compatibility("Users", "1.0", "1.1", Level.NONE, List.of("fullName is new and"
                + " required"), List.of("name is gone but required"));
        assertEquals(List.of("  Users 1.0 -> 1.1: NONE (neither version's readers read all of the other's records)",
                "      breaks BACKWARD: fullName is new and required",
                "      breaks FORWARD: name is gone but required"), text(VersionView.verdict(none)));
        assertEquals(Role.ERROR, ((Block.Line) VersionView.verdict(none).get(0)).role());
        assertEquals("readers of 1.1 read 1.0's records; readers of 1.0 cannot read all of 1.1's", VersionView
                .meaning(new Compatibility("M", "1.0", "1.1", Level.BACKWARD, List.of(), List.of("n"))));
        assertEquals("readers of 1.0 read 1.1's records; readers of 1.1 cannot read all of 1.0's", VersionView
                .meaning(new Compatibility("M", "1.0", "1.1", Level.FORWARD, List.of("n"), List.of())));
        assertEquals(List.of("  M 1.0 -> 1.1: FULL (readers of either version read both versions' records)"),
                text(VersionView.verdict(new Compatibility("M", "1.0", "1.1", Level.FULL, List.of(), List.of()))));
    }

    @Test
    void aReportListsChangedAddedRemovedAndUnchangedModelsAndNothingWhenNothingDiffers() {
        VersionReport r = new VersionReport("1.1", "1.0", List.of(new Compatibility("B", "1.0", "1.1",
                Level.BACKWARD, List.of(), List.of("n: Int32 -> Int64"))), List.of("E"), List.of("New"),
                List.of("Old"));
        assertEquals(List.of("versions: 1.1 against the frozen 1.0, per changed model (for the table and the topic"
                        + " alike):",
                "  B 1.0 -> 1.1: BACKWARD (readers of 1.1 read 1.0's records; readers of 1.0 cannot read all of 1.1's)",
                "      breaks FORWARD: n: Int32 -> Int64",
                "  new in 1.1: New",
                "  not in 1.1: Old (its old versions keep their tables while they are supported)",
                "  unchanged (sharing their last version's table and topic): E"),
                text(VersionView.report(r, VersionView.planHeading(r))));
        Map<String, Object> json = VersionView.json(r);
        assertEquals("1.0", json.get("frozen"));
        assertEquals(List.of(Map.of("model", "B", "from", "1.0", "to", "1.1", "level", "BACKWARD", "backward",
                List.of(), "forward", List.of("n: Int32 -> Int64"))), json.get("changed"));
        assertTrue(VersionView.report(new VersionReport("1.1", "1.0", List.of(), List.of("E"), List.of(), List.of()),
                "h").isEmpty(), "right after a bump the plan shows no versions part");
    }

    @Test
    void quietTimesHaveAUnit() {
        assertEquals(Duration.ofMinutes(10), VersionCommands.duration(null));
        assertEquals(Duration.ofSeconds(30), VersionCommands.duration("30s"));
        assertEquals(Duration.ofHours(2), VersionCommands.duration("2h"));
        assertEquals(Duration.ofDays(1), VersionCommands.duration("1d"));
        assertEquals(Duration.ZERO, VersionCommands.duration("0m"));
        CommandError e = assertThrows(CommandError.class, () -> VersionCommands.duration("10"));
        assertTrue(e.usage());
        assertEquals("--quiet-for needs a duration such as 30s, 10m, 2h or 1d, got '10'", e.getMessage());
    }
}
