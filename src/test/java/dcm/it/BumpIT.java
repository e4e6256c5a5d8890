package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.ChildProcess;
import dcm.TestProjects;
import dcm.clickhouse.ClickHouse;
import dcm.config.ConfigLoader;
import dcm.config.ProjectConfig;
import dcm.core.ModelSpec;
import dcm.migrate.VersionSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions from the shell, against the real ClickHouse and broker: {@code bump} freezes the models and goes on at
 * the next version in the same session (git commit recorded, or "" outside git), {@code ls} lists every version with
 * shared tables, {@code plan} gives each edited model's verdict, {@code retire} refuses a version whose topic is still
 * written to, and with --drop-data drops only a table no later version shares.
 */
class BumpIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    TestServers.Isolated iso;
    ClickHouse ch;

    @BeforeEach
    void setUp() {
        iso = TestServers.isolated("ver");
        ch = iso.clickhouse();
    }

    @AfterEach
    void tearDown() {
        iso.drop();
        ch.close();
    }

    private TestProjects.Run shell(String... args) {
        List<String> all = new ArrayList<>(List.of("--project", dir.toString(), "--no-infra"));
        all.addAll(List.of(args));
        return TestProjects.shell(iso.env(), "", all.toArray(String[]::new));
    }

    private JsonNode json(String commands, int exitCode) throws Exception {
        TestProjects.Run r = shell("--json", "-c", commands);
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    private String config() throws Exception {
        return Files.readString(dir.resolve("moose.config.toml"));
    }

    private String git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.email=it@example.com",
                "-c", "user.name=it"));
        cmd.addAll(List.of(args));
        TestProjects.Run r = ChildProcess.run(Duration.ofSeconds(30), Map.of(), cmd);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        return r.out().strip();
    }

    @Test
    void bumpInAGitCheckoutRecordsTheCommitAndTheSessionGoesOnAtTheNewVersion() throws Exception {
        TestProjects.create(dir, TestProjects.exampleModels());
        Files.writeString(dir.resolve("moose.config.toml"), "# the project\n" + config()
                + "\n[supported_old_versions]\n# \"0.9\" = \"<commit>\"\n");
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "models");
        String head = git("rev-parse", "HEAD");
        Path script = dir.resolve("bump.dcm");
        Files.writeString(script, "apply --yes\nint x = 41;\nbump --yes\nx + 1\nls\n");
        TestProjects.Run r = shell("--run", script.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("bumped 1.0 -> 1.1: 3 model(s) frozen in versions/1.0.json; moose.config.toml:"
                + " [project] version = \"1.1\", [supported_old_versions] \"1.0\" = \"" + head + "\""), r.out());
        assertTrue(r.out().contains("  Users 1.0 -> 1.1: FULL (readers of either version read both versions'"
                + " records)"), r.out());
        assertTrue(r.out().matches("(?s).*\\$\\d+ ==> 42\n.*"), "the JShell session goes on: " + r.out());
        assertTrue(r.out().matches("(?s).*\nUsers +1\\.0 +table +Users_1_0 \\(exists, 0 rows\\) +- +- +"
                + "DELETION_PROTECTED +versions/1\\.0\\.json\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\nUsers +1\\.1 \\(latest\\) +table +Users_1_0 \\(shared with 1\\.0\\) .*"),
                "the session runs at 1.1, sharing 1.0's table: " + r.out());
        assertTrue(r.out().matches("(?s).*\nUserEvents +1\\.1 \\(latest\\) +pipeline +UserEvents_1_0 \\(shared with"
                + " 1\\.0\\) +\\S+UserEvents_1_0 \\(shared with 1\\.0\\) +/ingest/UserEvents/1\\.1 .*"), r.out());

        String toml = config();
        assertTrue(toml.startsWith("# the project\n[project]\nversion = \"1.1\"\n"), toml);
        assertTrue(toml.contains("[supported_old_versions]\n\"1.0\" = \"" + head + "\"\n# \"0.9\" = \"<commit>\""),
                "the entry, the comments kept: " + toml);
        List<ModelSpec> frozen = new VersionSnapshots(dir).load("1.0");
        assertEquals(List.of("PageViews@1.0", "UserEvents@1.0", "Users@1.0"), frozen.stream().map(ModelSpec::ref)
                .toList());
        assertEquals("Users_1_0", frozen.get(2).table().name());

        // a later run reads the new config
        JsonNode ls = json("ls Users", 0).get("data").get("models");
        assertEquals(2, ls.size(), ls.toString());
        assertEquals("1.1", ls.get(1).get("version").asText());
        assertTrue(ls.get(1).get("latest").asBoolean());
        assertEquals("Users", ls.get(1).get("alias").asText());
        assertEquals("1.0", ls.get(1).get("tableSharedWith").asText());
        assertFalse(ls.get(0).get("latest").asBoolean());
        assertEquals(0, ls.get(0).get("rows").asLong());

        // a model changed without a commit: the commit is recorded, with a note that it does not hold the models
        Files.writeString(dir.resolve("models/extra.jsh"), "record X(String id) {}\n"
                + "new OlapTable<>(\"X\", X.class);\n");
        JsonNode bump = json("bump 2.0 --yes", 0).get("data");
        assertEquals(head, bump.get("commit").asText());
        assertTrue(bump.get("commitNote").asText().startsWith("models/ has changes not committed"), bump.toString());
        assertEquals(List.of("X"), JSON.convertValue(bump.get("changes").get("added"), List.class));
        assertEquals("2.0", ConfigLoader.load(dir, iso.env()).version());
    }

    @Test
    void bumpOutsideGitRecordsNoCommitRefusesWhatItMustAndNeverLeavesHalfABump() throws Exception {
        TestProjects.create(dir, Map.of("t.jsh", "record T(@Key String id, int n) {}\nnew OlapTable<>(\"T\","
                + " T.class);\n"));
        JsonNode no = json("bump", 1).get("data");
        assertEquals("NOT_CONFIRMED", no.get("code").asText());
        assertEquals("in batch runs, confirm with --yes", no.get("hint").asText());
        assertEquals("BUMP_REFUSED", json("bump 1.0 --yes", 1).get("data").get("code").asText());
        assertEquals("BUMP_REFUSED", json("bump 1.x --yes", 1).get("data").get("code").asText());
        Files.writeString(dir.resolve("models/broken.jsh"), "record B(String id) {}\nnew OlapTable<>(\"B\", B.class)"
                + ".orderBy(\"nope\");\n");
        assertEquals("LOAD_INCOMPLETE", json("bump --yes", 1).get("data").get("code").asText());
        Files.delete(dir.resolve("models/broken.jsh"));
        // the config cannot be written (a folder where its temporary copy goes): the snapshot written first is
        // removed again
        Files.createDirectories(dir.resolve("moose.config.toml.tmp"));
        JsonNode failed = json("bump --yes", 1).get("data");
        assertEquals("BUMP_REFUSED", failed.get("code").asText());
        assertTrue(failed.get("error").asText().startsWith("bump failed: cannot write moose.config.toml: "),
                failed.toString());
        assertTrue(failed.get("error").asText().endsWith("; nothing was changed (1.0.json removed again)"),
                failed.toString());
        Files.deleteIfExists(dir.resolve("moose.config.toml.tmp"));
        assertFalse(Files.exists(dir.resolve("versions/1.0.json")));
        assertTrue(config().contains("version = \"1.0\""), config());

        JsonNode bump = json("bump --yes", 0).get("data");
        assertEquals("1.0", bump.get("from").asText());
        assertEquals("1.1", bump.get("to").asText());
        assertEquals("", bump.get("commit").asText());
        assertTrue(bump.get("commitNote").asText().startsWith("not a git checkout: no commit recorded"),
                bump.toString());
        assertEquals("versions/1.0.json", bump.get("snapshot").asText());
        assertEquals("FULL", bump.get("verdicts").get(0).get("level").asText());
        assertTrue(config().contains("[supported_old_versions]\n\"1.0\" = \"\"\n"), config());
        assertEquals("BUMP_REFUSED", json("bump 1.0 --yes", 1).get("data").get("code").asText());
    }

    @Test
    void theVerdictOfEachEditedModelNamesTheLevelAndTheFields() throws Exception {
        TestProjects.create(dir, Map.of(
                "a.jsh", "record A(@Key String id, String name) {}\nnew OlapTable<>(\"A\", A.class);\n",
                "b.jsh", "record B(@Key String id, int n) {}\nnew OlapTable<>(\"B\", B.class);\n",
                "c.jsh", "record C(@Key String id) {}\nnew OlapTable<>(\"C\", C.class);\n",
                "d.jsh", "record D(@Key String id, String gone) {}\nnew OlapTable<>(\"D\", D.class);\n",
                "e.jsh", "record E(@Key String id) {}\nnew OlapTable<>(\"E\", E.class);\n"));
        TestProjects.Run r = shell("-c", "bump --yes; plan");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertFalse(r.out().contains("versions: 1.1 against"), "nothing edited, no verdict in the plan: " + r.out());
        Files.writeString(dir.resolve("models/a.jsh"), "record A(@Key String id, @RenamedFrom(\"name\") String"
                + " fullName) {}\nnew OlapTable<>(\"A\", A.class);\n");
        Files.writeString(dir.resolve("models/b.jsh"), "record B(@Key String id, long n) {}\nnew OlapTable<>(\"B\","
                + " B.class);\n");
        Files.writeString(dir.resolve("models/c.jsh"), "record C(@Key String id, @Default(\"'nl'\") String country)"
                + " {}\nnew OlapTable<>(\"C\", C.class);\n");
        Files.writeString(dir.resolve("models/d.jsh"), "record D(@Key String id) {}\nnew OlapTable<>(\"D\","
                + " D.class);\n");
        JsonNode versions = json("plan", 0).get("data").get("versions");
        Map<String, JsonNode> byModel = new java.util.TreeMap<>();
        versions.get("changed").forEach(c -> byModel.put(c.get("model").asText(), c));
        assertEquals(List.of("A", "B", "C", "D"), List.copyOf(byModel.keySet()));
        assertEquals("NONE", byModel.get("A").get("level").asText());
        assertEquals("fullName is new and required (no default, not Nullable): old records lack it (renamed from"
                + " name: readers by name do not find it)", byModel.get("A").get("backward").get(0).asText());
        assertEquals("name is gone but required by the old version: new records lack it",
                byModel.get("A").get("forward").get(0).asText());
        assertEquals("BACKWARD", byModel.get("B").get("level").asText());
        assertEquals("n: Int32 -> Int64: a reader of Int32 cannot read every Int64",
                byModel.get("B").get("forward").get(0).asText());
        assertEquals("FULL", byModel.get("C").get("level").asText(), "an added field with a default breaks nothing");
        assertEquals("BACKWARD", byModel.get("D").get("level").asText());
        assertEquals("gone is gone but required by the old version: new records lack it",
                byModel.get("D").get("forward").get(0).asText());
        assertEquals("[\"E\"]", versions.get("unchanged").toString());

        r = shell("-c", "plan");
        assertTrue(r.out().contains("  B 1.0 -> 1.1: BACKWARD (readers of 1.1 read 1.0's records; readers of 1.0"
                + " cannot read all of 1.1's)\n      breaks FORWARD: n: Int32 -> Int64: a reader of Int32 cannot read"
                + " every Int64\n"), r.out());

        // bumped after the edits: the report says what the frozen version changed, and the next one starts FULL
        JsonNode bump = json("bump --yes", 0).get("data");
        assertEquals(4, bump.get("changes").get("changed").size(), bump.toString());
        bump.get("verdicts").forEach(v -> assertEquals("FULL", v.get("level").asText()));
        assertTrue(config().contains("\"1.0\" = \"\"") && config().contains("\"1.1\" = \"\""), config());
    }

    @Test
    void retireIsRefusedWhileTheTopicIsWrittenToAndForcedItLeavesTheConfig() throws Exception {
        TestProjects.create(dir, Map.of("ev.jsh", "record Ev(String id) {}\nnew Stream<>(\"Ev\", Ev.class);\n",
                "s.jsh", "record S(@Key String id) {}\nnew IngestPipeline<>(\"S\", S.class);\n"));
        Files.writeString(dir.resolve("ev.jsonl"), "{\"id\":\"e1\"}\n");
        TestProjects.Run r = shell("-c", "apply --yes; ingest Ev ev.jsonl; bump --yes");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        Files.writeString(dir.resolve("models/ev.jsh"), "record Ev(String id, @Default(\"0\") int n) {}\n"
                + "new Stream<>(\"Ev\", Ev.class);\n");
        String topic = iso.db() + ".Ev_1_0";

        JsonNode refused = json("retire 1.0 --yes", 1).get("data");
        assertEquals("VERSION_IN_USE", refused.get("code").asText(), refused.toString());
        assertTrue(refused.get("evidence").get(0).asText().startsWith("topic " + topic + ": last record at "),
                refused.toString());
        assertTrue(config().contains("\"1.0\" = \"\""), "nothing changed: " + config());
        assertEquals("NOT_CONFIRMED", json("retire 1.0 --force", 1).get("data").get("code").asText());

        JsonNode retired = json("retire 1.0 --yes --force", 0).get("data");
        assertEquals("[\"/ingest/Ev/1.0\",\"/ingest/S/1.0\"]", retired.get("routes").toString());
        Map<String, String> notes = new java.util.TreeMap<>();
        retired.get("topics").forEach(t -> notes.put(t.get("topic").asText(), t.get("note").asText()));
        assertEquals("not checked (--force)", notes.get(topic));
        assertTrue(notes.get(iso.db() + ".S_1_0").startsWith("shared with 1.1: stays, not checked"), notes.toString());
        assertEquals("shared with 1.1", retired.get("tables").get("S_1_0").asText());
        assertFalse(config().contains("\"1.0\" ="), config());
        assertTrue(Files.exists(dir.resolve("versions/1.0.json")), "the snapshot is kept");
        assertEquals("RETIRE_REFUSED", json("retire 1.0 --yes", 1).get("data").get("code").asText());

        JsonNode ls = json("ls", 0).get("data").get("models");
        List<String> refs = new ArrayList<>();
        ls.forEach(m -> refs.add(m.get("name").asText() + "@" + m.get("version").asText()));
        assertEquals(List.of("Ev@1.1", "S@1.1"), refs);
        assertEquals("S_1_0", ls.get(1).get("table").asText(), "1.1 keeps the table it shared with retired 1.0");
        assertEquals("1.0", ls.get(1).get("inheritedFrom").asText());
        assertTrue(ch.tableExists("S_1_0"));
    }

    @Test
    void retireWithDropDataDropsOnlyTheTablesNoLaterVersionShares() throws Exception {
        TestProjects.create(dir, Map.of("t.jsh", "record T(@Key String id) {}\nnew OlapTable<>(\"T\", T.class);\n"
                + "record S(@Key String id) {}\nnew OlapTable<>(\"S\", S.class);\n"
                + "record P(@Key String id) {}\n"
                + "new OlapTable<>(\"P\", P.class).lifeCycle(LifeCycle.DELETION_PROTECTED);\n"));
        TestProjects.Run r = shell("-c", "apply --yes; sql INSERT INTO T_1_0 VALUES ('a'); bump --yes; ls T");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*\nT +1\\.0 +table +T_1_0 \\(exists, 1 row\\) .*"), r.out());
        Files.writeString(dir.resolve("models/t.jsh"), "record T(@Key String id, @Default(\"1\") int n) {}\n"
                + "new OlapTable<>(\"T\", T.class);\nrecord S(@Key String id) {}\nnew OlapTable<>(\"S\", S.class);\n"
                + "record P(@Key String id, @Default(\"1\") int n) {}\n"
                + "new OlapTable<>(\"P\", P.class).lifeCycle(LifeCycle.DELETION_PROTECTED);\n");
        JsonNode retired = json("retire 1.0 --yes --drop-data", 0).get("data");
        assertEquals("dropped", retired.get("tables").get("T_1_0").asText());
        assertEquals("shared with 1.1", retired.get("tables").get("S_1_0").asText());
        assertEquals("kept: DELETION_PROTECTED", retired.get("tables").get("P_1_0").asText());
        assertFalse(ch.tableExists("T_1_0"));
        assertTrue(ch.tableExists("S_1_0") && ch.tableExists("P_1_0"));
        ProjectConfig config = ConfigLoader.load(dir, iso.env());
        assertTrue(config.oldVersions().isEmpty());
        assertEquals("dropped", ch.scalar("SELECT argMax(kind, at) FROM `" + iso.db() + "`.`_dcm_objects` WHERE"
                + " name = 'T_1_0' FORMAT TabSeparated"), "the drop is journaled like apply's");
    }
}
