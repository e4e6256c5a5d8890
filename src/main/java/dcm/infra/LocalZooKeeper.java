package dcm.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A local ZooKeeper server for the local ClickHouse cluster (replication and ON CLUSTER DDL need one): Apache
 * ZooKeeper from Maven Central jars, {@code org.apache.zookeeper.server.ZooKeeperServerMain} in a child JVM with a
 * generated {@code zoo.cfg}, data under its own folder, listening on 127.0.0.1 only.
 */
public final class LocalZooKeeper {
    /** On the command line before the classpath: /proc/PID/cmdline may be read only in part. */
    private static final String MARKER = "-Ddcm.local=zookeeper";
    private static final List<String> JVM = List.of("-Xms32m", "-Xmx128m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dzookeeper.admin.enableServer=false");
    private final Path dir;
    private final int port;

    /** A server with its files in {@code dir}, answering on {@code port}. */
    public LocalZooKeeper(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The client port. */
    public int port() {
        return port;
    }

    /** The running server started from {@code dir}, if any. */
    public Optional<ProcessHandle> process() {
        return Processes.tracked(dir.resolve("zookeeper.pid"), MARKER);
    }

    /**
     * True when a ZooKeeper serves requests on the port: {@code srvr} answers with its version and mode. Not
     * {@code ruok}, which says {@code imok} as soon as it listens, before the server has loaded its data and takes
     * sessions (ClickHouse 18.16 crashes on a session refused then).
     */
    public boolean answers() {
        return srvr().map(a -> a.startsWith("Zookeeper version:") && a.contains("Mode:")).orElse(false);
    }

    /** The server's version ({@code 3.9.5}) as {@code srvr} reports it, or null when none answers. */
    public String version() {
        return srvr().filter(a -> a.startsWith("Zookeeper version:"))
                .map(a -> a.substring("Zookeeper version:".length()).strip().split("[-,\\s]")[0]).orElse(null);
    }

    /** What the four-letter command {@code srvr} answers, if anything answers on the port. */
    private Optional<String> srvr() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Starts the server unless one answers on the port, and waits until it answers; returns its pid (0: was up). */
    public long start() throws IOException, InterruptedException {
        if (answers()) {
            return 0;
        }
        Files.createDirectories(dir.resolve("data"));
        String classpath = MavenClasspath.resolve(ToolHome.get().resolve("scripts/zookeeper/pom.xml"),
                dir.resolve("classpath.txt"), dir.resolve("resolve.log"), "ZooKeeper");
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n",
                "# written by the shell on every start",
                "tickTime=500",
                "initLimit=10",
                "syncLimit=5",
                "dataDir=" + dir.resolve("data").toAbsolutePath(),
                "clientPort=" + port,
                "clientPortAddress=127.0.0.1",
                "admin.enableServer=false",
                "4lw.commands.whitelist=srvr,stat,ruok",
                "maxClientCnxns=0",
                // a few snapshots are enough for a local server
                "autopurge.snapRetainCount=3",
                "autopurge.purgeInterval=1",
                ""));
        List<String> command = new ArrayList<>(List.of(MavenClasspath.java(), MARKER));
        command.addAll(JVM);
        command.addAll(List.of("-cp", classpath, "org.apache.zookeeper.server.ZooKeeperServerMain",
                cfg.toAbsolutePath().toString()));
        Path log = dir.resolve("zookeeper.log");
        long pid = Processes.startDetached(command, dir, log, dir.resolve("zookeeper.pid"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return pid;
            }
            if (process().isEmpty()) {
                throw new IllegalStateException("ZooKeeper exited at start; last log lines:\n" + Processes.tail(log, 20));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("ZooKeeper did not answer within 60 s on 127.0.0.1:" + port + "; see " + log);
    }

    /** Stops the server if it was started from this folder; true when one was running. */
    public boolean stop() throws IOException {
        return Processes.stop(dir.resolve("zookeeper.pid"), MARKER, 30);
    }
}
