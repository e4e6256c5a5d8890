package dcm.infra;

import dcm.config.BrokerConfig;
import dcm.kafka.Broker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;

/**
 * A project-local Apache Kafka 4.x broker in KRaft mode (combined broker and controller), run from Maven Central
 * jars in a child JVM so the broker's ~45 jars stay out of the shell's classpath. Data under
 * {@code .moose/kafka/data} survives restarts; storage is formatted only when it has never been.
 */
public final class LocalKafka {
    /** On the command line before the (long) classpath: /proc/PID/cmdline may be read only in part. */
    private static final String MARKER = "-Ddcm.local=kafka";
    private final Path dir;
    private final BrokerConfig config;

    public LocalKafka(Path projectDir, BrokerConfig config) {
        this.dir = projectDir.resolve(".moose").resolve("kafka");
        this.config = config;
    }

    /** The running broker this project started, if any. */
    public Optional<ProcessHandle> process() {
        return Processes.tracked(dir.resolve("broker.pid"), MARKER);
    }

    /** The controller port: the broker port plus one. */
    public int controllerPort() {
        return config.port() + 1;
    }

    /** Formats storage when needed, starts the broker and waits until it answers. */
    public long start(Broker client) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        String classpath = classpath();
        Path props = writeProperties();
        Path log = dir.resolve("broker.log");
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            int rc = Processes.run(List.of(java(), "-cp", classpath, "kafka.tools.StorageTool", "format",
                    "-t", Uuid.randomUuid().toString(), "-c", props.toString()), log, 120);
            if (rc != 0) {
                throw new IllegalStateException("formatting Kafka storage failed (exit " + rc + "):\n"
                        + Processes.tail(log, 15));
            }
        }
        long pid = Processes.startDetached(List.of(java(), MARKER, "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dorg.apache.logging.log4j.level=WARN", "-cp", classpath, "kafka.Kafka", props.toString()), dir, log,
                dir.resolve("broker.pid"));
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (client.answers(1000)) {
                return pid;
            }
            if (process().isEmpty()) {
                throw new IllegalStateException("Kafka exited at start; last log lines:\n" + Processes.tail(log, 20));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Kafka did not answer within 90 s at " + config.broker() + "; see " + log);
    }

    /** Stops the broker if this project started it; true when one was running. */
    public boolean stop() throws IOException {
        return Processes.stop(dir.resolve("broker.pid"), MARKER, 30);
    }

    /** The Kafka version of the local broker's jars ({@code 4.1.1}), from the resolved classpath, or null. */
    public String version() {
        try {
            Path cp = dir.resolve("classpath.txt");
            if (!Files.exists(cp)) {
                return null;
            }
            Matcher m = Pattern.compile("kafka_2\\.13-([0-9.]+)\\.jar").matcher(Files.readString(cp));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Resolves the broker's runtime classpath once with Maven (from Maven Central), cached in classpath.txt. */
    private String classpath() throws IOException, InterruptedException {
        Path cp = dir.resolve("classpath.txt");
        Path pom = ToolHome.get().resolve("scripts/kafka/pom.xml");
        if (!Files.exists(cp) || Files.getLastModifiedTime(cp).compareTo(Files.getLastModifiedTime(pom)) < 0) {
            Path mvn = Processes.which("mvn");
            if (mvn == null) {
                throw new IllegalStateException("Maven (mvn) is needed once to fetch the Kafka broker's jars;"
                        + " install it with: apt-get install -y maven");
            }
            Path log = dir.resolve("resolve.log");
            int rc = Processes.run(List.of(mvn.toString(), "-q", "-B", "-f", pom.toString(),
                    "dependency:build-classpath", "-DincludeScope=runtime", "-Dmdep.outputFile=" + cp), log, 600);
            if (rc != 0 || !Files.exists(cp)) {
                throw new IllegalStateException("resolving the Kafka broker's jars failed (exit " + rc + "):\n"
                        + Processes.tail(log, 15));
            }
        }
        return Files.readString(cp).trim();
    }

    private Path writeProperties() throws IOException {
        String host = "127.0.0.1";
        String text = String.join("\n",
                "# written by the shell on every start; edit moose.config.toml instead",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + host + ":" + controllerPort(),
                "listeners=PLAINTEXT://" + host + ":" + config.port() + ",CONTROLLER://" + host + ":" + controllerPort(),
                "advertised.listeners=PLAINTEXT://" + config.host() + ":" + config.port(),
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "") ;
        Path props = dir.resolve("server.properties");
        Files.writeString(props, text);
        return props;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
