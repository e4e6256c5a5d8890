package dcm.infra;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.config.ProjectConfig;
import dcm.kafka.Broker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code infra up | down | status}: starts a project-local ClickHouse and Kafka broker when nothing answers at the
 * configured addresses (and only at a local address), stops what it started, and says what answers where.
 */
public final class Infra {
    private final ProjectConfig config;
    private final ClickHouse clickhouse;
    private final Broker broker;
    private final LocalClickHouse localClickHouse;
    private final LocalKafka localKafka;

    public Infra(ProjectConfig config, ClickHouse clickhouse, Broker broker) {
        this.config = config;
        this.clickhouse = clickhouse;
        this.broker = broker;
        this.localClickHouse = new LocalClickHouse(config.projectDir(), config.clickhouse());
        this.localKafka = new LocalKafka(config.projectDir(), config.broker());
    }

    /** True when host names this machine, so a server may be started here for it. */
    public static boolean isLocal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    /**
     * Ensures ClickHouse answers, starting the local server if needed (the local cluster when one is configured);
     * progress lines go to {@code say}.
     */
    public ServerStatus upClickHouse(Consumer<String> say) {
        if (clickhouse.answers()) {
            ensureDatabase(say);
            return statusClickHouse("already answering");
        }
        if (!isLocal(config.clickhouse().host())) {
            throw new IllegalStateException("ClickHouse does not answer at " + config.clickhouse().endpoint()
                    + " and that is not this machine, so no local server is started; check [clickhouse_config]");
        }
        if (config.clickhouse().cluster() != null) {
            say.accept("cluster " + config.clickhouse().cluster() + " is configured: starting the local cluster");
            upCluster(say);
            return statusClickHouse("started with the local cluster (`infra status` shows each server)");
        }
        try {
            installIfMissing(say);
            say.accept("starting ClickHouse on " + config.clickhouse().endpoint() + " (data in .moose/clickhouse)");
            long t0 = System.nanoTime();
            localClickHouse.start(clickhouse);
            ensureDatabase(say);
            return statusClickHouse("started in " + seconds(t0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting ClickHouse", e);
        }
    }

    /**
     * {@code infra up --cluster}: starts the local cluster of the configured cluster's name (ZooKeeper and
     * {@link LocalCluster#REPLICAS} ClickHouse replicas, each only when nothing answers on its port) and creates the
     * database on every replica. Returns one status per server.
     */
    public List<ServerStatus> upCluster(Consumer<String> say) {
        if (!isLocal(config.clickhouse().host())) {
            throw new IllegalStateException("[clickhouse_config] host " + config.clickhouse().host() + " is not this"
                    + " machine, so no local cluster is started there; use host = \"localhost\" to try one");
        }
        try {
            installIfMissing(say);
            List<ServerStatus> out = new LocalCluster(config.projectDir(), config.clickhouse()).start(say);
            ensureDatabase(say);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local cluster", e);
        }
    }

    /** Ensures the broker answers, starting the local Kafka broker if needed. */
    public ServerStatus upBroker(Consumer<String> say) {
        dcm.kafka.Broker.Probe probe = broker.probe(60_000);
        if (probe.answers()) {
            return statusBroker("already answering");
        }
        if (probe.listening()) {
            // never start a second broker on a busy port: the one there is slow, not absent
            throw new IllegalStateException("something listens at " + config.broker().broker() + " but did not"
                    + " answer as a Kafka broker in " + probe.waitedMillis() / 1000 + " s; try again, or free the port");
        }
        if (!isLocal(config.broker().host())) {
            throw new IllegalStateException("no broker answers at " + config.broker().broker()
                    + " and that is not this machine, so no local broker is started; check [redpanda_config] broker");
        }
        try {
            say.accept("starting Kafka (KRaft) on " + config.broker().broker() + " (data in .moose/kafka)");
            long t0 = System.nanoTime();
            localKafka.start(broker, say);
            return statusBroker("started in " + seconds(t0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        }
    }

    /** Stops the servers this project started; says what it stopped. */
    public List<ServerStatus> down() {
        try {
            boolean ch = localClickHouse.stop();
            boolean k = localKafka.stop();
            List<ServerStatus> out = new java.util.ArrayList<>(List.of(
                    new ServerStatus("clickhouse", config.clickhouse().endpoint(), false, null, true, 0,
                            ch ? "stopped" : "not started by this project"),
                    new ServerStatus("broker", config.broker().broker(), false, null, true, 0,
                            k ? "stopped" : "not started by this project")));
            if (config.clickhouse().cluster() != null) {
                boolean cluster = new LocalCluster(config.projectDir(), config.clickhouse()).stop();
                out.add(new ServerStatus("cluster " + config.clickhouse().cluster(), "zookeeper and "
                        + LocalCluster.REPLICAS + " replicas", false, null, true, 0, cluster ? "stopped"
                        : "not started by this project"));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What answers at both addresses; with a cluster configured, ZooKeeper and each replica of the local one. */
    public List<ServerStatus> status() {
        if (config.clickhouse().cluster() != null && isLocal(config.clickhouse().host())) {
            List<ServerStatus> out = new java.util.ArrayList<>(new LocalCluster(config.projectDir(),
                    config.clickhouse()).status());
            out.add(statusBroker(null));
            return out;
        }
        return List.of(statusClickHouse(null), statusBroker(null));
    }

    private ServerStatus statusClickHouse(String note) {
        long pid = localClickHouse.process().map(ProcessHandle::pid).orElse(0L);
        try {
            String v = clickhouse.version();
            return new ServerStatus("clickhouse", config.clickhouse().endpoint(), true, "ClickHouse " + v, pid > 0,
                    pid, note != null ? note : pid > 0 ? "local, data in .moose/clickhouse" : "external");
        } catch (ClickHouseException e) {
            return new ServerStatus("clickhouse", config.clickhouse().endpoint(), false, null, pid > 0, pid,
                    note != null ? note : "not answering: run `infra up`" + (LocalClickHouse.binary() == null
                            ? " (needs: " + LocalClickHouse.INSTALL + ")" : ""));
        }
    }

    private ServerStatus statusBroker(String note) {
        long pid = localKafka.process().map(ProcessHandle::pid).orElse(0L);
        dcm.kafka.Broker.Probe probe = broker.probe(10_000);
        if (!probe.answers()) {
            return new ServerStatus("broker", config.broker().broker(), false, null, pid > 0, pid,
                    note != null ? note : probe.listening() ? "listening, but no answer in " + probe.waitedMillis()
                            / 1000 + " s (busy?)" : "not answering: run `infra up`");
        }
        String version = pid > 0 && localKafka.version() != null ? "Apache Kafka " + localKafka.version() + " (KRaft)"
                : "Kafka-compatible broker";
        String described;
        try {
            described = broker.describe();
        } catch (RuntimeException e) {
            described = "cluster unknown";
        }
        return new ServerStatus("broker", config.broker().broker(), true, version + ", " + described, pid > 0, pid,
                note != null ? note : pid > 0 ? "local, data in .moose/kafka" : "external");
    }

    /**
     * Creates the project's database; on a cluster on every replica, when every replica answers (else it is said, and
     * left for the first apply, which checks the replicas again).
     */
    private void ensureDatabase(Consumer<String> say) {
        String create = "CREATE DATABASE IF NOT EXISTS " + dcm.core.Sql.id(config.clickhouse().dbName());
        if (clickhouse.cluster().replicated()) {
            try {
                dcm.clickhouse.ClusterCheck.requireReplicas(clickhouse);
            } catch (ClickHouseException e) {
                say.accept("warning: " + e.getMessage());
                clickhouse.execute(create);
                return;
            }
        }
        clickhouse.execute(create + clickhouse.cluster().on());
    }

    private void installIfMissing(Consumer<String> say) throws IOException, InterruptedException {
        if (LocalClickHouse.binary() != null) {
            return;
        }
        if (!LocalClickHouse.isRoot() || Processes.which("apt-get") == null) {
            throw new IllegalStateException("clickhouse-server is not installed; install it with: sudo "
                    + LocalClickHouse.INSTALL);
        }
        say.accept("installing clickhouse-server with apt-get (once)");
        Path log = config.projectDir().resolve(".moose").resolve("apt.log");
        Files.createDirectories(log.getParent());
        Processes.run(List.of("apt-get", "update", "-qq"), log, 600);
        int rc = Processes.run(List.of("apt-get", "install", "-y", "-qq", "clickhouse-server", "clickhouse-client"),
                log, 900);
        if (rc != 0 || LocalClickHouse.binary() == null) {
            throw new IllegalStateException("apt-get install clickhouse-server failed (exit " + rc + "):\n"
                    + Processes.tail(log, 10));
        }
    }

    private static String seconds(long t0) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
    }
}
