package dcm.shell;

import dcm.config.ConfigLoader;
import dcm.config.ProjectConfig;
import dcm.kafka.KafkaClients;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * The run the launcher makes once per build to record the class data sharing archive ({@code target/dcm.jsa},
 * written by {@code -XX:ArchiveClassesAtExit}): it does what a short shell run does, so the classes it loads are
 * those of a real run. A copy of the example project is loaded (compiled at once) and listed, a Java line is
 * evaluated (JShell), help is shown, and the ClickHouse and
 * Kafka clients are made and asked once at an address where nothing listens (so the clients' classes are loaded
 * without any server). Prints nothing; exits 0 when it ran.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) throws IOException {
        Path home = Path.of(System.getProperty("dcm.home", ".")).toAbsolutePath();
        Path project = Files.createTempDirectory("dcm-training");
        try {
            Files.copy(home.resolve("moose.config.toml"), project.resolve("moose.config.toml"));
            Files.createDirectories(project.resolve("models"));
            try (var files = Files.list(home.resolve("models"))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".jsh")).toList()) {
                    Files.copy(p, project.resolve("models").resolve(p.getFileName()));
                }
            }
            int closed = closedPort();
            Map<String, String> env = new HashMap<>();
            env.put("MOOSE_CLICKHOUSE_CONFIG__HOST", "127.0.0.1");
            env.put("MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", Integer.toString(closed));
            env.put("MOOSE_REDPANDA_CONFIG__BROKER", "127.0.0.1:" + closed);
            PrintStream none = new PrintStream(OutputStream.nullOutputStream());
            // the first load compiles the scripts at once; the Java line evaluates them in JShell, as a REPL does
            for (String commands : new String[] {"ls", "help; help ls", "infra status", "plan", "1 + 1"}) {
                Main.run(new String[] {"--project", project.toString(), "--no-infra", "-c", commands},
                        java.io.InputStream.nullInputStream(), none, none, env);
                Main.run(new String[] {"--project", project.toString(), "--no-infra", "--json", "-c", commands},
                        java.io.InputStream.nullInputStream(), none, none, env);
            }
            ProjectConfig config = ConfigLoader.load(project, env);
            java.util.Properties props = KafkaClients.base(config.broker());
            props.put("default.api.timeout.ms", "1000");
            props.put("request.timeout.ms", "500");
            try (Admin admin = Admin.create(props)) {
                admin.listTopics().names().get(2, TimeUnit.SECONDS);
            } catch (Exception expected) {
                // nothing listens: the admin client's classes are loaded all the same
            }
            loadKafkaProtocol();
        } finally {
            try (var all = Files.walk(project)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    /**
     * Loads (without initialising) the Kafka clients' protocol classes, which only a broker's answers load: a real
     * run against a broker then finds them in the archive.
     */
    private static void loadKafkaProtocol() throws IOException {
        java.net.URL jar = Admin.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader loader = Training.class.getClassLoader();
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.getPath())) {
            for (String name : file.stream().map(java.util.jar.JarEntry::getName).toList()) {
                if (name.endsWith(".class") && PROTOCOL.matcher(name).lookingAt()) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    } catch (Throwable ignored) {
                        // a class that does not link here is not one a run uses
                    }
                }
            }
        }
    }

    private static final java.util.regex.Pattern PROTOCOL = java.util.regex.Pattern.compile(
            "org/apache/kafka/(common/(message|requests|protocol|errors|record)|clients/(admin|consumer|producer))/");

    /** A port nothing listens on (bound, then closed). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
