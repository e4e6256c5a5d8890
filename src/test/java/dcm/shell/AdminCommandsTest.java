package dcm.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.TestProjects;
import dcm.core.TokenHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate hash-token} and {@code logs}, run in-process (no server needed). */
class AdminCommandsTest {
    static final Map<String, String> NO_SERVERS = Map.of("MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", "1",
            "MOOSE_REDPANDA_CONFIG__BROKER", "localhost:1");
    @TempDir
    Path dir;

    @AfterEach
    void logOff() {
        dcm.log.LogFiles.off();
    }

    private TestProjects.Run run(String... commandsAndFlags) {
        String[] all = new String[commandsAndFlags.length + 3];
        all[0] = "--project";
        all[1] = dir.toString();
        all[2] = "--no-infra";
        System.arraycopy(commandsAndFlags, 0, all, 3, commandsAndFlags.length);
        return TestProjects.shell(NO_SERVERS, "", all);
    }

    @Test
    void generateHashTokenPrintsATokenAndTheHashThatMatchesIt() throws Exception {
        TestProjects.create(dir, Map.of());
        TestProjects.Run r = run("--json", "-c", "generate hash-token");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        JsonNode data = new ObjectMapper().readTree(r.out()).path("data");
        String token = data.path("token").asText();
        String hash = data.path("adminApiKey").asText();
        assertTrue(TokenHash.matches(token, TokenHash.parse(hash).orElseThrow()));
        TestProjects.Run text = run("-c", "generate hash-token");
        assertTrue(text.out().contains("admin_api_key = \"pbkdf2-sha256$"), text.out());
        assertEquals(2, run("-c", "generate token").exitCode());
    }

    @Test
    void logsShowsTheLastLinesAcrossARollOver() throws Exception {
        TestProjects.create(dir, Map.of());
        Path logs = Files.createDirectories(dir.resolve(".moose/logs"));
        Files.writeString(logs.resolve("dcm.1.log"), "old 1\nold 2\nold 3\n");
        Files.writeString(logs.resolve("dcm.log"), "new 1\nnew 2\n");
        TestProjects.Run r = run("-c", "logs -n 3");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("old 3\nnew 1\nnew 2", r.out().strip());
        assertFalse(run("-c", "logs").out().contains("nothing logged"));
    }

    @Test
    void logsOfAProjectThatLoggedNothingSaysSo() {
        TestProjects.create(dir, Map.of());
        TestProjects.Run r = run("-c", "logs");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("nothing logged yet"), r.out());
    }
}
