package dcm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/bench start}: how long the shell takes to start, each against a bare {@code java -version} measured
 * in the same run, with the targets of issue 16: the launch to the REPL's prompt with the example project, and
 * {@code ./shell -c ls} with 3 and with 100 unchanged model files, cold (the project's model cache under
 * {@code .moose/} deleted before each run) and warm (the same run again, the cache as the run before left it).
 * {@code ls} asks ClickHouse and the broker, so the servers the environment names must answer.
 */
final class StartBench {
    private static final int ROUNDS = 3;
    private final Path home;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private StartBench(Path home) {
        this.home = home;
    }

    static void run(Path home) throws Exception {
        new StartBench(home).all();
    }

    private void all() throws Exception {
        long bare = median(() -> spawn(List.of(java, "-version"), null));
        Path example = project("bench-start", 0);
        copyExampleModels(example);
        // the REPL through a pseudo-terminal (script(1)): launch, load the models, show the prompt, read `exit`
        long prompt = median(() -> spawn(List.of("script", "-qec", shell() + " --project " + example
                + " --no-infra", "/dev/null"), "exit\n"));
        line("launch to prompt (REPL in a pty, 3 example models, exit)", prompt, bare, 1000);
        for (int files : new int[] {3, 100}) {
            Path p = files == 3 ? example : project("bench-start-100", 100);
            List<String> ls = List.of(shell(), "--project", p.toString(), "--no-infra", "-c", "ls");
            long cold = median(() -> {
                deleteModelCache(p);
                return spawn(ls, null);
            });
            spawn(ls, null); // leaves the cache of a complete load for the warm runs
            long warm = median(() -> spawn(ls, null));
            line("./shell -c ls, " + files + " model files, cold (no cache)", cold, bare, files == 100 ? 3000 : 0);
            line("./shell -c ls, " + files + " model files, warm", warm, bare, files == 100 ? 1000 : 0);
        }
    }

    private String shell() {
        return home.resolve("shell").toString();
    }

    private Path project(String prefix, int generated) throws IOException {
        Path p = Files.createTempDirectory(prefix);
        Files.copy(home.resolve("moose.config.toml"), p.resolve("moose.config.toml"));
        Files.createDirectories(p.resolve("models"));
        for (int i = 0; i < generated; i++) {
            StringBuilder fields = new StringBuilder();
            for (int f = 0; f < 30; f++) {
                fields.append(f == 0 ? "@Key String id" : (f % 3 == 0 ? ", long" : f % 3 == 1 ? ", String"
                        : ", Instant") + " f" + f);
            }
            Files.writeString(p.resolve("models").resolve(String.format(Locale.ROOT, "m%03d.jsh", i)),
                    "record M" + i + "(" + fields + ") {}\nnew OlapTable<>(\"M" + i + "\", M" + i
                            + ".class).orderBy(\"id\");\n");
        }
        return p;
    }

    private void copyExampleModels(Path p) throws IOException {
        try (var s = Files.list(home.resolve("models"))) {
            for (Path f : s.toList()) {
                Files.copy(f, p.resolve("models").resolve(f.getFileName()));
            }
        }
    }

    /** Whatever model cache a run left under {@code .moose/} (the servers' data dirs are not there: --no-infra). */
    private static void deleteModelCache(Path project) throws IOException {
        Path moose = project.resolve(".moose");
        if (!Files.isDirectory(moose)) {
            return;
        }
        try (var s = Files.list(moose)) {
            for (Path p : s.filter(f -> f.getFileName().toString().matches("(model-)?cache.*")).toList()) {
                try (var all = Files.walk(p)) {
                    all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private interface Timed {
        long run() throws Exception;
    }

    private static long median(Timed t) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            times.add(t.run());
        }
        Collections.sort(times);
        return times.get(ROUNDS / 2);
    }

    /** Runs a command to its end (input written to its stdin, then closed); its wall time in ms. */
    private long spawn(List<String> cmd, String input) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("failed (exit " + (p.isAlive() ? "-" : p.exitValue()) + "): " + cmd);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void line(String what, long ms, long bare, long targetMs) {
        String verdict = targetMs <= 0 ? "" : String.format(Locale.ROOT, "   target %d ms: %s", targetMs,
                ms < targetMs ? "met" : "MISSED");
        System.out.printf(Locale.ROOT, "%-58s %6d ms   baseline: java -version %d ms   ratio %.1f%s%n", what, ms, bare,
                ms / (double) Math.max(1, bare), verdict);
    }
}
