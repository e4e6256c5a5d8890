package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dcm.core.ColumnSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON-to-TSV rewrite of the sync's batches: what it writes, and every row it leaves to JSONEachRow. */
class TsvRowsTest {
    private static final List<ColumnSpec> COLUMNS = List.of(ColumnSpec.of("id", "String"),
            ColumnSpec.of("n", "Int64"), ColumnSpec.of("at", "DateTime"), ColumnSpec.of("note", "Nullable(String)"),
            ColumnSpec.of("tag", "LowCardinality(String)"), ColumnSpec.of("f", "Float64"));
    private static final String HEADER = "id\tn\tat\tnote\ttag\tf\n";

    private static RowBatch batch(String... rows) {
        RowBatch b = new RowBatch();
        for (String r : rows) {
            b.add(r.getBytes(StandardCharsets.UTF_8));
        }
        return b;
    }

    /** The rows as TSV, without the names line (checked here), or null. */
    private static String tsv(String... rows) throws IOException {
        return tsv(COLUMNS, rows);
    }

    private static String tsv(List<ColumnSpec> columns, String... rows) throws IOException {
        RowBatch out = TsvRows.forColumns(columns).convert(batch(rows));
        if (out == null) {
            return null;
        }
        String all = new String(out.stream(0, out.rows()).readAllBytes(), StandardCharsets.UTF_8);
        String header = String.join("\t", columns.stream().map(ColumnSpec::name).toList()) + "\n";
        assertEquals(header, all.substring(0, header.length()));
        return all.substring(header.length());
    }

    @Test
    void rowsAreWrittenInColumnOrderWhateverTheFieldOrder() throws IOException {
        assertEquals("a\t1\t2024-05-01 12:00:00\t\\N\tx\t1.5e3\nb\t-2\t2024-05-02 00:00:00\thi\ty\t0\n",
                tsv("{\"id\":\"a\",\"n\":1,\"at\":\"2024-05-01 12:00:00\",\"note\":null,\"tag\":\"x\",\"f\":1.5e3}",
                        " { \"f\" : 0 , \"tag\":\"y\",\"note\":\"hi\",\"at\":\"2024-05-02 00:00:00\",\"n\":-2,\"id\":\"b\"} "));
    }

    @Test
    void jsonEscapesAreDecodedAndWhatTsvSeparatesOnIsEscaped() throws IOException {
        // JSON \" \/ \\ \t \n \r \b \f \u00e9 \u20ac \u0000, and a raw tab, become what TSV reads back as the same
        String row = "{\"id\":\"q\\\"s\\/b\\\\t\\tn\\nr\\rb\\bf\\fe\\u00e9E\\u20ac0\\u0000raw\ttab\",\"n\":0,"
                + "\"at\":\"2024-05-01 00:00:00\",\"note\":\"\",\"tag\":\"\",\"f\":0}";
        assertEquals("q\"s/b\\\\t\\tn\\nr\\rb\\bf\\fe\u00e9E\u20ac0\\0raw\\ttab\t0\t2024-05-01 00:00:00\t\t\t0\n",
                tsv(row));
    }

    @Test
    void aRowThatJsonEachRowMightReadOtherwiseKeepsTheBatchJson() throws IOException {
        String ok = "{\"id\":\"a\",\"n\":1,\"at\":\"2024-05-01 00:00:00\",\"note\":null,\"tag\":\"x\",\"f\":1}";
        assertNotNull(tsv(ok));
        List<String> refused = List.of(
                ok.replace(",\"note\":null", ""),                         // a missing field (its default differs)
                ok.replace("}", ",\"extra\":1}"),                         // an unknown field
                ok.replace("}", ",\"n\":2}"),                             // a field twice
                ok.replace("\"n\":1", "\"n\":\"1\""),                     // a number given as a string
                ok.replace("\"id\":\"a\"", "\"id\":1"),                   // a string given as a number
                ok.replace("\"n\":1", "\"n\":null"),                      // null in a column that is not Nullable
                ok.replace("\"n\":1", "\"n\":true"),                      // a boolean
                ok.replace("\"n\":1", "\"n\":1-"),                        // not a JSON number (18.16's JSON
                ok.replace("\"n\":1", "\"n\":01"),                        // reads some of them its own way)
                ok.replace("\"n\":1", "\"n\":-"),
                ok.replace("\"f\":1", "\"f\":1."),
                ok.replace("\"f\":1", "\"f\":1e"),
                ok.replace("\"f\":1", "\"f\":.5"),
                ok.replace("\"f\":1", "\"f\":+1"),
                ok.replace("\"tag\":\"x\"", "\"tag\":[\"x\"]"),           // a nested value
                ok.replace("2024-05-01 00:00:00", "2024-05-01\\u0020"),   // an escape in a date
                ok.replace("\"id\":\"a\"", "\"id\":\"\\ud83d\\ude00\""),  // a surrogate pair
                ok.replace("\"id\":\"a\"", "\"i\\u0064\":\"a\""),         // an escaped key
                ok.substring(0, ok.length() - 1),                         // not closed
                ok + "x",                                                 // something after it
                "[1]", "");
        for (String row : refused) {
            assertNull(tsv(ok, row), row);
        }
    }

    @Test
    void datesUuidsAndEnumsGoAsTsvOnlyInTheirOneShape() throws IOException {
        List<ColumnSpec> cols = List.of(ColumnSpec.of("d", "Date"), ColumnSpec.of("t", "DateTime64(3)"),
                ColumnSpec.of("u", "UUID"), ColumnSpec.of("e", "Enum8('a' = 1, 'it\\'s' = 2)"));
        String ok = "{\"d\":\"2024-05-01\",\"t\":\"2024-05-01T12:00:00.123Z\","
                + "\"u\":\"123e4567-e89b-12d3-a456-426614174000\",\"e\":\"it's\"}";
        assertEquals("2024-05-01\t2024-05-01T12:00:00.123Z\t123e4567-e89b-12d3-a456-426614174000\tit's\n",
                tsv(cols, ok));
        assertNotNull(tsv(cols, ok.replace("12:00:00.123Z", "12:00:00")));
        assertNotNull(tsv(cols, ok.replace("T12:00:00.123Z", " 12:00:00Z")));
        for (String bad : List.of(
                ok.replace("2024-05-01T12:00:00.123Z", "1714564800"),  // digits only: 18.16 reads them two ways
                ok.replace("\"2024-05-01\"", "\"2024-5-1\""),
                ok.replace("12:00:00.123Z", "12:00:00."),
                ok.replace("12:00:00.123Z", "12:00:00+02:00"),
                ok.replace("123e4567-e89b", "123e4567+e89b"),
                ok.replace("\"it's\"", "\"2\""),                        // an enum's value, not its name
                ok.replace("\"it's\"", "\"b\""))) {
            assertNull(tsv(cols, bad), bad);
        }
    }

    @Test
    void everyByteTsvOrJsonTreatsSpeciallyIsFoundWhereverItIsInAString() throws IOException {
        // the scan reads eight bytes at a time: each special byte at each offset of a longer string
        List<ColumnSpec> cols = List.of(ColumnSpec.of("s", "String"));
        String[][] cases = {{"\\\"", "\""}, {"\\\\", "\\\\"}, {"\\n", "\\n"}, {"\t", "\\t"}, {"\u0001", "\u0001"},
                {"\u00e9", "\u00e9"}};
        for (String[] c : cases) {
            for (int at = 0; at <= 17; at++) {
                String json = "{\"s\":\"" + "x".repeat(at) + c[0] + "y".repeat(20 - at) + "\"}";
                assertEquals("x".repeat(at) + c[1] + "y".repeat(20 - at) + "\n", tsv(cols, json), json);
            }
        }
    }

    @Test
    void schemasWithColumnsItDoesNotRewriteStayJson() {
        assertNull(TsvRows.forColumns(List.of(ColumnSpec.of("id", "String"), ColumnSpec.of("xs", "Array(String)"))));
        assertNull(TsvRows.forColumns(List.of(ColumnSpec.of("d", "Decimal(10, 2)"))));
        assertNull(TsvRows.forColumns(List.of(ColumnSpec.of("b", "Bool"))));
        assertNull(TsvRows.forColumns(List.of(ColumnSpec.of("m", "Map(String, String)"))));
        assertNotNull(TsvRows.forColumns(List.of(ColumnSpec.of("u", "UUID"), ColumnSpec.of("d", "Date"),
                ColumnSpec.of("t", "DateTime64(3)"), ColumnSpec.of("e", "Enum8('a' = 1, 'b' = 2)"),
                ColumnSpec.of("s", "LowCardinality(Nullable(String))"), ColumnSpec.of("x", "FixedString(4)"),
                ColumnSpec.of("z", "Nullable(UInt8)"))));
    }

    @Test
    void aRowAcrossTwoChunksIsReadWhole() throws IOException {
        RowBatch json = new RowBatch(RowBatch.MIN_CHUNK * 4L);
        String pad = "p".repeat(1000);
        int rows = 3 * RowBatch.MIN_CHUNK / 1000;
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            json.add(("{\"id\":\"" + pad + i + "\",\"n\":" + i + ",\"at\":\"2024-05-01 00:00:00\",\"note\":null,"
                    + "\"tag\":\"t\",\"f\":0}").getBytes(StandardCharsets.UTF_8));
            expected.append(pad).append(i).append('\t').append(i).append("\t2024-05-01 00:00:00\t\\N\tt\t0\n");
        }
        RowBatch out = TsvRows.forColumns(COLUMNS).convert(json);
        assertEquals(HEADER + expected, new String(out.stream(0, out.rows()).readAllBytes(), StandardCharsets.UTF_8));
    }
}
