package dcm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small fixture factories: a project folder with a config and model files, and a shell run over injected streams. */
public final class TestProjects {
    private TestProjects() {}

    /** The example project's model files (from the repository's models/). */
    public static Map<String, String> exampleModels() {
        try {
            Path models = Path.of(System.getProperty("dcm.home", ".")).resolve("models");
            Map<String, String> out = new java.util.TreeMap<>();
            try (var s = Files.list(models)) {
                for (Path p : s.filter(f -> f.toString().endsWith(".jsh")).toList()) {
                    out.put(p.getFileName().toString(), Files.readString(p));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code moose.config.toml} (version 1.0) and the given model files into {@code dir}. */
    public static Path create(Path dir, Map<String, String> models) {
        try {
            Files.createDirectories(dir.resolve("models"));
            Files.writeString(dir.resolve("moose.config.toml"), """
                    [project]
                    version = "1.0"
                    [clickhouse_config]
                    db_name = "local"
                    """);
            for (Map.Entry<String, String> m : models.entrySet()) {
                Files.writeString(dir.resolve("models").resolve(m.getKey()), m.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a shell run printed and returned. */
    public record Run(int exitCode, String out, String err) {}

    /** The real {@code ./shell} launcher of this checkout. */
    public static Path launcher() {
        return Path.of(System.getProperty("dcm.home", ".")).toAbsolutePath().resolve("shell");
    }

    /**
     * Runs the real {@code ./shell} launcher as a child process with {@code --no-infra -c commands}, through
     * {@link ChildProcess} (fails after 120 s); {@code failpoint} (or null) is passed as DCM_FAILPOINT. Returns the
     * exit code and what it printed.
     */
    public static Run launch(Path project, Map<String, String> env, String commands, String failpoint) {
        Map<String, String> all = new java.util.HashMap<>(env);
        if (failpoint != null) {
            all.put("DCM_FAILPOINT", failpoint);
        }
        // --no-infra: a test never starts servers of its own in a temporary folder (they would outlive it)
        return ChildProcess.run(java.time.Duration.ofSeconds(120), all, List.of(launcher().toString(), "--project",
                project.toString(), "--no-infra", "-c", commands));
    }

    /** Runs {@code dcm.shell.Main} in-process with these arguments, environment and standard input. */
    public static Run shell(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = dcm.shell.Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
