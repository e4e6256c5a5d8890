package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.clickhouse.ClickHouse;
import dcm.config.ClickHouseConfig;
import dcm.core.ColumnSpec;
import dcm.it.TestServers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sync's TSV rewrite stores exactly what JSONEachRow stores, in the real ClickHouse: the same rows (random
 * strings over all of Unicode and control characters, JSON escapes, extreme numbers, dates in several spellings,
 * nulls) inserted both ways into two tables of the same columns read back the same.
 */
class TsvRowsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<ColumnSpec> COLUMNS = List.of(ColumnSpec.of("k", "Int64"), ColumnSpec.of("s", "String"),
            ColumnSpec.of("i8", "Int8"), ColumnSpec.of("u64", "UInt64"), ColumnSpec.of("f32", "Float32"),
            ColumnSpec.of("f64", "Float64"), ColumnSpec.of("d", "Date"), ColumnSpec.of("t", "DateTime"),
            ColumnSpec.of("ns", "Nullable(String)"), ColumnSpec.of("ni", "Nullable(Int32)"),
            ColumnSpec.of("e", "Enum8('a' = 1, 'b\\'c' = 2)"), ColumnSpec.of("u", "UUID"),
            ColumnSpec.of("fx", "FixedString(4)"));
    private final TestServers servers = TestServers.get();
    private final String db = "tsv_" + Long.toString(System.nanoTime(), 36);
    private ClickHouse ch;

    @BeforeEach
    void setUp() {
        ClickHouseConfig c = servers.config().clickhouse();
        servers.clickhouse().execute("CREATE DATABASE `" + db + "`");
        ch = new ClickHouse(new ClickHouseConfig(c.host(), c.hostPort(), c.nativePort(), db, c.user(), c.password(),
                c.useSsl()));
        StringBuilder cols = new StringBuilder();
        for (ColumnSpec col : COLUMNS) {
            cols.append(cols.length() == 0 ? "" : ", ").append('`').append(col.name()).append("` ").append(col.type());
        }
        for (String t : List.of("viaJson", "viaTsv")) {
            ch.execute("CREATE TABLE `" + db + "`.`" + t + "` (" + cols + ") ENGINE = MergeTree ORDER BY k");
        }
    }

    @AfterEach
    void tearDown() {
        ch.close();
        servers.clickhouse().execute("DROP DATABASE IF EXISTS `" + db + "`");
    }

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(6);
            int cp = switch (kind) {
                case 0 -> r.nextInt(0x20);                      // control characters: tab, newline, NUL, ...
                case 1 -> "\\\"'/\t\n\r".charAt(r.nextInt(7));  // what either format escapes
                case 2 -> 0x80 + r.nextInt(0x780);              // two-byte UTF-8
                case 3 -> 0x10000 + r.nextInt(0x10000);         // outside the BMP (surrogates in Java)
                default -> 0x20 + r.nextInt(0x5f);              // printable ASCII
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static String row(int k, Random r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("k", k);
        o.put("s", randomString(r));
        o.put("i8", (byte) r.nextInt());
        o.put("u64", k % 3 == 0 ? new java.math.BigInteger("18446744073709551615") : java.math.BigInteger.valueOf(k));
        o.put("f32", List.of(0f, -1.5f, 3.4028235e38f, 1e-7f, r.nextFloat()).get(k % 5));
        o.put("f64", List.of(0.0, -0.0, 1.7976931348623157e308, 4.9e-324, r.nextDouble() * 1e6).get(k % 5));
        o.put("d", "2024-0" + (1 + k % 9) + "-1" + (k % 10));
        o.put("t", List.of("2024-05-01 12:00:00", "2024-05-01T12:34:56", "2024-05-01 23:59:59", "1970-01-02 00:00:00")
                .get(k % 4));
        if (k % 2 == 0) {
            o.putNull("ns");
            o.put("ni", k);
        } else {
            o.put("ns", randomString(r));
            o.putNull("ni");
        }
        o.put("e", k % 2 == 0 ? "a" : "b'c");
        o.put("u", new UUID(r.nextLong(), r.nextLong()).toString());
        o.put("fx", List.of("", "ab", "abcd", "\u00e9\u00e9").get(k % 4));
        return o.toString();
    }

    @Test
    void rowsInsertedAsTsvReadBackAsTheSameRowsInsertedAsJson() throws Exception {
        Random r = new Random(42);
        RowBatch json = new RowBatch();
        int rows = 3000;
        for (int k = 0; k < rows; k++) {
            json.add(row(k, r).getBytes(StandardCharsets.UTF_8));
        }
        // rows written by hand: escapes Jackson never writes, spaces between tokens, another field order
        json.add(("{\"k\":-1,\"s\":\"\\u00e9\\u20ac\\/\\b\\f\\u0000\\u0009x\",\"i8\":-128,\"u64\":0,\"f32\":1E3,"
                + "\"f64\":-2.5e-3,\"d\":\"2000-02-29\",\"t\":\"2000-02-29 00:00:00\",\"ns\":\"\\\"\",\"ni\":-2147483648,"
                + "\"e\":\"a\",\"u\":\"00000000-0000-0000-0000-000000000000\",\"fx\":\"\\u00e9\"}").getBytes(StandardCharsets.UTF_8));
        json.add((" { \"fx\" : \"x\" , \"u\":\"123e4567-e89b-12d3-a456-426614174000\",\"e\":\"b'c\",\"ni\":null,"
                + "\"ns\":null,\"t\":\"2030-01-01 00:00:00\",\"d\":\"2030-01-01\",\"f64\":1,\"f32\":-0,\"u64\":7,"
                + "\"i8\":127,\"s\":\"\",\"k\":-2 } ").getBytes(StandardCharsets.UTF_8));
        rows += 2;

        RowBatch tsv = TsvRows.forColumns(COLUMNS).convert(json);
        assertNotNull(tsv, "every row qualifies for TSV");
        ch.insertJsonEachRow("viaJson", json.stream(0, rows));
        ch.insertTabSeparatedWithNames("viaTsv", TsvRows.forColumns(COLUMNS).columns(), tsv.stream(0, tsv.rows()));

        String viaJson = ch.text("SELECT * FROM `viaJson` ORDER BY k FORMAT TabSeparated", true);
        String viaTsv = ch.text("SELECT * FROM `viaTsv` ORDER BY k FORMAT TabSeparated", true);
        assertEquals(rows, viaJson.split("\n").length);
        assertEquals(viaJson, viaTsv);
    }
}
