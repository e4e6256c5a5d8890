package dcm.bench;

import dcm.api.ModelAssembler;
import dcm.core.Dialect;
import dcm.jshell.ModelWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Benchmarks run by {@code scripts/bench}; each prints its measurement beside a baseline measured in the same run,
 * and the ratio. Not a test: numbers depend on the machine.
 */
public final class Bench {
    private Bench() {}

    /** A JVM that does nothing: the floor under the shell's cold start. */
    public static final class Noop {
        public static void main(String[] args) {
            // intentionally empty
        }
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        // scripts/bench [start|load|plan|stream|versions|mapping ...]: all of them when none is named
        java.util.Set<String> only = java.util.Set.of(java.util.Arrays.copyOfRange(args, Math.min(1, args.length),
                args.length));
        if (only.isEmpty() || only.contains("start")) {
            coldStart(home);
        }
        if (only.isEmpty() || only.contains("load")) {
            modelLoad();
        }
        dcm.config.ProjectConfig config = dcm.config.ConfigLoader.load(home, System.getenv());
        if (only.isEmpty() || only.contains("plan")) {
            PlanBench.run(config);
        }
        if (only.isEmpty() || only.contains("stream")) {
            StreamBench.run(config);
        }
        if (only.isEmpty() || only.contains("versions")) {
            VersionsBench.run(config);
        }
        if (only.isEmpty() || only.contains("mapping")) {
            MappingTestBench.run(config);
        }
    }

    /** Launch to a ready shell with the example models, against a bare JVM start. */
    private static void coldStart(Path home) throws Exception {
        Path project = Files.createTempDirectory("bench-project");
        Files.copy(home.resolve("moose.config.toml"), project.resolve("moose.config.toml"));
        Files.createDirectories(project.resolve("models"));
        try (var s = Files.list(home.resolve("models"))) {
            for (Path p : s.toList()) {
                Files.copy(p, project.resolve("models").resolve(p.getFileName()));
            }
        }
        String cp = home.resolve("target/dcm.jar") + ":" + home.resolve("target/lib/*");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long base = median(5, () -> spawn(List.of(java, "-cp", cp, Noop.class.getName()), home));
        long shell = median(5, () -> spawn(List.of(home.resolve("shell").toString(), "--project", project.toString(),
                "--no-infra", "-c", "exit"), home));
        print("cold start (launch, load 3 example models, ready)", shell, "bare JVM start", base);
    }

    /** Loading 100 generated model files of 30 fields, against 10 such files (scaled). */
    private static void modelLoad() throws IOException {
        long ten = loadMillis(10);
        long hundred = loadMillis(100);
        System.out.printf(Locale.ROOT, "%-55s %8d ms   baseline: %s %d ms x10 = %d ms   ratio %.2f%n",
                "load 100 model files (30 fields each)", hundred, "10 files", ten, ten * 10,
                hundred / (double) Math.max(1, ten * 10));
    }

    private static long loadMillis(int files) throws IOException {
        Path project = Files.createTempDirectory("bench-models");
        Files.createDirectories(project.resolve("models"));
        for (int i = 0; i < files; i++) {
            StringBuilder fields = new StringBuilder();
            for (int f = 0; f < 30; f++) {
                fields.append(f == 0 ? "@Key String id" : (f % 3 == 0 ? ", long" : f % 3 == 1 ? ", String"
                        : ", Instant") + " f" + f);
            }
            Files.writeString(project.resolve("models").resolve(String.format("m%03d.jsh", i)),
                    "record M" + i + "(" + fields + ") {}\nnew OlapTable<>(\"M" + i + "\", M" + i
                            + ".class).orderBy(\"id\");\n");
        }
        try (ModelWorkspace ws = new ModelWorkspace(project, new ModelAssembler.Settings("1.0", "", 1000L,
                Dialect.LEGACY_18_16))) {
            ModelWorkspace.LoadReport r = ws.reload();
            if (!r.ok() || r.models().size() != files) {
                throw new IllegalStateException("bench models did not load: " + r.diagnostics());
            }
            return r.millis();
        }
    }

    interface Timed {
        long run() throws Exception;
    }

    static long median(int n, Timed t) throws Exception {
        t.run();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add(t.run());
        }
        Collections.sort(times);
        return times.get(n / 2);
    }

    private static long spawn(List<String> cmd, Path dir) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("failed: " + cmd);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void print(String what, long ms, String baseline, long baseMs) {
        System.out.printf(Locale.ROOT, "%-55s %8d ms   baseline: %s %d ms   ratio %.2f%n", what, ms, baseline, baseMs,
                ms / (double) Math.max(1, baseMs));
    }
}
