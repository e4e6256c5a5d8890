package dcm.bench;

import java.util.Locale;
import java.util.Map;

/**
 * Where the stream benchmark's time went: CPU of this JVM, of the local ClickHouse and Kafka (from their pid files
 * under .moose/), of the machine and of each thread; the collector's time; medians and lists for the report.
 */
final class Meter {
    private Meter() {}

    /**
     * CPU used so far: this JVM (ns), the local ClickHouse and Kafka (clock ticks, from their pid files under
     * .moose/, or the directory {@code -Dbench.moose} names, e.g. the shared servers' when the bench runs against
     * them). On a small machine the sync competes with both servers for cores; this shows where time went.
     */
    static long[] cpu() {
        long self = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
        String servers = System.getProperty("bench.moose", ".moose");
        return new long[] {self, ticks(servers + "/clickhouse/server.pid"), ticks(servers + "/kafka/broker.pid")};
    }

    /** The machine's clock ticks since boot: all of them, and the idle ones (from /proc/stat). */
    static long[] hostTicks() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim()
                    .split("\\s+");
            long all = 0;
            for (int i = 1; i < f.length; i++) {
                all += Long.parseLong(f[i]);
            }
            return new long[] {all, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (Exception e) {
            return new long[] {0, 0};
        }
    }

    /** CPU time per live thread of this JVM (ns), by thread id. */
    static Map<Long, Long> threadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new java.util.HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            out.put(id, mx.getThreadCpuTime(id));
        }
        return out;
    }

    /** The CPU the threads used since the snapshot, summed by name (digits dropped), largest first. */
    static String threadsSince(Map<Long, Long> before) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new java.util.TreeMap<>();
        for (long id : mx.getAllThreadIds()) {
            var info = mx.getThreadInfo(id);
            long now = mx.getThreadCpuTime(id);
            if (info == null || now < 0) {
                continue;
            }
            String name = info.getThreadName().replaceAll("[0-9a-f]{6,}|[0-9]+", "#");
            byName.merge(name, now - before.getOrDefault(id, 0L), Long::sum);
        }
        return byName.entrySet().stream().filter(e -> e.getValue() > 10_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    static String list(double[] xs, String format) {
        return java.util.Arrays.stream(xs).mapToObj(x -> String.format(Locale.ROOT, format, x))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static long ticks(String pidFile) {
        try {
            String pid = java.nio.file.Files.readString(java.nio.file.Path.of(pidFile)).trim();
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat")).split(" ");
            return Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (Exception e) {
            return 0;
        }
    }

}
