package dcm.it;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} has ClickHouse check the mappings between versions before anything is applied: a mapping file whose
 * column has another type than the new version's is an error at the file's line, and {@code apply} refuses.
 */
class MappingPlanIT {
    @TempDir
    Path dir;
    TestServers.Isolated iso;

    private static final String FILE = "migrations/Users__1_0__1_1.sql";

    @BeforeEach
    void project() throws Exception {
        iso = TestServers.isolated("mapplan");
        TestProjects.create(dir, Map.of("users.jsh", """
                record User(@Key String id, String name, int age) {}
                new OlapTable<>("Users", User.class);
                """));
        try (ModelWorkspace ws = new ModelWorkspace(dir, new ModelAssembler.Settings("1.0", "", 1000L,
                Dialect.LEGACY_18_16))) {
            new VersionSnapshots(dir).save("1.0", ws.reload().models());
        }
        Path config = dir.resolve("moose.config.toml");
        Files.writeString(config, ConfigEdit.bump(Files.readString(config), "1.0", "abc123", "1.1"));
        Files.writeString(dir.resolve("models/users.jsh"), """
                record User(@Key String id, String name, long age) {}
                new OlapTable<>("Users", User.class);
                """);
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve(FILE), """
                -- mine
                SELECT id AS id, name AS name,
                       toString(age) AS age
                FROM {source}
                """);
    }

    @AfterEach
    void drop() {
        iso.drop();
    }

    @Test
    void aMappingOfTheWrongTypeIsAnErrorInPlanAtItsLineAndApplyRefuses() throws Exception {
        TestProjects.Run plan = iso.shell(dir, "plan");
        assertEquals(1, plan.exitCode(), plan.out() + plan.err());
        String all = plan.out() + plan.err();
        assertTrue(all.contains(FILE + ":3: Users 1.0 -> 1.1 (" + FILE + "), column age: the mapping yields String,"
                + " the table of 1.1 has Int64"), all);
        assertTrue(all.contains("\n           toString(age) AS age\n           ^"), "the line, with a caret: " + all);

        TestProjects.Run apply = TestProjects.shell(iso.env(), "", "--project", dir.toString(), "--no-infra",
                "--json", "-c", "apply --yes");
        assertEquals(1, apply.exitCode(), apply.out() + apply.err());
        JsonNode data = new ObjectMapper().readTree(apply.out()).get("data");
        assertEquals("VERSIONS", data.get("code").asText(), apply.out());
        assertTrue(data.get("error").asText().startsWith("apply refused: 1 problem(s) in the mappings between"
                + " versions; nothing was applied"), apply.out());
        assertFalse(iso.clickhouse().tableExists("Users_1_1"), "nothing applied");

        Files.writeString(dir.resolve(FILE), Files.readString(dir.resolve(FILE)).replace("toString(age)",
                "toInt64(age)"));
        TestProjects.Run fixed = iso.shell(dir, "plan");
        assertEquals(0, fixed.exitCode(), fixed.out() + fixed.err());
    }

    @Test
    void aFileThatDoesNotParseIsAnErrorInPlanToo() throws Exception {
        Files.writeString(dir.resolve(FILE), "SELECT id AS id, name AS nmae, toInt64(age) AS age FROM {source}\n");
        TestProjects.Run plan = iso.shell(dir, "plan");
        assertEquals(1, plan.exitCode(), plan.out() + plan.err());
        String all = plan.out() + plan.err();
        assertTrue(all.contains(FILE + ":1: Users 1.0 -> 1.1: nmae is not a column of Users 1.1 (did you mean"
                + " name?)"), all);
    }
}
