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

    private static RowBatch batch(String... rows) {
        RowBatch b = new RowBatch();
        for (String r : rows) {
            b.add(r.getBytes(StandardCharsets.UTF_8));
        }
        return b;
    }

    private static String tsv(String... rows) throws IOException {
        RowBatch out = TsvRows.forColumns(COLUMNS).convert(batch(rows));
        return out == null ? null : new String(out.stream(0, out.rows()).readAllBytes(), StandardCharsets.UTF_8);
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
        assertEquals(expected.toString(), new String(out.stream(0, out.rows()).readAllBytes(), StandardCharsets.UTF_8));
    }
}
