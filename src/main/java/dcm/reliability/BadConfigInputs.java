package dcm.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Bad configuration: each a {@code moose.config.toml} (or an environment override) the shell starts with; it must
 * refuse to start naming the file and line (or the variable), the key and the expected form, and start again once
 * the config is fixed, with the guard's data intact.
 */
final class BadConfigInputs extends BadInputs {
    private static final String GOOD = "[project]\nversion = \"1.0\"\n[clickhouse_config]\ndb_name = \"local\"\n";

    BadConfigInputs(Suite suite) {
        super(suite);
    }

    @Override
    public String name() {
        return "config";
    }

    @Override
    protected void add() {
        config("config: TOML syntax error", true, "[project\nversion = \"1.0\"\n", "moose.config.toml:1");
        config("config: port not a number", true, GOOD + "host_port = \"abc\"\n", "moose.config.toml:5",
                "host_port");
        config("config: port out of range", false, GOOD + "host_port = 70000\n", "moose.config.toml:5",
                "host_port");
        config("config: malformed version", false, GOOD.replace("\"1.0\"", "\"one\""), "moose.config.toml:2",
                "version");
        config("config: batch_rows over the limit", false, GOOD + "[sync_config]\nbatch_rows = 2000000\n",
                "moose.config.toml:6", "batch_rows");
        config("config: unknown old version", true, GOOD + "[supported_old_versions]\n\"0.5\" = \"\"\n", "0.5",
                "versions/0.5.json");
        config("config: negative sql timeout", false, GOOD + "[shell_config]\nsql_timeout_seconds = -1\n",
                "moose.config.toml:6", "sql_timeout_seconds");
        config("config: unknown security protocol", false, GOOD + "[redpanda_config]\nsecurity_protocol = \"TLS9\"\n",
                "moose.config.toml:6", "security_protocol");
        config("config: duplicate key", false, GOOD + "db_name = \"other\"\n", "moose.config.toml:5", "db_name");
        config("config: database name with a backtick", true, GOOD.replace("db_name = \"local\"",
                "db_name = \"x`; DROP TABLE canary; --\""), "moose.config.toml:4", "db_name");
        bad("config: invalid UTF-8", "config", false, () -> {
            byte[] good = (GOOD + "# caf").getBytes(StandardCharsets.UTF_8);
            byte[] all = java.util.Arrays.copyOf(good, good.length + 2);
            all[good.length] = (byte) 0xc3;
            all[good.length + 1] = (byte) 0x28;
            return withConfig(all, Map.of());
        }, "moose.config.toml:5", "not UTF-8", "save it as UTF-8");
        bad("config: bad environment override", "config", true, () -> withConfig(GOOD.getBytes(StandardCharsets.UTF_8),
                Map.of("MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", "abc")), "MOOSE_CLICKHOUSE_CONFIG__HOST_PORT");
    }

    private void config(String name, boolean inShort, String text, String... expected) {
        bad(name, "config", inShort, () -> withConfig(text.getBytes(StandardCharsets.UTF_8), Map.of()), expected);
    }

    /**
     * Starts the shell ({@code -c ls}, in-process) with this config file and these extra variables, requiring it to
     * refuse; then puts the good config back and requires the shell to start again. Returns what the refusal said.
     */
    private String withConfig(byte[] config, Map<String, String> extraEnv) {
        Project p = guard.project();
        p.write("moose.config.toml", config);
        String said;
        try {
            java.util.Map<String, String> env = new java.util.HashMap<>(p.env());
            env.putAll(extraEnv);
            // the guard's env sets the database: a config case about db_name must not have it overridden
            if (new String(config, StandardCharsets.UTF_8).contains("DROP TABLE")) {
                env.remove("MOOSE_CLICKHOUSE_CONFIG__DB_NAME");
            }
            Project.Run r = p.mainWith(env, "--project", p.dir().toString(), "--no-infra", "-c", "plan");
            Case.require(r.exitCode() == 1 || r.exitCode() == 2, "the shell started with it (exit " + r.exitCode()
                    + "): " + r.all());
            said = r.all();
        } finally {
            p.write("moose.config.toml", GOOD);
        }
        Project.Run again = p.shell("ls");
        Case.require(again.exitCode() == 0, "the fixed config does not start: " + again.all());
        return said;
    }
}
