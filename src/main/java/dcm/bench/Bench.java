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

/**
 * Benchmarks run by {@code scripts/bench}; each prints its measurement beside a baseline measured in the same run,
 * and the ratio. Not a test: numbers depend on the machine.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        // scripts/bench [start|load|plan|stream|versions|ingest|mapping ...]: all of them when none is named
        java.util.Set<String> only = java.util.Set.of(java.util.Arrays.copyOfRange(args, Math.min(1, args.length),
                args.length));
        if (only.isEmpty() || only.contains("start")) {
            StartBench.run(home);
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
        if (only.isEmpty() || only.contains("ingest")) {
            IngestBench.run(config);
        }
        if (only.isEmpty() || only.contains("mapping")) {
            MappingTestBench.run(config);
        }
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

    static void print(String what, long ms, String baseline, long baseMs) {
        System.out.printf(Locale.ROOT, "%-55s %8d ms   baseline: %s %d ms   ratio %.2f%n", what, ms, baseline, baseMs,
                ms / (double) Math.max(1, baseMs));
    }
}
