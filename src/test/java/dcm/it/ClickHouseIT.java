package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.config.ClickHouseConfig;
import dcm.core.Rows;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ClickHouse adapter against the real server. */
class ClickHouseIT {
    static ClickHouse ch;

    @BeforeAll
    static void servers() {
        ch = TestServers.get().clickhouse();
    }

    @Test
    void reportsVersionAndDialect() {
        assertTrue(ch.version().matches("\\d+\\.\\d+.*"), ch.version());
        assertEquals(ch.version(), ch.dialect().version());
    }

    @Test
    void executesDdlInsertsJsonAndReadsTypedRows() {
        ch.execute("DROP TABLE IF EXISTS `local`.`it_rows`");
        ch.execute("CREATE TABLE `local`.`it_rows` (id String, n Int64, at DateTime, tags Array(String),"
                + " maybe Nullable(Float64)) ENGINE = MergeTree() ORDER BY id");
        ch.insertJsonEachRow("it_rows", String.join("\n",
                "{\"id\":\"a\",\"n\":1,\"at\":\"2024-01-02T03:04:05Z\",\"tags\":[\"x\",\"y\"],\"maybe\":null}",
                "{\"id\":\"b\",\"n\":9007199254740993,\"at\":\"2024-01-02 03:04:06\",\"tags\":[],\"maybe\":1.5}")
                .getBytes(StandardCharsets.UTF_8));
        Rows r = ch.query("SELECT id, n, at, tags, maybe FROM it_rows ORDER BY id", true);
        assertEquals(List.of("id", "n", "at", "tags", "maybe"), r.columns());
        assertEquals(List.of("String", "Int64", "DateTime", "Array(String)", "Nullable(Float64)"), r.types());
        assertEquals(2, r.size());
        assertEquals("9007199254740993", String.valueOf(r.get(1, "n")), "Int64 keeps its precision");
        assertEquals("2024-01-02 03:04:05", r.get(0, "at"));
        assertEquals(List.of("x", "y"), r.get(0, "tags"));
        assertEquals(null, r.get(0, "maybe"));
        assertEquals(1.5, r.get(1, "maybe"));
    }

    @Test
    void errorsCarryTheServerCodeAndAReadableMessage() {
        ClickHouseException e = assertThrows(ClickHouseException.class,
                () -> ch.query("SELECT * FROM local.no_such_table", false));
        assertEquals(60, e.code());
        assertTrue(e.getMessage().contains("no_such_table") && e.getMessage().contains("doesn't exist"),
                e.getMessage());
        e = assertThrows(ClickHouseException.class, () -> ch.execute("CREATE TABLE oops ("));
        assertEquals(62, e.code());
        assertTrue(!e.getMessage().contains("e.what()"), e.getMessage());
    }

    @Test
    void anUnreachableServerIsReportedAsSuch() {
        try (ClickHouse nowhere = new ClickHouse(new ClickHouseConfig("localhost", 1, 2, "local", "default", "",
                false))) {
            ClickHouseException e = assertThrows(ClickHouseException.class, nowhere::version);
            assertTrue(e.unreachable());
            assertEquals("ClickHouse does not answer at http://localhost:1 (connection refused)", e.getMessage());
        }
    }
}
