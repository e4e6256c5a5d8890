package dcm.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.reliability.Reliability;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The reliability suite's short form ({@code scripts/reliability --short}) against the test servers: every case
 * passes. The seed is random per run and printed with the table (and in the failure), so a failing run can be
 * repeated with {@code -Dreliability.seed=N} or {@code scripts/reliability --short --seed N}.
 */
class ReliabilityIT {
    @Test
    void theShortFormPassesEveryCase() {
        TestServers.get();
        long seed = Long.getLong("reliability.seed", System.currentTimeMillis() % 100_000);
        Path home = Path.of(System.getProperty("dcm.home", ".")).toAbsolutePath();
        Reliability.Report report = Reliability.run(home, TestServers.ENV, new Reliability.Options(true, seed),
                System.out);
        assertTrue(report.passed(), "failed with seed " + seed + ": " + report.failed());
    }
}
