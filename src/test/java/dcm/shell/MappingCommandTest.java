package dcm.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.TestProjects;
import dcm.api.ModelAssembler;
import dcm.config.ConfigEdit;
import dcm.core.Dialect;
import dcm.jshell.ModelWorkspace;
import dcm.migrate.VersionSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mapping} end to end, over injected streams and with no server: which mapping wins, its SQL, --write. */
class MappingCommandTest {
    @TempDir
    Path dir;

    private static final Map<String, String> NO_SERVERS = Map.of("MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", "1",
            "MOOSE_REDPANDA_CONFIG__BROKER", "localhost:1");
    private static final String V10 = """
            record User(@Key String id, String name, String score, int age, String legacy) {}
            new OlapTable<>("Users", User.class);
            record Click(@Key String id) {}
            new OlapTable<>("Clicks", Click.class);
            """;
    private static final String V11 = """
            record User(@Key String id, @RenamedFrom("name") String fullName, long score, int age,
                        @Default("'nl'") String country) {}
            new OlapTable<>("Users", User.class);
            record Click(@Key String id) {}
            new OlapTable<>("Clicks", Click.class);
            """;

    /** A project at 1.1 whose 1.0 is a supported old version, snapshotted from the 1.0 script. */
    @BeforeEach
    void project() throws Exception {
        TestProjects.create(dir, Map.of("users.jsh", V10));
        try (ModelWorkspace ws = new ModelWorkspace(dir, new ModelAssembler.Settings("1.0", "", 1000L,
                Dialect.MODERN))) {
            new VersionSnapshots(dir).save("1.0", ws.reload().models());
        }
        Path config = dir.resolve("moose.config.toml");
        Files.writeString(config, ConfigEdit.bump(Files.readString(config), "1.0", "abc123", "1.1"));
        Files.writeString(dir.resolve("models/users.jsh"), V11);
    }

    private TestProjects.Run run(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--project";
        all[1] = dir.toString();
        all[2] = "--no-infra";
        System.arraycopy(args, 0, all, 3, args.length);
        return TestProjects.shell(NO_SERVERS, "", all);
    }

    @Test
    void theGeneratedMappingIsShownColumnByColumnAndAnUnchangedModelHasNone() {
        TestProjects.Run r = run("-c", "mapping Users; mapping Clicks");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().startsWith("Users 1.0 -> 1.1: generated (from the two schemas)\nSELECT\n    `id` AS `id`,"),
                r.out());
        assertTrue(r.out().matches("(?s).*\n    `name` AS `fullName`, +-- renamed from name\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*AS `score`, +-- converted: String -> Int64\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\n    `age` AS `age`, +-- same\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\n    CAST\\(\\('nl'\\) AS String\\) AS `country` +-- default \\(new in 1\\.1\\)"
                + "\nFROM \\{source}  -- 1\\.0's table\n.*"), r.out());
        assertTrue(r.out().contains("  dropped: legacy (not in 1.1: the values stay in 1.0)\n"), r.out());
        assertTrue(r.out().contains("  note: score: String -> Int64: a value that does not convert is refused"),
                r.out());
        assertTrue(r.out().contains("Clicks 1.0 -> 1.1: unchanged: 1.1 shares the table Clicks_1_0; no mapping runs"),
                r.out());
    }

    @Test
    void writeMakesTheFileWhichWinsOnceEditedAndAScriptMappingWinsOverIt() throws Exception {
        TestProjects.Run w = run("-c", "mapping Users 1.0 1.1 --write");
        assertEquals(0, w.exitCode(), w.err() + w.out());
        assertTrue(w.out().startsWith("wrote migrations/Users__1_0__1_1.sql: the mapping of Users 1.0 -> 1.1 is yours"
                + " to edit; `plan` checks it\nUsers 1.0 -> 1.1: migrations/Users__1_0__1_1.sql\n"), w.out());
        Path file = dir.resolve("migrations/Users__1_0__1_1.sql");
        Files.writeString(file, Files.readString(file).replace("`age` AS `age`", "age + 1 AS `age`"));
        TestProjects.Run again = run("-c", "mapping Users --write");
        assertTrue(again.out().startsWith("kept migrations/Users__1_0__1_1.sql: it exists (yours)"), again.out());
        assertTrue(again.out().matches("(?s).*\n    age \\+ 1 AS `age`, +-- edited\n.*"), again.out());

        Files.writeString(dir.resolve("models/users.jsh"), V11 + """

                new Mapping("Users", "1.0", "1.1")
                        .set("age", "age * 2");
                """);
        TestProjects.Run dsl = run("--json", "-c", "mapping Users 1.0");
        assertEquals(0, dsl.exitCode(), dsl.err() + dsl.out());
        JsonNode step = new ObjectMapper().readTree(dsl.out()).get("data").get("steps").get(0);
        assertEquals("models/users.jsh:7", step.get("origin").asText());
        assertEquals("SCRIPT", step.get("kind").asText());
        assertEquals("migrations/Users__1_0__1_1.sql is ignored: the Mapping at models/users.jsh:7 wins; delete one of"
                + " the two", step.get("ignored").get(0).asText());
        JsonNode age = step.get("columns").get(3);
        assertEquals("age * 2", age.get("expression").asText());
        assertEquals("EDITED", age.get("source").asText());
        assertTrue(step.get("sql").asText().contains("\n    age * 2 AS `age`,\n"), step.get("sql").asText());
    }

    @Test
    void aBrokenFileIsShownWithItsProblemAtItsLineAndFails() throws Exception {
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/Users__1_0__1_1.sql"), """
                SELECT id AS id, name AS fullName, toInt64(score) AS score,
                       age AS agee, 'nl' AS country
                FROM {source}
                """);
        TestProjects.Run r = run("-c", "mapping Users");
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.err().contains("  error: migrations/Users__1_0__1_1.sql:2:8: agee is not a column of Users 1.1 (did"
                + " you mean age?)"), r.err());
        assertTrue(r.err().contains("  error: migrations/Users__1_0__1_1.sql:3:1: column age (Int32) of Users 1.1 is"
                + " missing: add \"`age` AS `age`\" to the SELECT"), r.err());
    }

    @Test
    void aStepTheModelDoesNotHaveAndAModelThatDoesNotExistAreErrorsThatSayWhatThereIs() {
        TestProjects.Run r = run("-c", "mapping Users 1.1 1.2");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("error: Users has no step 1.1 -> 1.2") && r.err().contains("Users exists in 1.0,"
                + " 1.1; its steps: 1.0 -> 1.1"), r.err());
        TestProjects.Run none = run("-c", "mapping Nobody");
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("no model 'Nobody' in any version") && none.err().contains("models: Clicks,"
                + " Users"), none.err());
        TestProjects.Run usage = run("-c", "mapping");
        assertEquals(2, usage.exitCode());
        assertFalse(usage.err().isBlank());
    }
}
