package dcm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Schema schema = new Schema(new ModelSpec("E", "1.0", List.of(
            new ColumnSpec("id", "String", true, null, null), ColumnSpec.of("n", "Int32"),
            ColumnSpec.of("at", "DateTime"), ColumnSpec.of("ok", "UInt8"), ColumnSpec.of("kind", "Enum8('A' = 1, 'B' = 2)"),
            ColumnSpec.of("tags", "Array(String)"), ColumnSpec.of("maybe", "Nullable(Float64)"),
            new ColumnSpec("country", "LowCardinality(String)", false, "'nl'", null)), null, null, true, "t"));

    private String ok(String json) throws Exception {
        return schema.validate(JSON.readTree(json), 0).toString();
    }

    private Schema.Problem bad(String json) {
        return assertThrows(Schema.InvalidRecord.class, () -> schema.validate(JSON.readTree(json), 3)).problem();
    }

    @Test
    void validRecordsAreNormalizedForClickHouse() throws Exception {
        assertEquals("{\"id\":\"a\",\"n\":5,\"at\":\"2024-05-01T12:00:00Z\",\"ok\":1,\"kind\":\"A\",\"tags\":[\"x\"],"
                + "\"maybe\":null}", ok("{\"id\":\"a\",\"n\":5,\"at\":\"2024-05-01T14:00:00+02:00\",\"ok\":true,"
                + "\"kind\":\"A\",\"tags\":[\"x\"]}"));
        assertEquals("2024-05-01T00:00:00Z", JSON.readTree(ok("{\"id\":\"a\",\"n\":5,\"at\":1714521600,\"ok\":0,"
                + "\"kind\":\"B\",\"tags\":[],\"maybe\":1.5,\"country\":\"de\"}")).get("at").asText());
    }

    @Test
    void enumNamesWithAQuoteAreReadAsClickHouseHasThem() throws Exception {
        Schema quoted = new Schema(new ModelSpec("Q", "1.0", List.of(new ColumnSpec("id", "String", true, null, null),
                ColumnSpec.of("e", "Enum8('it\\'s' = 1, 'a\\\\b' = 2)")), null, null, true, "t"));
        assertEquals("{\"id\":\"x\",\"e\":\"it's\"}", quoted.validate(JSON.readTree("{\"id\":\"x\",\"e\":\"it's\"}"), 0)
                .toString());
        assertEquals("a\\b", quoted.validate(JSON.readTree("{\"id\":\"x\",\"e\":\"a\\\\b\"}"), 0).get("e").asText());
        assertThrows(Schema.InvalidRecord.class, () -> quoted.validate(JSON.readTree("{\"id\":\"x\",\"e\":\"it\\\\'s\"}"), 0));
    }

    @Test
    void problemsNameRecordFieldAndReason() {
        Schema.Problem p = bad("{\"id\":\"a\",\"n\":\"five\",\"at\":0,\"ok\":1,\"kind\":\"A\",\"tags\":[]}");
        assertEquals("record 3, field 'n': expected an integer (Int32), got \"five\"", p.message());
        assertEquals("record 3, field 'n': 3000000000 is out of range for Int32 (-2147483648 to 2147483647)",
                bad("{\"id\":\"a\",\"n\":3000000000,\"at\":0,\"ok\":1,\"kind\":\"A\",\"tags\":[]}").message());
        assertEquals("record 3, field 'id': missing (required String)",
                bad("{\"n\":1,\"at\":0,\"ok\":1,\"kind\":\"A\",\"tags\":[]}").message());
        assertEquals("record 3, field 'extra': unknown field; the schema of E@1.0 has [id, n, at, ok, kind, tags, maybe,"
                + " country]", bad("{\"id\":\"a\",\"extra\":1}").message());
        assertEquals("record 3, field 'kind': expected one of [A, B], got \"C\"",
                bad("{\"id\":\"a\",\"n\":1,\"at\":0,\"ok\":1,\"kind\":\"C\",\"tags\":[]}").message());
        assertEquals("record 3, field 'tags': element 1: expected a string, got 2",
                bad("{\"id\":\"a\",\"n\":1,\"at\":0,\"ok\":1,\"kind\":\"A\",\"tags\":[\"x\",2]}").message());
    }

    @Test
    void bodiesAreObjectsArraysOrJsonLines() throws Exception {
        assertEquals(1, Records.read(in("{\"a\":1}")).size());
        assertEquals(2, Records.read(in("[{\"a\":1},{\"a\":2}]")).size());
        assertEquals(3, Records.read(in("{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n")).size());
        Schema.InvalidRecord e = assertThrows(Schema.InvalidRecord.class, () -> Records.read(in("{\"a\":1}\n{\"a\":")));
        assertEquals(1, e.problem().record());
    }

    @Test
    void csvCellsAreTypedByTheSchema() {
        var r = schema.validateCsv(List.of("id", "n", "at", "ok", "kind", "tags"),
                Records.csv("\"a, b\",7,2024-05-01 10:00:00,true,B,\"[\"\"x\"\"]\""), 0);
        assertEquals("{\"id\":\"a, b\",\"n\":7,\"at\":\"2024-05-01T10:00:00Z\",\"ok\":1,\"kind\":\"B\",\"tags\":[\"x\"],"
                + "\"maybe\":null}", r.toString());
    }

    @Test
    void whatCannotBeStoredFaithfullyIsRefusedWithRecordAndField() throws Exception {
        String base = "{\"id\":\"a\",\"n\":1,\"at\":0,\"ok\":1,\"kind\":\"A\",\"tags\":[],\"maybe\":";
        assertEquals("record 3, field 'maybe': a number beyond the range of Float64 (it would be stored as inf)",
                bad(base + "1e400}").message());
        assertEquals("record 3, field 'maybe': \"4e38\" beyond the range of Float64 (it would be stored as inf)"
                .replace("4e38", "1e999"), bad(base + "\"1e999\"}").message());
        assertTrue(bad(base + "\"NaN\"}").message().startsWith("record 3, field 'maybe': expected a number"));
        assertTrue(bad(base + "\"-Infinity\"}").message().startsWith("record 3, field 'maybe': expected a number"));
        assertEquals("{\"id\":\"a\",\"n\":1,\"at\":\"1970-01-01T00:00:00Z\",\"ok\":1,\"kind\":\"A\",\"tags\":[],"
                + "\"maybe\":\"2.5\"}".replace("\"2.5\"", "2.5"), ok(base + "\"2.5\"}"));
        assertEquals("record 3, field 'n': expected an integer (Int32), got an empty string",
                bad("{\"id\":\"a\",\"n\":\"\",\"at\":0,\"ok\":1,\"kind\":\"A\",\"tags\":[]}").message());
        Schema.InvalidRecord dup = assertThrows(Schema.InvalidRecord.class,
                () -> Records.read(in("{\"a\":1}\n{\"n\":1,\"n\":2}")));
        assertEquals("record 1, field 'n': appears twice in the record; each field once", dup.getMessage());
        String deep = "[".repeat(1200) + "]".repeat(1200);
        Schema.InvalidRecord nested = assertThrows(Schema.InvalidRecord.class,
                () -> Records.read(in("{\"a\":" + deep + "}")));
        assertEquals("record 0: nested deeper than 64 levels", nested.getMessage());
        assertTrue(Records.read(in("  \n ")).isEmpty());
    }

    @Test
    void timestampsOutsideWhatTheColumnHoldsAreRefusedNotWrapped() {
        String base = "{\"id\":\"a\",\"n\":1,\"ok\":1,\"kind\":\"A\",\"tags\":[],\"at\":";
        assertTrue(bad(base + "9223372036854775807}").message().startsWith("record 3, field 'at': expected a timestamp"));
        assertTrue(bad(base + "18446744073709551617}").message().startsWith("record 3, field 'at': expected a timestamp"));
        assertTrue(bad(base + "1714564800000}").message().contains("is out of range for DateTime (1970-01-01T00:00 to"
                + " 2106-02-07T06:28:15 UTC)"), bad(base + "1714564800000}").message());
        assertTrue(bad(base + "\"2200-01-01T00:00:00Z\"}").message().contains("is out of range for DateTime"));
    }

    @Test
    void aMalformedJsonLineIsOneProblemAtItsLineAndTheNextLinesAreRead() throws Exception {
        List<Records.Entry> e = Records.entries("{\"a\":1}\n\n{\"a\":\n{\"a\":3}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(3, e.size());
        assertEquals(List.of(1, 3, 4), e.stream().map(Records.Entry::line).toList());
        assertTrue(e.get(1).problem().message().startsWith("record 1: invalid JSON at line 3"), e.get(1).problem()
                .message());
        assertEquals(3, e.get(2).node().get("a").asInt());
        List<Records.Entry> firstBad = Records.entries("{\"a\":1,\"a\":2}\n{\"a\":3}\n{\"a\":4}\n"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(3, firstBad.size(), "a bad first line is one reject, the others are read");
        assertEquals("a", firstBad.get(0).problem().field());
        List<Records.Entry> array = Records.entries("[\n {\"a\":1},\n {\"a\":2}\n]".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(2, 3), array.stream().map(Records.Entry::line).toList());
    }

    @Test
    void aJsonLineThatIsNotUtf8IsRefusedAtItsLineNotStoredAsReplacementCharacters() throws Exception {
        byte[] file = "{\"a\":\"ok\"}\r\n{\"a\":\"x?\"}\n{\"a\":\"\u00e9\"}\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '?') {
                file[i] = (byte) 0xff;
            }
        }
        List<Records.Entry> e = Records.entries(file);
        assertEquals(List.of(1, 2, 3), e.stream().map(Records.Entry::line).toList());
        assertEquals("ok", e.get(0).node().get("a").asText());
        assertTrue(e.get(1).problem().message().contains("Invalid UTF-8"), e.get(1).problem().message());
        assertEquals("\u00e9", e.get(2).node().get("a").asText(), "valid UTF-8 is read as it is");
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
