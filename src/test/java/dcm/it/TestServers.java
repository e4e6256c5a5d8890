package dcm.it;

import dcm.TestProjects;
import dcm.clickhouse.ClickHouse;
import dcm.config.ConfigLoader;
import dcm.config.ProjectConfig;
import dcm.infra.Infra;
import dcm.kafka.Broker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real ClickHouse and Kafka broker the *IT tests share: started once per test JVM through the shell's own
 * {@code infra up} (project-local servers on test ports), stopped by {@code infra down} when the JVM exits.
 */
public final class TestServers {
    /** Environment overrides that point a project at the shared test servers. */
    public static final Map<String, String> ENV = Map.of(
            "MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", "28123",
            "MOOSE_CLICKHOUSE_CONFIG__NATIVE_PORT", "29000",
            "MOOSE_REDPANDA_CONFIG__BROKER", "localhost:29092");

    private static TestServers instance;
    private final Infra infra;
    private final Path dir;
    private final ProjectConfig config;
    private final ClickHouse clickhouse;
    private final Broker broker;

    private TestServers() {
        Path home = Path.of(System.getProperty("dcm.home", ".")).toAbsolutePath();
        dir = TestProjects.create(home.resolve("target").resolve("it-servers"), Map.of());
        config = ConfigLoader.load(dir, ENV);
        clickhouse = new ClickHouse(config.clickhouse());
        broker = new Broker(config.broker());
        infra = new Infra(config, clickhouse, broker);
        infra.upClickHouse(System.out::println);
        infra.upBroker(System.out::println);
        Runtime.getRuntime().addShutdownHook(new Thread(infra::down));
    }

    /** Starts the servers on first use. */
    public static synchronized TestServers get() {
        if (instance == null) {
            instance = new TestServers();
        }
        return instance;
    }

    public ProjectConfig config() {
        return config;
    }

    public ClickHouse clickhouse() {
        return clickhouse;
    }

    public Broker broker() {
        return broker;
    }

    /**
     * Stops the test ClickHouse (SIGTERM), then starts it again on the same data. Fails when this checkout did not
     * start it (another one did, or it runs outside): stopping nothing and going on would test no restart at all.
     */
    public void restartClickHouse() throws Exception {
        if (!new dcm.infra.LocalClickHouse(dir, config.clickhouse()).stop()) {
            throw new AssertionError(notOurs("ClickHouse", config.clickhouse().endpoint(), "clickhouse/server.pid"));
        }
        infra.upClickHouse(System.out::println);
    }

    /** Stops the test broker (SIGTERM), then starts it again on the same data; fails as {@link #restartClickHouse}. */
    public void restartBroker() throws Exception {
        if (!new dcm.infra.LocalKafka(dir, config.broker()).stop()) {
            throw new AssertionError(notOurs("the broker", config.broker().broker(), "kafka/broker.pid"));
        }
        infra.upBroker(System.out::println);
    }

    private String notOurs(String server, String address, String pidFile) {
        return "cannot restart " + server + " at " + address + ": this checkout did not start it (no live process in "
                + dir.resolve(".moose").resolve(pidFile) + "); stop the one running there (another checkout's"
                + " `infra down`) and run this test again";
    }

    /** A database and topic namespace of one test's own, and the environment that points a project at them. */
    public record Isolated(String db, Map<String, String> env) {
        /** A ClickHouse client whose database is this one. */
        public ClickHouse clickhouse() {
            var c = get().config().clickhouse();
            return new ClickHouse(new dcm.config.ClickHouseConfig(c.host(), c.hostPort(), c.nativePort(), db, c.user(),
                    c.password(), false));
        }

        /** Runs {@code ./shell -c commands} in-process on the project in {@code dir}, pointed at this database. */
        public dcm.TestProjects.Run shell(java.nio.file.Path dir, String commands) {
            return dcm.TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c", commands);
        }

        /** Like {@link #shell}, failing with what the shell said unless it exits 0. */
        public dcm.TestProjects.Run ok(java.nio.file.Path dir, String commands) {
            dcm.TestProjects.Run r = shell(dir, commands);
            org.junit.jupiter.api.Assertions.assertEquals(0, r.exitCode(), r.out() + r.err());
            return r;
        }

        /** Drops the database. */
        public void drop() {
            get().clickhouse().execute("DROP DATABASE IF EXISTS `" + db + "`");
        }
    }

    /** A fresh database name (and topic namespace) with this prefix. */
    public static Isolated isolated(String prefix) {
        get();
        String db = prefix + "_" + Long.toString(System.nanoTime(), 36);
        return new Isolated(db, env("MOOSE_CLICKHOUSE_CONFIG__DB_NAME", db, "MOOSE_REDPANDA_CONFIG__NAMESPACE", db));
    }

    /** {@link #ENV} plus more entries. */
    public static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>(ENV);
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }
}
