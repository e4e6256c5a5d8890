package dcm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
