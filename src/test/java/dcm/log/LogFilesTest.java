package dcm.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogFilesTest {
    @TempDir
    Path dir;

    @AfterEach
    void off() {
        LogFiles.off();
    }

    @Test
    void theShellsEventsGoToTheProjectsFileWithSecretsMasked() throws Exception {
        LogFiles.use(project(dir), List.of("pa55-word-x"));
        Logger dcm = LoggerFactory.getLogger("dcm.app.Migrations");
        Logger kafka = LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient");
        dcm.info("applied plan abc: 2 operation(s) with pa55-word-x in a message");
        dcm.debug("not at INFO: dropped");
        kafka.info("a client's chatter: dropped");
        kafka.warn("a client's warning: kept");
        // client-v2 says this at every request for 30 s after one failed connection (hundreds of lines a minute)
        LoggerFactory.getLogger("com.clickhouse.client.api.transport.ClientNodeSelector")
                .warn("All endpoints are non-responsive, falling back to primary endpoint: dropped");
        String log = Files.readString(LogFiles.file(dir));
        assertTrue(log.contains("Migrations: applied plan abc: 2 operation(s) with **** in a message"),
                log);
        assertFalse(log.contains("pa55-word-x"), log);
        assertFalse(log.contains("dropped"), log);
        assertTrue(log.contains("NetworkClient: a client's warning: kept"), log);
    }

    @Test
    void anotherProjectMovesTheLogAndOffStopsIt() throws Exception {
        LogFiles.use(project(dir.resolve("a")), List.of());
        LoggerFactory.getLogger("dcm.x").info("to a");
        LogFiles.use(project(dir.resolve("b")), List.of());
        LoggerFactory.getLogger("dcm.x").info("to b");
        LogFiles.off();
        LoggerFactory.getLogger("dcm.x").info("to nowhere");
        assertEquals(1, Files.readAllLines(LogFiles.file(dir.resolve("a"))).size());
        List<String> b = Files.readAllLines(LogFiles.file(dir.resolve("b")));
        assertEquals(1, b.size(), b.toString());
        assertTrue(b.get(0).endsWith("to b"));
    }

    @Test
    void aFolderWithoutAConfigGetsNoLog() {
        LogFiles.use(dir.resolve("elsewhere"), List.of());
        LoggerFactory.getLogger("dcm.x").info("to nowhere");
        assertFalse(Files.exists(dir.resolve("elsewhere")));
    }

    private static Path project(Path p) throws java.io.IOException {
        Files.createDirectories(p);
        Files.writeString(p.resolve("moose.config.toml"), "");
        return p;
    }

    @Test
    void masksEveryOccurrenceAndIgnoresBlankSecrets() {
        LogFiles.secret("");
        LogFiles.secret(null);
        LogFiles.secret("tok-123456");
        assertEquals("a **** b ****", LogFiles.mask("a tok-123456 b tok-123456"));
        assertEquals("nothing here", LogFiles.mask("nothing here"));
    }
}
