package dcm.config;

import dcm.core.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads {@code moose.config.toml} with Moose's sections and keys, then applies {@code MOOSE_<SECTION>__<KEY>}
 * environment overrides. Every problem is collected and reported at once with file:line, key and expected form.
 */
public final class ConfigLoader {
    /** The config file's name in a project folder. */
    public static final String FILE = "moose.config.toml";

    private enum Kind { STRING, NAME, PORT, INT, POSITIVE, ROWS, LONG, BOOL, VERSION, HOSTPORT, PROTOCOL, MECHANISM }

    private record KeySpec(String section, String key, Kind kind, Object fallback, String example) {}

    private static final List<KeySpec> KEYS = List.of(
            new KeySpec("project", "version", Kind.VERSION, null, "version = \"1.0\""),
            new KeySpec("clickhouse_config", "db_name", Kind.NAME, "local", "db_name = \"local\""),
            new KeySpec("clickhouse_config", "user", Kind.STRING, "default", "user = \"default\""),
            new KeySpec("clickhouse_config", "password", Kind.STRING, "", "password = \"\""),
            new KeySpec("clickhouse_config", "use_ssl", Kind.BOOL, false, "use_ssl = false"),
            new KeySpec("clickhouse_config", "host", Kind.STRING, "localhost", "host = \"localhost\""),
            new KeySpec("clickhouse_config", "host_port", Kind.PORT, 18123L, "host_port = 18123"),
            new KeySpec("clickhouse_config", "native_port", Kind.PORT, 19000L, "native_port = 19000"),
            // not a Moose key: which of several [[clickhouse_config.clusters]] the DDL runs ON CLUSTER
            new KeySpec("clickhouse_config", "cluster", Kind.STRING, "", "cluster = \"dcm\""),
            new KeySpec("redpanda_config", "broker", Kind.HOSTPORT, "localhost:19092", "broker = \"localhost:19092\""),
            new KeySpec("redpanda_config", "message_timeout_ms", Kind.INT, 1000L, "message_timeout_ms = 1000"),
            new KeySpec("redpanda_config", "retention_ms", Kind.LONG, 604_800_000L, "retention_ms = 604800000"),
            new KeySpec("redpanda_config", "replication_factor", Kind.INT, 1L, "replication_factor = 1"),
            new KeySpec("redpanda_config", "namespace", Kind.STRING, "", "namespace = \"\""),
            // Moose's keys for a remote broker with TLS and/or SASL (empty: plain connections, no authentication)
            new KeySpec("redpanda_config", "security_protocol", Kind.PROTOCOL, "", "security_protocol = \"SASL_SSL\""),
            new KeySpec("redpanda_config", "sasl_mechanism", Kind.MECHANISM, "", "sasl_mechanism = \"SCRAM-SHA-256\""),
            new KeySpec("redpanda_config", "sasl_username", Kind.STRING, "", "sasl_username = \"user\""),
            new KeySpec("redpanda_config", "sasl_password", Kind.STRING, "", "sasl_password = \"...\""),
            new KeySpec("http_server_config", "host", Kind.STRING, "localhost", "host = \"localhost\""),
            new KeySpec("http_server_config", "port", Kind.PORT, 4000L, "port = 4000"),
            // not Moose keys: HTTPS for serve (its ingest routes and the admin endpoint) from a keystore
            new KeySpec("http_server_config", "use_ssl", Kind.BOOL, false, "use_ssl = true"),
            new KeySpec("http_server_config", "ssl_keystore", Kind.STRING, "", "ssl_keystore = \"serve.p12\""),
            new KeySpec("http_server_config", "ssl_keystore_password", Kind.STRING, "",
                    "ssl_keystore_password = \"...\""),
            new KeySpec("authentication", "admin_api_key", Kind.STRING, "", "admin_api_key = \"<hash>\""),
            new KeySpec("migration_config", "ignore_low_cardinality", Kind.BOOL, false,
                    "ignore_low_cardinality = false"),
            // not Moose keys: how the topic-to-table syncs batch (rows per insert under a backlog, longest wait)
            new KeySpec("sync_config", "batch_rows", Kind.ROWS, 100_000L, "batch_rows = 100000"),
            new KeySpec("sync_config", "batch_delay_ms", Kind.POSITIVE, 200L, "batch_delay_ms = 200"),
            new KeySpec("sync_config", "memory_mb", Kind.POSITIVE, 256L, "memory_mb = 256"),
            // not a Moose key: how long `sql` typed at the prompt may run on the server (0: no limit)
            new KeySpec("shell_config", "sql_timeout_seconds", Kind.INT, 60L, "sql_timeout_seconds = 60"));

    /** Stands for a value that was present but wrong (already reported), as opposed to a missing one. */
    private static final Object INVALID = new Object();
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    private ConfigLoader() {}

    /** Loads {@code dir/moose.config.toml} with overrides from {@code env}; throws ConfigException listing problems. */
    public static ProjectConfig load(Path dir, Map<String, String> env) {
        return new ConfigLoader().read(dir.toAbsolutePath().normalize(), env);
    }

    /** Where the file is not UTF-8 (TOML's encoding), as a problem at its line, or null. */
    private static String notUtf8(Path file) throws IOException {
        dcm.core.Utf8.BadByte bad = dcm.core.Utf8.firstBadByte(Files.readAllBytes(file));
        return bad == null ? null : FILE + ":" + bad.line() + ": " + bad.describe() + "; TOML files are UTF-8: save"
                + " it as UTF-8";
    }

    private ProjectConfig read(Path dir, Map<String, String> env) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(List.of(file + ": not found. Run the shell from a project folder (one with "
                    + FILE + " and models/), or pass --project <dir>."));
        }
        TomlParseResult toml;
        try {
            String bad = notUtf8(file);
            if (bad != null) {
                throw new ConfigException(List.of(bad));
            }
            toml = Toml.parse(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        toml.errors().forEach(err -> problems.add(FILE + ":" + err.position().line() + ": " + err.getMessage()));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        for (KeySpec spec : KEYS) {
            readKey(toml, spec);
        }
        checkUnknownKeys(toml);
        Map<String, String> old = readOldVersions(toml);
        List<String> clusters = readClusters(toml);
        applyEnv(env);
        for (KeySpec spec : KEYS) {
            if (values.get(spec.section() + "." + spec.key()) == null) {
                problems.add(FILE + ": [" + spec.section() + "] " + spec.key() + " is missing; add it, e.g. "
                        + "[" + spec.section() + "] " + spec.example());
            }
        }
        String cluster = null;
        if (problems.isEmpty()) {
            checkSecurity();
            cluster = chooseCluster(clusters, str("clickhouse_config.cluster").strip());
            checkServerTls();
        }
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(ConfigLoader::lineOf));
            throw new ConfigException(problems);
        }
        return build(dir, old, clusters, cluster);
    }

    /**
     * Moose's {@code [[clickhouse_config.clusters]]}: an array of tables, each with a {@code name} (the cluster's
     * name in the servers' {@code remote_servers}).
     */
    private List<String> readClusters(TomlParseResult toml) {
        List<String> names = new ArrayList<>();
        Object raw = toml.get(List.of("clickhouse_config", "clusters"));
        if (raw == null) {
            return names;
        }
        TomlPosition pos = toml.inputPositionOf(List.of("clickhouse_config", "clusters"));
        String where = FILE + (pos == null ? "" : ":" + pos.line()) + ": [[clickhouse_config.clusters]]";
        if (!(raw instanceof org.tomlj.TomlArray array) || array.toList().stream()
                .anyMatch(e -> !(e instanceof TomlTable))) {
            problems.add(where + ": expected tables like [[clickhouse_config.clusters]] name = \"dcm\"");
            return names;
        }
        for (int i = 0; i < array.size(); i++) {
            TomlTable entry = array.getTable(i);
            Object name = entry.get("name");
            TomlPosition at = entry.inputPositionOf(List.of("name"));
            String here = at == null ? where + " #" + (i + 1) : FILE + ":" + at.line() + ": [[clickhouse_config.clusters]]";
            if (!(name instanceof String n) || !Names.isValidIdentifier(n)) {
                problems.add(here + " name: expected a cluster name of letters, digits and underscores, e.g. name ="
                        + " \"dcm\"; got " + (name == null ? "none" : name instanceof String ? "\"" + name + "\"" : name));
            } else if (names.contains(n)) {
                problems.add(here + " name: cluster \"" + n + "\" is listed twice; list it once");
            } else {
                names.add(n);
            }
        }
        return names;
    }

    /** The cluster DDL runs on: the only entry, or the one {@code [clickhouse_config] cluster} names; null for none. */
    private String chooseCluster(List<String> clusters, String chosen) {
        if (!chosen.isEmpty() && !clusters.contains(chosen)) {
            problems.add(FILE + ": [clickhouse_config] cluster = \"" + chosen + "\" is not among the configured"
                    + " clusters " + clusters + "; add it: [[clickhouse_config.clusters]] name = \"" + chosen + "\"");
            return null;
        }
        if (!chosen.isEmpty()) {
            return chosen;
        }
        if (clusters.size() > 1) {
            problems.add(FILE + ": [[clickhouse_config.clusters]] lists " + clusters.size() + " clusters " + clusters
                    + ": choose the one this shell runs its DDL on, e.g. [clickhouse_config] cluster = \""
                    + clusters.get(0) + "\" (or MOOSE_CLICKHOUSE_CONFIG__CLUSTER)");
            return null;
        }
        return clusters.isEmpty() ? null : clusters.get(0);
    }

    private void readKey(TomlParseResult toml, KeySpec spec) {
        String path = spec.section() + "." + spec.key();
        Object raw = toml.get(List.of(spec.section(), spec.key()));
        if (raw == null) {
            values.put(path, spec.fallback());
            return;
        }
        TomlPosition pos = toml.inputPositionOf(List.of(spec.section(), spec.key()));
        String where = FILE + (pos == null ? "" : ":" + pos.line()) + ": [" + spec.section() + "] " + spec.key();
        values.put(path, convert(raw, spec, where));
    }

    private Object convert(Object raw, KeySpec spec, String where) {
        Object v = raw;
        if (raw instanceof String s && spec.kind() != Kind.STRING && spec.kind() != Kind.NAME
                && spec.kind() != Kind.VERSION && spec.kind() != Kind.HOSTPORT && spec.kind() != Kind.PROTOCOL
                && spec.kind() != Kind.MECHANISM) {
            v = parseScalar(s, spec.kind());
        }
        String expected = switch (spec.kind()) {
            case STRING -> v instanceof String ? null : "a string";
            case NAME -> v instanceof String s && Names.isValidIdentifier(s) ? null
                    : "a name of letters, digits and underscores";
            case PORT -> v instanceof Long l && l >= 1 && l <= 65535 ? null : "a port number 1-65535";
            case INT -> v instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE ? null : "a non-negative integer";
            case POSITIVE -> v instanceof Long l && l >= 1 && l <= Integer.MAX_VALUE ? null : "a positive integer";
            // an insert of the sync must stay one block of ClickHouse (landed whole or not at all); ClickHouse cuts
            // blocks at about a million rows (max_insert_block_size, min_insert_block_size_rows)
            case ROWS -> v instanceof Long l && l >= 1 && l <= 1_000_000 ? null : "a number of rows from 1 to 1000000";
            case LONG -> v instanceof Long l && l >= 0 ? null : "a non-negative integer";
            case BOOL -> v instanceof Boolean ? null : "true or false";
            case VERSION -> v instanceof String s && Names.isValidVersion(s) ? null
                    : "a version like \"1.0\" (numbers separated by dots)";
            case HOSTPORT -> v instanceof String s && s.matches("[A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5}") ? null
                    : "host:port, like \"localhost:19092\"";
            case PROTOCOL -> v instanceof String s && (s.isBlank() || BrokerConfig.PROTOCOLS.contains(upper(s))) ? null
                    : "one of " + String.join(", ", BrokerConfig.PROTOCOLS);
            case MECHANISM -> v instanceof String s && (s.isBlank() || BrokerConfig.MECHANISMS.contains(upper(s)))
                    ? null : "one of " + String.join(", ", BrokerConfig.MECHANISMS);
        };
        if (expected != null) {
            problems.add(where + ": expected " + expected + ", e.g. " + spec.example() + "; got " + show(raw, spec));
            return INVALID;
        }
        return v;
    }

    private static String upper(String s) {
        return s.strip().toUpperCase(Locale.ROOT);
    }

    private static Object parseScalar(String s, Kind kind) {
        try {
            return kind == Kind.BOOL ? (s.equalsIgnoreCase("true") ? Boolean.TRUE
                    : s.equalsIgnoreCase("false") ? Boolean.FALSE : s) : (Object) Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static String show(Object raw, KeySpec spec) {
        if (spec.key().contains("password") || spec.key().contains("key")) {
            return "a value of the wrong form (not shown)";
        }
        return raw instanceof String s ? "\"" + s + "\"" : String.valueOf(raw);
    }

    private void checkUnknownKeys(TomlParseResult toml) {
        Map<String, List<String>> known = new TreeMap<>();
        KEYS.forEach(k -> known.computeIfAbsent(k.section(), s -> new ArrayList<>()).add(k.key()));
        for (Map.Entry<String, List<String>> section : known.entrySet()) {
            TomlTable table = toml.getTable(section.getKey());
            if (table == null) {
                continue;
            }
            for (String key : table.keySet()) {
                if (section.getKey().equals("clickhouse_config") && key.equals("clusters")) {
                    continue;
                }
                if (!section.getValue().contains(key)) {
                    String near = closest(key, section.getValue());
                    warnings.add(FILE + ": [" + section.getKey() + "] " + key + " is not a key this shell reads"
                            + (near == null ? "" : "; did you mean " + near + "?"));
                }
            }
        }
    }

    private Map<String, String> readOldVersions(TomlParseResult toml) {
        Map<String, String> old = new TreeMap<>();
        TomlTable table = toml.getTable("supported_old_versions");
        if (table == null) {
            return old;
        }
        for (String key : table.keySet()) {
            Object v = table.get(List.of(key));
            if (!Names.isValidVersion(key) || !(v instanceof String)) {
                TomlPosition pos = table.inputPositionOf(List.of(key));
                problems.add(FILE + (pos == null ? "" : ":" + pos.line()) + ": [supported_old_versions] " + key
                        + ": expected \"<version>\" = \"<git commit>\", e.g. \"0.9\" = \"4f2a1c3\"");
            } else {
                old.put(key, (String) v);
            }
        }
        return old;
    }

    private void applyEnv(Map<String, String> env) {
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (!e.getKey().startsWith("MOOSE_") || !e.getKey().contains("__")) {
                continue;
            }
            String rest = e.getKey().substring("MOOSE_".length());
            int sep = rest.indexOf("__");
            String section = rest.substring(0, sep).toLowerCase(Locale.ROOT);
            String key = rest.substring(sep + 2).toLowerCase(Locale.ROOT);
            KEYS.stream().filter(k -> k.section().equals(section) && k.key().equals(key)).findFirst().ifPresentOrElse(
                    spec -> values.put(section + "." + key, convert(e.getValue(), spec, "environment " + e.getKey())),
                    () -> warnings.add("environment " + e.getKey() + ": no key [" + section + "] " + key
                            + " to override"));
        }
    }

    /**
     * The security keys together: SASL needs a mechanism, a name and a password; a name or password without SASL
     * would be ignored by the clients, so it is warned about. Values are never shown (the password is among them).
     */
    private void checkSecurity() {
        String protocol = upper(str("redpanda_config.security_protocol"));
        boolean sasl = protocol.startsWith("SASL_");
        if (sasl) {
            for (String key : List.of("sasl_mechanism", "sasl_username", "sasl_password")) {
                if (str("redpanda_config." + key).isEmpty()) {
                    problems.add(FILE + ": [redpanda_config] " + key + " is needed with security_protocol = \""
                            + protocol + "\"" + (key.equals("sasl_mechanism") ? ": one of "
                            + String.join(", ", BrokerConfig.MECHANISMS) : ""));
                }
            }
            return;
        }
        for (String key : List.of("sasl_mechanism", "sasl_username", "sasl_password")) {
            if (!str("redpanda_config." + key).isEmpty()) {
                warnings.add(FILE + ": [redpanda_config] " + key + " is ignored: security_protocol is "
                        + (protocol.isEmpty() ? "not set (PLAINTEXT)" : protocol)
                        + "; set it to SASL_SSL or SASL_PLAINTEXT to authenticate");
            }
        }
    }

    /** HTTPS needs a keystore; a keystore without use_ssl would be ignored, so it is warned about. */
    private void checkServerTls() {
        boolean on = (Boolean) values.get("http_server_config.use_ssl");
        if (on && str("http_server_config.ssl_keystore").isBlank()) {
            problems.add(FILE + ": [http_server_config] use_ssl = true needs ssl_keystore (a PKCS#12 file with the"
                    + " server's key and certificate) and ssl_keystore_password");
        } else if (!on && !str("http_server_config.ssl_keystore").isBlank()) {
            warnings.add(FILE + ": [http_server_config] ssl_keystore is ignored: use_ssl is not true");
        }
    }

    private ProjectConfig build(Path dir, Map<String, String> old, List<String> clusters, String cluster) {
        ClickHouseConfig ch = new ClickHouseConfig(str("clickhouse_config.host"), num("clickhouse_config.host_port"),
                num("clickhouse_config.native_port"), str("clickhouse_config.db_name"), str("clickhouse_config.user"),
                str("clickhouse_config.password"), (Boolean) values.get("clickhouse_config.use_ssl"), clusters,
                cluster);
        BrokerConfig broker = new BrokerConfig(str("redpanda_config.broker"),
                num("redpanda_config.message_timeout_ms"), (Long) values.get("redpanda_config.retention_ms"),
                num("redpanda_config.replication_factor"), str("redpanda_config.namespace"),
                str("redpanda_config.security_protocol"), str("redpanda_config.sasl_mechanism"),
                str("redpanda_config.sasl_username"), str("redpanda_config.sasl_password"));
        String key = str("authentication.admin_api_key");
        return new ProjectConfig(dir, str("project.version"), ch, broker, str("http_server_config.host"),
                num("http_server_config.port"), old, key.isEmpty() ? null : key,
                new ServerTls((Boolean) values.get("http_server_config.use_ssl"),
                        str("http_server_config.ssl_keystore"), str("http_server_config.ssl_keystore_password")),
                (Boolean) values.get("migration_config.ignore_low_cardinality"), num("sync_config.batch_rows"),
                num("sync_config.batch_delay_ms"), num("sync_config.memory_mb"),
                num("shell_config.sql_timeout_seconds"), warnings);
    }

    /** Problems in file order; those without a line (environment, missing keys) last. */
    private static int lineOf(String problem) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^" + FILE + ":(\\d+):").matcher(problem);
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    private String str(String path) {
        return (String) values.get(path);
    }

    private int num(String path) {
        return ((Long) values.get(path)).intValue();
    }

    private static String closest(String key, List<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String c : candidates) {
            int d = distance(key, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance, for "did you mean" (see {@link dcm.core.Names#distance}). */
    public static int distance(String a, String b) {
        return dcm.core.Names.distance(a, b);
    }
}
