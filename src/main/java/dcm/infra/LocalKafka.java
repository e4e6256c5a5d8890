package dcm.infra;

import dcm.config.BrokerConfig;
import dcm.kafka.Broker;
import dcm.kafka.Tcp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
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
    /**
     * The broker's JVM: a small heap and the serial collector for one local node (RSS ~300 MB), INFO logs of the
     * broker's start kept out. {@code DCM_KAFKA_JAVA_OPTS} replaces them.
     */
    private static final List<String> JVM = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
            "-Dorg.apache.logging.log4j.level=WARN");
    /** A JVM that runs once and ends (formatting the storage): only the quick compiler. */
    private static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");
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

    /**
     * Formats storage when needed, starts the broker and waits until it answers, saying what it waits for (the JVM
     * to listen, then the broker to answer) with the seconds elapsed.
     */
    public long start(Broker client, Consumer<String> say) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        String classpath = classpath();
        Path props = writeProperties();
        Path log = dir.resolve("broker.log");
        long t0 = System.nanoTime();
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            say.accept("formatting the broker's storage (once)");
            List<String> format = new ArrayList<>(List.of(java()));
            format.addAll(QUICK_JVM);
            format.addAll(List.of("-cp", classpath, "kafka.tools.StorageTool", "format", "-t",
                    Uuid.randomUuid().toString(), "-c", props.toString()));
            int rc = Processes.run(format, log, 120);
            if (rc != 0) {
                throw new IllegalStateException("formatting Kafka storage failed (exit " + rc + "):\n"
                        + Processes.tail(log, 15));
            }
        }
        List<String> command = new ArrayList<>(List.of(java(), MARKER));
        String opts = System.getenv("DCM_KAFKA_JAVA_OPTS");
        command.addAll(opts == null || opts.isBlank() ? JVM : List.of(opts.strip().split("\\s+")));
        command.addAll(classSharing());
        command.addAll(List.of("-cp", classpath, "kafka.Kafka", props.toString()));
        long pid = Processes.startDetached(command, dir, log, dir.resolve("broker.pid"));
        say.accept("waiting for the broker (pid " + pid + ") to listen on " + config.broker());
        long deadline = System.nanoTime() + 90_000_000_000L;
        boolean listening = false;
        while (System.nanoTime() < deadline) {
            if (!listening && Tcp.open(config.host(), config.port(), 1000)) {
                listening = true;
                say.accept("  listening after " + seconds(t0) + "; waiting for it to answer");
            }
            if (listening && client.answers(1000)) {
                say.accept("  answering after " + seconds(t0));
                return pid;
            }
            if (process().isEmpty()) {
                throw new IllegalStateException("Kafka exited at start; last log lines:\n" + Processes.tail(log, 20));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Kafka did not answer within 90 s at " + config.broker() + " ("
                + (listening ? "it listens" : "it never listened") + "); see " + log);
    }

    /**
     * Class data sharing for the broker's classes (its start takes about half as long with it, measured in
     * docs/design.md): the first start records the classes it loaded into an archive when the broker stops; a later
     * start moves that recording into place and uses it. The archive goes when the broker's jars change; one the JVM
     * refuses (a broker killed while writing it) is ignored without a word. {@code DCM_CDS=0} turns it off.
     */
    private List<String> classSharing() throws IOException {
        Path jsa = dir.resolve("kafka.jsa");
        Path recording = dir.resolve("kafka.jsa.recording");
        if ("0".equals(System.getenv("DCM_CDS"))) {
            return List.of();
        }
        Path cp = dir.resolve("classpath.txt");
        if (Files.exists(recording)) {
            // the broker that recorded it has ended (this start runs only when none answers)
            Files.move(recording, jsa, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        if (Files.exists(jsa) && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(cp)) < 0) {
            Files.delete(jsa);
        }
        return Files.exists(jsa) ? List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off")
                : List.of("-XX:ArchiveClassesAtExit=" + recording, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    private static String seconds(long t0) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
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
        return MavenClasspath.resolve(ToolHome.get().resolve("scripts/kafka/pom.xml"), dir.resolve("classpath.txt"),
                dir.resolve("resolve.log"), "the Kafka broker");
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
        return MavenClasspath.java();
    }

}
