package dcm.reliability;

import dcm.clickhouse.ClickHouse;
import dcm.config.ConfigLoader;
import dcm.config.ProjectConfig;
import dcm.infra.Infra;
import dcm.infra.LocalClickHouse;
import dcm.infra.LocalKafka;
import dcm.kafka.Broker;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A ClickHouse and a Kafka broker of the suite's own, on free ports, started through the project's infra code
 * ({@code infra up} of a folder of their own), so the restart cases can kill them without touching the servers
 * other tests share; stopped ({@code infra down}) and deleted at the end.
 */
final class OwnServers implements AutoCloseable {
    private final Path dir;
    private final ProjectConfig config;
    private final ClickHouse clickhouse;
    private final Broker broker;
    private final Infra infra;
    private final Map<String, String> env;
    private final Thread hook = new Thread(this::down, "reliability-servers");

    OwnServers(Suite suite) {
        dir = suite.folder("servers");
        int http = Poll.freePort();
        int tcp = Poll.freePort();
        int kafka = kafkaPort();
        env = Map.of("MOOSE_CLICKHOUSE_CONFIG__HOST", "localhost",
                "MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", String.valueOf(http),
                "MOOSE_CLICKHOUSE_CONFIG__NATIVE_PORT", String.valueOf(tcp),
                "MOOSE_REDPANDA_CONFIG__BROKER", "localhost:" + kafka);
        Project.writeConfig(dir);
        config = ConfigLoader.load(dir, env);
        clickhouse = new ClickHouse(config.clickhouse());
        broker = new Broker(config.broker());
        infra = new Infra(config, clickhouse, broker);
        // started detached: stopped by close(), or by this hook when the suite is ended before (Ctrl-C)
        Runtime.getRuntime().addShutdownHook(hook);
        infra.upClickHouse(s -> {});
        infra.upBroker(s -> {});
    }

    /** A free port whose next port is free too (the local broker's controller listens there). */
    private static int kafkaPort() {
        for (int i = 0; i < 20; i++) {
            int p = Poll.freePort();
            if (p < 65535 && !Poll.listening(p + 1)) {
                return p;
            }
        }
        throw new IllegalStateException("no free pair of ports for the broker");
    }

    /** The environment that points a project at these servers. */
    Map<String, String> env() {
        return env;
    }

    /** kill -9 of the ClickHouse server, then {@code infra up} again on the same data; returns the seconds down. */
    double killAndRestartClickHouse() {
        long t0 = System.nanoTime();
        kill(new LocalClickHouse(dir, config.clickhouse()).process(), "ClickHouse");
        infra.upClickHouse(s -> {});
        return (System.nanoTime() - t0) / 1e9;
    }

    /** kill -9 of the broker, then {@code infra up} again on the same data; returns the seconds down. */
    double killAndRestartBroker() {
        long t0 = System.nanoTime();
        kill(new LocalKafka(dir, config.broker()).process(), "the broker");
        infra.upBroker(s -> {});
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void kill(Optional<ProcessHandle> process, String what) {
        ProcessHandle p = process.orElseThrow(() -> new Case.Failed(what + " of the suite's own is not running"));
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        Poll.until(what + " (pid " + p.pid() + ") to die", 30, () -> !p.isAlive());
    }

    private void down() {
        infra.down();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down: the hook stops them
        }
        try {
            infra.down();
        } finally {
            clickhouse.close();
            broker.close();
            Project.deleteTree(dir);
        }
    }
}
