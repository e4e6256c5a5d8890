package dcm.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token given on the command line is never echoed: not in batch errors, JSON output, --debug or the log. */
class SecretEchoTest {
    private static final String TOKEN = "SECRETTOKEN123";
    private static final Map<String, String> NO_SERVERS = Map.of("MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", "1",
            "MOOSE_REDPANDA_CONFIG__BROKER", "localhost:1");
    /** Nothing listens on port 1: the plan fails after its command line was read. */
    private static final String PLAN = "plan --url http://127.0.0.1:1 --token " + TOKEN;

    @TempDir
    Path dir;

    private TestProjects.Run run(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--project";
        all[1] = dir.toString();
        all[2] = "--no-infra";
        System.arraycopy(args, 0, all, 3, args.length);
        return TestProjects.shell(NO_SERVERS, "", all);
    }

    private void assertNoToken(TestProjects.Run r) throws Exception {
        assertFalse(r.out().contains(TOKEN), r.out());
        assertFalse(r.err().contains(TOKEN), r.err());
        Path log = dcm.log.LogFiles.file(dir);
        if (Files.exists(log)) {
            assertFalse(Files.readString(log).contains(TOKEN), Files.readString(log));
        }
    }

    @Test
    void batchErrorLinesMaskTheToken() throws Exception {
        TestProjects.create(dir, Map.of());
        TestProjects.Run r = run("-c", "help plan; " + PLAN);
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("at -c #2: plan --url http://127.0.0.1:1 --token ****"), r.err());
        assertNoToken(r);
    }

    @Test
    void scriptErrorLinesMaskTheToken() throws Exception {
        TestProjects.create(dir, Map.of());
        Path script = dir.resolve("remote.dcm");
        Files.writeString(script, "help plan\n" + PLAN.replace("--token ", "--token=") + "\n");
        TestProjects.Run r = run("--debug", "--run", script.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("remote.dcm:2: plan --url http://127.0.0.1:1 --token=****"), r.err());
        assertNoToken(r);
    }

    @Test
    void jsonOutputMasksTheToken() throws Exception {
        TestProjects.create(dir, Map.of());
        TestProjects.Run r = run("--json", "-c", PLAN);
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"command\":\"plan --url http://127.0.0.1:1 --token ****\""), r.out());
        assertNoToken(r);
    }

    @Test
    void aMisspelledTokenOptionIsNotEchoedEither() throws Exception {
        TestProjects.create(dir, Map.of());
        TestProjects.Run r = run("-c", "plan --url http://127.0.0.1:1 --tokn=" + TOKEN);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("unknown option '--tokn'"), r.err());
        assertNoToken(r);
    }

    @Test
    void plainHttpToAnotherHostIsRefusedBeforeTheTokenLeaves() throws Exception {
        TestProjects.create(dir, Map.of());
        TestProjects.Run r = run("-c", "plan --url http://dcm.example.com:4000 --token " + TOKEN);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("use https://") && r.err().contains("--insecure"), r.err());
        assertNoToken(r);
        TestProjects.Run lone = run("-c", "plan --insecure");
        assertEquals(2, lone.exitCode(), lone.err());
        assertTrue(lone.err().contains("--insecure goes with --url"), lone.err());
    }

    @Test
    void aSuccessfulCommandsJsonLineMasksItToo() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new JsonRenderer(new PrintStream(b, true, StandardCharsets.UTF_8)).render("apply x.json --url"
                + " https://h:4000 --token " + TOKEN, Result.ok(List.of(), Map.of("applied", 1)));
        String line = b.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("\"command\":\"apply x.json --url https://h:4000 --token ****\""), line);
    }

    @Test
    void oneMaskForEveryEcho() {
        assertEquals("plan --url http://h:4000 --token ****", CommandLineSecrets.mask("plan --url http://h:4000"
                + " --token s3cr3t-T0ken"));
        assertEquals("apply x.json --token=**** --url u", CommandLineSecrets.mask("apply x.json --token=abc --url u"));
        assertEquals("apply x.json --token \"****\"", CommandLineSecrets.mask("apply x.json --token \"a b\""));
        assertEquals("plan --url https://me:****@h:4000", CommandLineSecrets.mask("plan --url https://me:pw@h:4000"));
        assertEquals("sql CREATE USER u IDENTIFIED WITH sha256_password BY '****'",
                CommandLineSecrets.mask("sql CREATE USER u IDENTIFIED WITH sha256_password BY 'pw'"));
        assertEquals("plan --sql", CommandLineSecrets.mask("plan --sql"));
    }
}
