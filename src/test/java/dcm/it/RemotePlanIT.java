package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.ChildProcess;
import dcm.TestProjects;
import dcm.Wait;
import dcm.clickhouse.ClickHouse;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote planning against real servers: {@code serve} runs in a child process on one project (the server's, with
 * the hash of an admin token), and another project folder with the same models plans and applies through it with
 * {@code --url} — with no ClickHouse or broker of its own (its addresses point at closed ports).
 */
class RemotePlanIT {
    // an Instant is DateTime on the servers' 18.16 and DateTime64(3) on 20.1+: the client has no ClickHouse, so its
    // plan equals the server's only when it takes the types of the server's version
    static final String V1 = "record Ev(@Key String id, String name, Instant at) {}\n"
            + "new IngestPipeline<>(\"Ev\", Ev.class);\n";
    static final String V2 = "record Ev(@Key String id, String name, Instant at, @Default(\"7\") int level,"
            + " Instant seen) {}\nnew IngestPipeline<>(\"Ev\", Ev.class);\n";
    static final String V3 = "record Ev(@Key String id, String name, Instant at, @Default(\"7\") int level,"
            + " Instant seen, @Default(\"'nl'\") String country) {}\nnew IngestPipeline<>(\"Ev\", Ev.class);\n";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    Path server;
    Path client;
    TestServers.Isolated iso;
    ClickHouse ch;
    Process serve;
    String token;
    String key;

    @BeforeEach
    void setUp() throws Exception {
        iso = TestServers.isolated("remote");
        ch = iso.clickhouse();
        server = TestProjects.create(tmp.resolve("server"), Map.of("ev.jsh", V1));
        client = TestProjects.create(tmp.resolve("client"), Map.of("ev.jsh", V1));
        JsonNode generated = json(remote("generate hash-token", Map.of()), 0);
        token = generated.path("data").path("token").asText();
        key = generated.path("data").path("adminApiKey").asText();
        assertTrue(key.startsWith("pbkdf2-sha256$"), key);
        assertEquals(0, local("apply --yes").exitCode());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (serve != null) {
            serve.descendants().forEach(ProcessHandle::destroyForcibly);
            serve.destroyForcibly().waitFor();
        }
        iso.drop();
        ch.close();
    }

    /** The client: the same namespace (topic names), but no servers of its own. */
    private Map<String, String> clientEnv() {
        return Map.of("MOOSE_REDPANDA_CONFIG__NAMESPACE", iso.db(), "MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", "1",
                "MOOSE_CLICKHOUSE_CONFIG__NATIVE_PORT", "2", "MOOSE_REDPANDA_CONFIG__BROKER", "localhost:3");
    }

    private TestProjects.Run local(String commands) {
        return TestProjects.launch(server, iso.env(), commands, null);
    }

    private TestProjects.Run remote(String commands, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(clientEnv());
        env.putAll(more);
        return ChildProcess.run(Duration.ofSeconds(120), env, List.of(TestProjects.launcher().toString(), "--project",
                client.toString(), "--no-infra", "--json", "-c", commands));
    }

    private static JsonNode json(TestProjects.Run r, int exitCode) throws Exception {
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElse("{}");
        return JSON.readTree(last);
    }

    /** Starts serve on the server project with the admin key (and {@code more}); returns its base URL. */
    private String startServe(String scheme, Map<String, String> more) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(TestProjects.launcher().toString(), "--project", server.toString(),
                "--no-infra", "-c", "serve --port " + port + " --for 600").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("serve.out").toFile());
        pb.environment().putAll(iso.env());
        pb.environment().put("MOOSE_AUTHENTICATION__ADMIN_API_KEY", key);
        pb.environment().putAll(more);
        serve = pb.start();
        Wait.until("serve to say it listens", Duration.ofSeconds(90), () -> serveOut().contains("listening on")
                || !serve.isAlive());
        assertTrue(serve.isAlive(), Files.readString(tmp.resolve("serve.out")));
        return scheme + "://localhost:" + port;
    }

    private long columns(String name) {
        return Long.parseLong(ch.scalar("SELECT count() FROM system.columns WHERE database = '" + iso.db()
                + "' AND table = 'Ev_1_0' AND name = '" + name + "' FORMAT TabSeparated"));
    }

    private String serveOut() {
        try {
            return Files.readString(tmp.resolve("serve.out"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String serverLog() throws Exception {
        return Files.readString(server.resolve(".moose/logs/dcm.log"));
    }

    @Test
    void aWrongOrMissingTokenGets401AndTheRightOneTheLocalPlan() throws Exception {
        String url = startServe("http", Map.of());
        // the raw endpoint: 401 and nothing more, whatever is wrong
        HttpClient http = HttpClient.newHttpClient();
        for (String auth : new String[] {null, "Bearer wrong-token", "Bearer " + token + "x", "Basic " + token}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/admin/live"));
            if (auth != null) {
                b.header("Authorization", auth);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), auth + ": " + r.body());
            assertEquals("{\"error\":\"unauthorized\"}", r.body());
        }
        JsonNode refused = json(remote("plan --url " + url + " --token wrong-token", Map.of()), 1);
        assertEquals("REMOTE_UNAUTHORIZED", refused.path("data").path("code").asText(), refused.toString());
        JsonNode missing = json(remote("plan --url " + url, Map.of()), 1);
        assertEquals("REMOTE_UNAUTHORIZED", missing.path("data").path("code").asText(), missing.toString());

        // the models change in both folders: the remote plan is the local plan, operation for operation
        Files.writeString(server.resolve("models/ev.jsh"), V2);
        Files.writeString(client.resolve("models/ev.jsh"), V2);
        TestProjects.Run lp = ChildProcess.run(Duration.ofSeconds(120), iso.env(), List.of(TestProjects.launcher()
                .toString(), "--project", server.toString(), "--no-infra", "--json", "-c", "plan"));
        JsonNode mine = json(lp, 0).path("data");
        JsonNode theirs = json(remote("plan --url " + url + " --save", Map.of("DCM_ADMIN_TOKEN", token)), 0)
                .path("data");
        assertFalse(mine.path("operations").isEmpty(), mine.toString());
        assertEquals(mine.path("operations"), theirs.path("operations"));
        assertEquals(mine.path("planId").asText(), theirs.path("planId").asText());

        // applied there through the admin endpoint: the column exists on the server's ClickHouse
        JsonNode applied = json(remote("apply migrations/plan.json --url " + url + " --token " + token, Map.of()), 0);
        assertEquals(mine.path("operations").size(), applied.path("data").path("applied").asInt(), applied.toString());
        assertEquals(1L, columns("level"));
        assertEquals(0, json(remote("plan --url " + url + " --token " + token, Map.of()), 0).path("data")
                .path("operations").size());

        // a saved plan whose live state changed since is refused there, as a local apply of it is
        Files.writeString(client.resolve("models/ev.jsh"), V3);
        assertEquals(0, remote("plan --url " + url + " --token " + token + " --save", Map.of()).exitCode());
        ch.execute("ALTER TABLE " + dcm.core.Sql.table(iso.db(), "Ev_1_0") + " ADD COLUMN `byHand` String");
        JsonNode drift = json(remote("apply migrations/plan.json --url " + url + " --token " + token, Map.of()), 1);
        assertEquals("DRIFT", drift.path("data").path("code").asText(), drift.toString());
        assertTrue(drift.toString().contains("byHand"), drift.toString());
        assertEquals(0L, columns("country"));

        // the log: the apply and the refusals, never the token
        String log = serverLog();
        assertTrue(log.contains("applied plan " + theirs.path("planId").asText()), log);
        assertTrue(log.contains("admin request refused: 401 GET /admin/live"), log);
        assertFalse(log.contains(token), log);
        assertFalse(log.contains("wrong-token"), log);
    }

    @Test
    void overTlsWithASelfSignedCertificateAndNoSecretInTheLog() throws Exception {
        String password = "ks-Secret-4711";
        Path keystore = server.resolve("serve.p12");
        keytool("-genkeypair", "-alias", "serve", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-alias", "serve", "-keystore", keystore.toString(), "-storepass", password,
                "-file", tmp.resolve("serve.crt").toString());
        Path trust = tmp.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "serve", "-file", tmp.resolve("serve.crt").toString(),
                "-storetype", "PKCS12", "-keystore", trust.toString(), "-storepass", "trustpass");
        String url = startServe("https", Map.of("MOOSE_HTTP_SERVER_CONFIG__USE_SSL", "true",
                "MOOSE_HTTP_SERVER_CONFIG__SSL_KEYSTORE", "serve.p12",
                "MOOSE_HTTP_SERVER_CONFIG__SSL_KEYSTORE_PASSWORD", password));
        assertTrue(Files.readString(tmp.resolve("serve.out")).contains("listening on https://"));
        Map<String, String> trusting = Map.of("DCM_JAVA_OPTS", "-Xss4m -Djavax.net.ssl.trustStore=" + trust
                + " -Djavax.net.ssl.trustStorePassword=trustpass -Djavax.net.ssl.trustStoreType=PKCS12");
        JsonNode wrong = json(remote("plan --url " + url + " --token nope", trusting), 1);
        assertEquals("REMOTE_UNAUTHORIZED", wrong.path("data").path("code").asText(), wrong.toString());
        JsonNode plan = json(remote("plan --url " + url + " --token " + token, trusting), 0);
        assertEquals(0, plan.path("data").path("operations").size(), plan.toString());
        // without trusting the certificate the client refuses the server (no silent fallback to trusting anything)
        JsonNode untrusted = json(remote("plan --url " + url + " --token " + token, Map.of()), 1);
        assertEquals("REMOTE_UNREACHABLE", untrusted.path("data").path("code").asText(), untrusted.toString());
        String everything = serverLog() + Files.readString(tmp.resolve("serve.out"));
        assertFalse(everything.contains(password), everything);
        assertFalse(everything.contains(token), everything);
    }

    private void keytool(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString()));
        command.addAll(List.of(args));
        TestProjects.Run r = ChildProcess.run(Duration.ofSeconds(60), Map.of(), command);
        assertEquals(0, r.exitCode(), r.out() + r.err());
    }
}
