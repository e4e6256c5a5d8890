package dcm.reliability;

import dcm.bench.HttpLoad;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP load test of the ingest routes: {@code serve} as its own process on a project of its own, 16 keep-alive
 * connections on loopback sending one-record requests for a bounded time and count ({@link HttpLoad}, the generator
 * of {@code scripts/bench ingest}); the case passes when no request failed and every acknowledged record is in the
 * table exactly once, and reports the requests per second held and the latencies.
 */
final class IngestLoad implements Reliability.Group {
    private static final int CONNECTIONS = 16;
    private final Suite suite;
    private Project project;
    private Child serve;

    IngestLoad(Suite suite) {
        this.suite = suite;
    }

    @Override
    public String name() {
        return "ingest load";
    }

    @Override
    public List<Case> cases() {
        return List.of(new Case("load: HTTP ingest routes, " + CONNECTIONS + " connections", "load", true,
                this::load));
    }

    private Outcome load() throws Exception {
        project = suite.project("load");
        project.write("models/ev.jsh", Guard.MODEL);
        project.ok("apply --yes");
        int port = Poll.freePort();
        serve = project.serve(port);
        long millis = suite.shortForm() ? 3_000 : 10_000;
        Map<Long, Boolean> acked = new ConcurrentHashMap<>();
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        HttpLoad.Result r = HttpLoad.run(port, "/ingest/Ev/1.0", CONNECTIONS, millis, 200_000, 1, new AtomicLong(),
                (first, n) -> Guard.record("L" + first, (int) (first % 1000)).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8),
                (first, n, status) -> {
                    statuses.merge(status, 1L, Long::sum);
                    if (status == 200) {
                        acked.put(first, Boolean.TRUE);
                    }
                });
        Case.require(r.failed() == 0, r.failed() + " request(s) not answered 200: " + statuses);
        long want = acked.size();
        Poll.until(want + " acknowledged records in Ev_1_0", 180, () -> project.rows("Ev_1_0") >= want);
        String counts = project.rowsAndDistinct("Ev_1_0", "id");
        Case.require(counts.equals(want + "/" + want), "acknowledged " + want + ", in the table (rows/distinct) "
                + counts);
        return Outcome.pass(String.format(java.util.Locale.ROOT, "%.0f requests/s for %.1f s, p50 %.1f ms, p99 %.1f"
                + " ms, 0 errors; %d acknowledged, %s rows/distinct", r.requestsPerSecond(), r.seconds(),
                r.percentileMillis(0.5), r.percentileMillis(0.99), want, counts));
    }

    @Override
    public void close() {
        if (serve != null) {
            try {
                serve.stop(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (project != null) {
            project.close();
        }
    }
}
