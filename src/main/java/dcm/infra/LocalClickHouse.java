package dcm.infra;

import dcm.clickhouse.ClickHouse;
import dcm.config.ClickHouseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A project-local ClickHouse server: Debian's {@code clickhouse-server} (or a modern {@code clickhouse} binary)
 * with its own config, data folder and ports under {@code .moose/clickhouse}, started without systemd.
 */
public final class LocalClickHouse {
    /** The command that installs the server on Debian. */
    public static final String INSTALL = "apt-get install -y clickhouse-server clickhouse-client";
    private static final String MARKER = "clickhouse";
    private final Path dir;
    private final ClickHouseConfig config;
    /** More server configuration (a cluster replica's remote_servers, zookeeper, macros), or empty. */
    private final String extraXml;

    /** The project's single local server, under {@code .moose/clickhouse}. */
    public LocalClickHouse(Path projectDir, ClickHouseConfig config) {
        this(projectDir.resolve(".moose").resolve("clickhouse"), config, "");
    }

    /** A server with its files in {@code dir}, its ports from {@code config}, and {@code extraXml} in its config. */
    LocalClickHouse(Path dir, ClickHouseConfig config, String extraXml) {
        this.dir = dir;
        this.config = config;
        this.extraXml = extraXml;
    }

    /** The server binary, or null when ClickHouse is not installed. */
    public static Path binary() {
        return Processes.which("clickhouse-server", "clickhouse");
    }

    /** The running server this project started, if any. */
    public Optional<ProcessHandle> process() {
        return Processes.tracked(dir.resolve("server.pid"), MARKER);
    }

    /** Starts the server and waits until it answers; throws with the log's tail when it does not. */
    public long start(ClickHouse client) throws IOException, InterruptedException {
        Path bin = binary();
        if (bin == null) {
            throw new IllegalStateException("clickhouse-server is not installed; install it with: "
                    + (isRoot() ? "" : "sudo ") + INSTALL);
        }
        writeConfig();
        List<String> cmd = new ArrayList<>(List.of(bin.toString()));
        if (bin.getFileName().toString().equals("clickhouse")) {
            cmd.add("server");
        }
        cmd.add("--config-file=" + dir.resolve("config.xml"));
        Path log = dir.resolve("log").resolve("stdout.log");
        long pid = Processes.startDetached(cmd, dir, log, dir.resolve("server.pid"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (client.answers()) {
                return pid;
            }
            if (process().isEmpty()) {
                throw new IllegalStateException("ClickHouse exited at start; last log lines:\n"
                        + Processes.tail(dir.resolve("log").resolve("error.log"), 15) + "\n"
                        + Processes.tail(log, 10));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("ClickHouse did not answer within 60 s at " + config.endpoint()
                + "; see " + dir.resolve("log"));
    }

    /** Stops the server if this project started it; true when one was running. */
    public boolean stop() throws IOException {
        return Processes.stop(dir.resolve("server.pid"), MARKER, 30);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void writeConfig() throws IOException {
        for (String sub : List.of("data", "tmp", "user_files", "format_schemas", "log")) {
            Files.createDirectories(dir.resolve(sub));
        }
        String d = dir.toAbsolutePath().toString();
        String xml = """
                <?xml version="1.0"?>
                <!-- written by the shell on every start; edit moose.config.toml instead -->
                <yandex>
                    <logger>
                        <level>warning</level>
                        <log>%1$s/log/server.log</log>
                        <errorlog>%1$s/log/error.log</errorlog>
                        <size>10M</size>
                        <count>2</count>
                    </logger>
                    <listen_host>127.0.0.1</listen_host>
                    <http_port>%2$d</http_port>
                    <tcp_port>%3$d</tcp_port>
                    <path>%1$s/data/</path>
                    <tmp_path>%1$s/tmp/</tmp_path>
                    <user_files_path>%1$s/user_files/</user_files_path>
                    <format_schema_path>%1$s/format_schemas/</format_schema_path>
                    <users_config>%1$s/users.xml</users_config>
                    <default_profile>default</default_profile>
                    <default_database>default</default_database>
                    <timezone>UTC</timezone>
                    <mark_cache_size>268435456</mark_cache_size>
                    <max_concurrent_queries>100</max_concurrent_queries>
                %4$s</yandex>
                """.formatted(d, config.hostPort(), config.nativePort(), extraXml);
        Files.writeString(dir.resolve("config.xml"), xml);
        Files.writeString(dir.resolve("users.xml"), usersXml());
    }

    private String usersXml() {
        String user = config.user() == null || config.user().isBlank() ? "default" : config.user();
        if (!user.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("[clickhouse_config] user '" + user + "' must be letters, digits, _");
        }
        String users = userXml(user, config.password());
        if (!user.equals("default")) {
            users += userXml("default", "");
        }
        return """
                <?xml version="1.0"?>
                <yandex>
                    <profiles><default><max_memory_usage>4000000000</max_memory_usage>%s</default></profiles>
                    <users>
                %s    </users>
                    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
                        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
                    </interval></default></quotas>
                </yandex>
                """.formatted(clusterProfile(), users);
    }

    /**
     * A cluster replica runs DDL ON CLUSTER with its own profile, not the settings of the request that queued it: on
     * 18.16, LowCardinality columns need the experimental setting there (current servers ignore it).
     */
    private String clusterProfile() {
        return extraXml.isEmpty() ? "" : "<allow_experimental_low_cardinality_type>1"
                + "</allow_experimental_low_cardinality_type>";
    }

    private static String userXml(String user, String password) {
        String pw = password == null || password.isEmpty() ? "<password></password>"
                : "<password_sha256_hex>" + sha256(password) + "</password_sha256_hex>";
        return "        <" + user + ">" + pw + "<networks><ip>127.0.0.1</ip><ip>::1</ip></networks>"
                + "<profile>default</profile><quota>default</quota></" + user + ">\n";
    }

    private static String sha256(String s) {
        return dcm.core.Digest.sha256Hex(s, 32);
    }
}
