package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.config.ClickHouseConfig;
import dcm.it.TestServers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the real ClickHouse's query log says of inserts run under a batch's query id, and how {@link QueryLogCheck}
 * reads it: stored (finished, or refused by a view after the table stored the block), not stored (refused for its
 * data, never run), and undecidable (a part of a split batch landed).
 */
class QueryLogCheckIT {
    private final TestServers servers = TestServers.get();
    private final String db = "ql_" + Long.toString(System.nanoTime(), 36);
    private final long now = System.currentTimeMillis() / 1000;
    private ClickHouse ch;

    @BeforeEach
    void setUp() {
        ClickHouseConfig c = servers.config().clickhouse();
        servers.clickhouse().execute("CREATE DATABASE `" + db + "`");
        ch = new ClickHouse(new ClickHouseConfig(c.host(), c.hostPort(), c.nativePort(), db, c.user(), c.password(),
                c.useSsl()));
        ch.execute("CREATE TABLE `" + db + "`.`t` (`x` UInt32) ENGINE = MergeTree ORDER BY `x`");
        ch.execute("CREATE TABLE `" + db + "`.`t2` (`x` UInt32) ENGINE = MergeTree ORDER BY `x`");
        ch.execute("CREATE MATERIALIZED VIEW `" + db + "`.`v` TO `" + db + "`.`t2` AS SELECT toUInt32(x + throwIf(x = 7))"
                + " AS `x` FROM `" + db + "`.`t`");
    }

    @AfterEach
    void tearDown() {
        ch.close();
        servers.clickhouse().execute("DROP DATABASE IF EXISTS `" + db + "`");
    }

    private void insert(String queryId, String lines) {
        ch.insertJsonEachRow("t", new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)),
                (int) lines.lines().count(), queryId);
    }

    private long rows() {
        return Long.parseLong(String.valueOf(ch.query("SELECT count() AS n FROM `" + db + "`.`t`", false).get(0, "n")));
    }

    @Test
    void tellsWhichBatchesLanded() {
        String landed = InsertJob.hash(db, "run", 1, Map.of());
        String refusedForData = InsertJob.hash(db, "run", 2, Map.of());
        String refusedByView = InsertJob.hash(db, "run", 3, Map.of());
        String neverRun = InsertJob.hash(db, "run", 4, Map.of());
        String split = InsertJob.hash(db, "run", 5, Map.of());
        insert(InsertJob.queryId(landed), "{\"x\":1}\n{\"x\":2}\n");
        assertThrows(ClickHouseException.class, () -> insert(InsertJob.queryId(refusedForData),
                "{\"x\":3}\n{\"x\":\"no\"}\n"));
        ClickHouseException view = assertThrows(ClickHouseException.class,
                () -> insert(InsertJob.queryId(refusedByView), "{\"x\":4}\n{\"x\":7}\n"));
        assertEquals(ClickHouseException.Kind.VIEW_REFUSED, view.kind(), view.getMessage());
        // a batch refused whole for its data, then its good half landed under a part's id
        assertThrows(ClickHouseException.class, () -> insert(InsertJob.queryId(split), "{\"x\":5}\n{\"x\":\"no\"}\n"));
        insert(InsertJob.queryId(split) + "-0-1", "{\"x\":5}\n");
        assertEquals(2 + 2 + 1, rows(), "the view's refusal stored its block");

        Map<String, QueryLogCheck.Verdict> v = new QueryLogCheck(ch).check(Map.of(landed, now, refusedForData, now,
                refusedByView, now, neverRun, now, split, now));
        assertEquals(Map.of(landed, QueryLogCheck.Verdict.LANDED, refusedForData, QueryLogCheck.Verdict.NOT_LANDED,
                refusedByView, QueryLogCheck.Verdict.LANDED, neverRun, QueryLogCheck.Verdict.NOT_LANDED,
                split, QueryLogCheck.Verdict.UNSURE), v);
        // handed over before the server started: its log may have lost the insert
        long beforeStart = Long.parseLong(String.valueOf(ch.query("SELECT toUInt64(toUnixTimestamp(now()))"
                + " - toUInt64(uptime()) AS s", false).get(0, "s"))) - 1;
        assertEquals(QueryLogCheck.Verdict.UNSURE, new QueryLogCheck(ch).check(Map.of(neverRun, beforeStart))
                .get(neverRun));
        assertEquals(QueryLogCheck.Verdict.LANDED, new QueryLogCheck(ch).check(Map.of(landed, beforeStart))
                .get(landed), "a logged finish is proof whenever");
        // handed over a few seconds after the server started, with no restart since: the log is whole (a sync that
        // starts right after `infra up` gets exact verdicts too); the clocks are set on each other by the skew
        assertEquals(QueryLogCheck.Verdict.NOT_LANDED, new QueryLogCheck(ch).check(Map.of(neverRun,
                beforeStart + 1 + 2 + QueryLogCheck.SLACK_S)).get(neverRun));
    }
}
