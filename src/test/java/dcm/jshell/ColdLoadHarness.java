package dcm.jshell;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Not a test: times the cold evaluation of generated model files (as {@code Bench.modelLoad}: records of 30 fields
 * and an OlapTable each) in a fresh session. {@code java -cp ... dcm.jshell.ColdLoadHarness [files] [rounds]}.
 */
public final class ColdLoadHarness {
    private ColdLoadHarness() {}

    static Map<String, byte[]> files(int n) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            StringBuilder fields = new StringBuilder();
            for (int f = 0; f < 30; f++) {
                fields.append(f == 0 ? "@Key String id" : (f % 3 == 0 ? ", long" : f % 3 == 1 ? ", String"
                        : ", Instant") + " f" + f);
            }
            out.put(String.format("m%03d.jsh", i), ("record M" + i + "(" + fields + ") {}\nnew OlapTable<>(\"M" + i
                    + "\", M" + i + ".class).orderBy(\"id\");\n").getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long c0 = cpu();
            try (SnippetRunner runner = new SnippetRunner(30_000)) {
                long t1 = System.nanoTime();
                int defs = 0;
                int diags = 0;
                StringBuilder per = new StringBuilder();
                Map<String, byte[]> all = files(n);
                long tc = t1;
                int i = 0;
                Map<String, byte[]> chunk = new LinkedHashMap<>();
                for (Map.Entry<String, byte[]> e : all.entrySet()) {
                    chunk.put(e.getKey(), e.getValue());
                    if (++i % 10 == 0 || i == n) {
                        Evaluation.Result res = Evaluation.run(runner, chunk, Map.of(), new ScriptMappings());
                        defs += res.byFile().values().stream().mapToInt(d -> d.definitions().size()).sum();
                        diags += res.diagnostics().size();
                        long now = System.nanoTime();
                        per.append(' ').append((now - tc) / 1_000_000);
                        tc = now;
                        chunk = new LinkedHashMap<>();
                    }
                }
                long t2 = System.nanoTime();
                System.out.printf("process CPU %d ms%n", (cpu() - c0) / 1_000_000);
                System.out.printf("round %d: session %d ms, %d files %d ms (%d definitions, %d diagnostics); per 10:%s%n",
                        r, (t1 - t0) / 1_000_000, n, (t2 - t1) / 1_000_000, defs, diags, per);
            }
        }
    }
}
