package dcm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private ProjectConfig load(String toml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("moose.config.toml"), toml);
        return ConfigLoader.load(dir, env);
    }

    private ConfigException fail(String toml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("moose.config.toml"), toml);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, env));
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedAtItsLine() throws IOException {
        byte[] text = "[project]\nversion = \"1.0\"\n# caf?\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        text[text.length - 2] = (byte) 0xc3;
        Files.write(dir.resolve("moose.config.toml"), text);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
        assertEquals(java.util.List.of("moose.config.toml:3: not UTF-8 text (byte 0xc3 at"
                + " line 3, column 6); TOML files are UTF-8: save it as UTF-8"), e.problems());
    }

    @Test
    void readsMooseKeysWithDefaults() throws IOException {
        ProjectConfig c = load("""
                [project]
                version = "1.2"
                [clickhouse_config]
                db_name = "analytics"
                host_port = 8123
                password = "s3cret"
                [redpanda_config]
                broker = "kafka.internal:9092"
                namespace = "dev"
                [supported_old_versions]
                "1.0" = "abc123"
                [migration_config]
                ignore_low_cardinality = true
                """, Map.of());
        assertTrue(c.ignoreLowCardinality());
        assertEquals("1.2", c.version());
        assertEquals("analytics", c.clickhouse().dbName());
        assertEquals(8123, c.clickhouse().hostPort());
        assertEquals("localhost", c.clickhouse().host());
        assertEquals("http://localhost:8123", c.clickhouse().endpoint());
        assertEquals("kafka.internal", c.broker().host());
        assertEquals(9092, c.broker().port());
        assertEquals("dev", c.broker().namespace());
        assertEquals(Map.of("1.0", "abc123"), c.oldVersions());
        assertEquals(4000, c.httpPort());
        assertFalse(c.toString().contains("s3cret"), "passwords never printed: " + c);
        assertTrue(c.warnings().isEmpty());
    }

    @Test
    void environmentOverridesWin() throws IOException {
        ProjectConfig c = load("[project]\nversion = \"1.0\"\n[clickhouse_config]\nhost_port = 18123\n",
                Map.of("MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", "28123", "MOOSE_REDPANDA_CONFIG__BROKER",
                        "localhost:29092", "MOOSE_CLICKHOUSE_CONFIG__USE_SSL", "true", "PATH", "/bin",
                        "MOOSE_SYNC_CONFIG__MEMORY_MB", "64"));
        assertEquals(28123, c.clickhouse().hostPort());
        assertEquals(64, c.syncMemoryMb());
        assertEquals(256, load("[project]\nversion = \"1.0\"\n", Map.of()).syncMemoryMb(), "the default");
        assertEquals("localhost:29092", c.broker().broker());
        assertTrue(c.clickhouse().useSsl());
    }

    @Test
    void badValuesNameFileLineKeyAndExpectedForm() throws IOException {
        ConfigException e = fail("""
                [project]
                version = "1.0"
                [clickhouse_config]
                host_port = "abc"
                use_ssl = "maybe"
                [redpanda_config]
                broker = "nocolon"
                """, Map.of());
        assertEquals(3, e.problems().size(), e.getMessage());
        assertEquals("moose.config.toml:4: [clickhouse_config] host_port: expected a port number 1-65535, e.g."
                + " host_port = 18123; got \"abc\"", e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("moose.config.toml:5: [clickhouse_config] use_ssl: expected true"
                + " or false"), e.problems().get(1));
        assertTrue(e.problems().get(2).contains("broker: expected host:port"), e.problems().get(2));
    }

    @Test
    void missingVersionAndBadEnvironmentAreReported() throws IOException {
        ConfigException e = fail("[clickhouse_config]\nhost = \"h\"\n",
                Map.of("MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", "99999"));
        assertTrue(e.getMessage().contains("environment MOOSE_CLICKHOUSE_CONFIG__HOST_PORT: expected a port number"),
                e.getMessage());
        assertTrue(e.getMessage().contains("[project] version is missing; add it, e.g. [project] version = \"1.0\""),
                e.getMessage());
    }

    @Test
    void passwordsAreNeverEchoedInErrors() throws IOException {
        ConfigException e = fail("[project]\nversion = \"1.0\"\n[clickhouse_config]\npassword = 12345\n", Map.of());
        assertFalse(e.getMessage().contains("12345"), e.getMessage());
        assertTrue(e.getMessage().contains("[clickhouse_config] password: expected a string"), e.getMessage());
    }

    @Test
    void syntaxErrorsAndMissingFileAreClear() throws IOException {
        ConfigException e = fail("[project\nversion = 1", Map.of());
        assertTrue(e.problems().get(0).startsWith("moose.config.toml:1: "), e.getMessage());
        Files.delete(dir.resolve("moose.config.toml"));
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
        assertTrue(e.getMessage().contains("moose.config.toml: not found"), e.getMessage());
    }

    @Test
    void unknownKeysWarnWithASuggestion() throws IOException {
        ProjectConfig c = load("[project]\nversion = \"1.0\"\n[clickhouse_config]\nhostport = 1\n", Map.of());
        assertEquals(1, c.warnings().size());
        assertTrue(c.warnings().get(0).contains("hostport is not a key this shell reads; did you mean host_port?"),
                c.warnings().get(0));
        assertNull(c.adminApiKey());
    }

    @Test
    void saslKeysAreReadAndOverriddenLikeTheOthers() throws IOException {
        ProjectConfig c = load("""
                [project]
                version = "1.0"
                [redpanda_config]
                broker = "broker.example:9093"
                security_protocol = "sasl_ssl"
                sasl_mechanism = "SCRAM-SHA-256"
                sasl_username = "alice"
                sasl_password = "from-the-file"
                """, Map.of("MOOSE_REDPANDA_CONFIG__SASL_PASSWORD", "from-the-env",
                "MOOSE_REDPANDA_CONFIG__SASL_MECHANISM", "scram-sha-512"));
        assertEquals("SASL_SSL", c.broker().securityProtocol());
        assertEquals("SCRAM-SHA-512", c.broker().saslMechanism());
        assertEquals("alice", c.broker().saslUsername());
        assertEquals("from-the-env", c.broker().saslPassword());
        assertTrue(c.broker().sasl());
        assertFalse(c.toString().contains("from-the-"), c.toString());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
        ProjectConfig plain = load("[project]\nversion = \"1.0\"\n", Map.of());
        assertEquals("PLAINTEXT", plain.broker().protocol());
        assertEquals("", plain.broker().saslPassword());
    }

    @Test
    void saslNeedsItsKeysAndNeverShowsThePassword() throws IOException {
        ConfigException e = fail("""
                [project]
                version = "1.0"
                [redpanda_config]
                security_protocol = "SASL_PLAINTEXT"
                sasl_password = "hunter2"
                """, Map.of());
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("[redpanda_config] sasl_mechanism is needed with security_protocol ="
                + " \"SASL_PLAINTEXT\": one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"), e.getMessage());
        assertTrue(e.getMessage().contains("[redpanda_config] sasl_username is needed"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());

        e = fail("[project]\nversion = \"1.0\"\n[redpanda_config]\nsecurity_protocol = \"TLS\"\n"
                + "sasl_mechanism = \"GSSAPI\"\nsasl_password = 42\n", Map.of("MOOSE_REDPANDA_CONFIG__SASL_USERNAME", "u"));
        assertTrue(e.getMessage().contains("security_protocol: expected one of PLAINTEXT, SSL, SASL_PLAINTEXT,"
                + " SASL_SSL"), e.getMessage());
        assertTrue(e.getMessage().contains("sasl_mechanism: expected one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"),
                e.getMessage());
        assertTrue(e.getMessage().contains("[redpanda_config] sasl_password: expected a string"), e.getMessage());
        assertFalse(e.getMessage().contains("42"), e.getMessage());

        // a value TOML cannot read: its error is about the line, not the secret
        e = fail("[project]\nversion = \"1.0\"\n[redpanda_config]\nsasl_password = hunter2\n", Map.of());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void saslKeysWithoutSaslWarnWithoutValues() throws IOException {
        ProjectConfig c = load("[project]\nversion = \"1.0\"\n[redpanda_config]\nsasl_username = \"bob\"\n"
                + "sasl_password = \"hunter2\"\n", Map.of());
        assertEquals(2, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().get(1).contains("sasl_password is ignored: security_protocol is not set (PLAINTEXT)"),
                c.warnings().toString());
        assertFalse(c.warnings().toString().contains("hunter2"), c.warnings().toString());
    }

    @Test
    void oneClusterIsUsedSeveralNeedAChoice() throws IOException {
        ProjectConfig none = load("[project]\nversion = \"1.0\"\n", Map.of());
        assertNull(none.clickhouse().cluster());
        ProjectConfig one = load("[project]\nversion = \"1.0\"\n[clickhouse_config]\ndb_name = \"a\"\n"
                + "[[clickhouse_config.clusters]]\nname = \"dcm\"\n", Map.of());
        assertEquals("dcm", one.clickhouse().cluster());
        assertTrue(one.warnings().isEmpty(), one.warnings().toString());
        String two = "[project]\nversion = \"1.0\"\n[clickhouse_config]\ndb_name = \"a\"\n"
                + "[[clickhouse_config.clusters]]\nname = \"east\"\n[[clickhouse_config.clusters]]\nname = \"west\"\n";
        ConfigException e = fail(two, Map.of());
        assertTrue(e.getMessage().contains("lists 2 clusters [east, west]: choose the one this shell runs its DDL on,"
                + " e.g. [clickhouse_config] cluster = \"east\""), e.getMessage());
        assertEquals("west", load(two, Map.of("MOOSE_CLICKHOUSE_CONFIG__CLUSTER", "west")).clickhouse().cluster());
        e = fail(two, Map.of("MOOSE_CLICKHOUSE_CONFIG__CLUSTER", "north"));
        assertTrue(e.getMessage().contains("cluster = \"north\" is not among the configured clusters [east, west]"),
                e.getMessage());
        e = fail("[project]\nversion = \"1.0\"\n[[clickhouse_config.clusters]]\nname = \"a-b\"\n", Map.of());
        assertTrue(e.getMessage().contains("moose.config.toml:4: [[clickhouse_config.clusters]] name: expected a"
                + " cluster name"), e.getMessage());
    }
}
