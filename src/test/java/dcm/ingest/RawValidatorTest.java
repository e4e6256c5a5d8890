package dcm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass validator against the tree it stands in for: whatever it takes, it must write byte for byte as
 * {@link Schema#validate} on Jackson's tree writes it (the sync validated foreign records that way), and it must take
 * the common spellings (else the sync gains nothing).
 */
class RawValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = new Schema(new ModelSpec("E", "1.0", List.of(
            new ColumnSpec("id", "String", true, null, null), ColumnSpec.of("n", "Int32"),
            ColumnSpec.of("u8", "UInt8"), ColumnSpec.of("big", "Int64"), ColumnSpec.of("f", "Float64"),
            ColumnSpec.of("f32", "Nullable(Float32)"), ColumnSpec.of("at", "DateTime"),
            ColumnSpec.of("at64", "DateTime64(3)"), ColumnSpec.of("day", "Date"), ColumnSpec.of("uid", "UUID"),
            ColumnSpec.of("kind", "Enum8('A' = 1, 'Bé' = 2)"), ColumnSpec.of("maybe", "Nullable(String)"),
            ColumnSpec.of("lc", "LowCardinality(String)"), ColumnSpec.of("ok", "Bool"),
            new ColumnSpec("country", "String", false, "'nl'", null)), null, null, true, "t"));

    /** The tree's normalized record, or null when it refuses the record. */
    private static String tree(String record) {
        try {
            JsonNode n = JSON.readTree(record.getBytes(StandardCharsets.UTF_8));
            return SCHEMA.validate(n, 0).toString();
        } catch (Exception e) {
            return null;
        }
    }

    /** The one-pass validator's normalized record, or null when it leaves the record to the tree. */
    private static String raw(RawValidator v, String record) {
        byte[] b = ("xx" + record + "yy").getBytes(StandardCharsets.UTF_8);
        int n = v.normalize(b, 2, b.length - 2);
        if (n >= 0 && v.unchanged()) {
            assertEquals(tree(record), record, "taken as already normalized");
            return record;
        }
        return n < 0 ? null : new String(v.out(), 0, n, StandardCharsets.UTF_8);
    }

    private static void same(RawValidator v, String record) {
        String fast = raw(v, record);
        if (fast != null) {
            assertEquals(tree(record), fast, record);
        }
    }

    private static final String GOOD = "{\"id\":\"a\",\"n\":5,\"u8\":255,\"big\":-9000000000,\"f\":1.5,\"f32\":null,"
            + "\"at\":\"2024-05-01T12:00:00Z\",\"at64\":\"2024-05-01T12:00:00.123Z\",\"day\":\"2024-02-29\","
            + "\"uid\":\"123e4567-e89b-12d3-a456-426614174000\",\"kind\":\"Bé\",\"maybe\":\"x\",\"lc\":\"y\",\"ok\":1,"
            + "\"country\":\"de\"}";

    @Test
    void takesTheCommonSpellingsAsTheTreeWritesThem() {
        RawValidator v = RawValidator.forSchema(SCHEMA);
        assertNotNull(v);
        assertEquals(tree(GOOD), raw(v, GOOD));
        assertEquals(GOOD, raw(v, GOOD), "already normalized: unchanged");
        // white space, another order, a missing Nullable and a missing field with a default, millis added
        String loose = " { \"n\" : 5 , \"id\":\"a\",\"u8\":0,\"big\":1,\"f\":2,\"at\":\"2024-05-01T12:00:00Z\","
                + "\"at64\":\"2024-05-01T12:00:00Z\",\"day\":\"2024-05-01\",\"uid\":\"123E4567-E89B-12D3-A456-426614174000\","
                + "\"kind\":\"A\",\"lc\":\"tab\\there \\\"q\\\" \\\\ é 😀\",\"ok\":0 }\n";
        assertNotNull(raw(v, loose));
        same(v, loose);
        String bench = "{\"id\":\"r1\",\"seq\":1,\"sentMs\":0,\"payload\":\"lorem ipsum dolor sit amet\"}";
        Schema narrow = new Schema(new ModelSpec("B", "1.0", List.of(new ColumnSpec("id", "String", true, null, null),
                ColumnSpec.of("seq", "Int64"), ColumnSpec.of("sentMs", "Int64"), ColumnSpec.of("payload", "String")),
                null, null, true, "t"));
        RawValidator b = RawValidator.forSchema(narrow);
        byte[] bytes = bench.getBytes(StandardCharsets.UTF_8);
        assertEquals(bytes.length, b.normalize(bytes, 0, bytes.length));
        assertTrue(b.unchanged());
    }

    @Test
    void leavesToTheTreeWhatItWouldWriteOtherwiseOrRefuse() {
        RawValidator v = RawValidator.forSchema(SCHEMA);
        List<String> others = List.of(
                GOOD.replace("\"n\":5", "\"n\":\"5\""),                 // a number as a string: converted
                GOOD.replace("\"n\":5", "\"n\":-0"),
                GOOD.replace("\"n\":5", "\"n\":5.0"),                   // refused
                GOOD.replace("\"n\":5", "\"n\":2147483648"),            // out of range
                GOOD.replace("\"u8\":255", "\"u8\":256"),
                GOOD.replace("\"ok\":1", "\"ok\":true"),                // converted to 1
                GOOD.replace("\"id\":\"a\",", ""),                      // required
                GOOD.replace("\"id\":\"a\"", "\"id\":null"),
                GOOD.replace("\"id\":\"a\"", "\"id\":\"a\\/b\""),       // written back without the escape
                GOOD.replace("\"id\":\"a\"", "\"id\":\"\\u0041\""),
                GOOD.replace("\"id\":\"a\"", "\"id\":\"a\",\"id\":\"b\""), // the last one wins in the tree
                GOOD.replace("\"id\":\"a\"", "\"id\":\"a\",\"zz\":1"),  // unknown
                GOOD.replace("2024-02-29", "2023-02-29"),
                GOOD.replace("2024-02-29", "2024-02-29T10:00:00Z"),     // cut to the date
                GOOD.replace("\"at\":\"2024-05-01T12:00:00Z\"", "\"at\":\"2024-05-01 12:00:00\""),
                GOOD.replace("\"at\":\"2024-05-01T12:00:00Z\"", "\"at\":1714521600"),
                GOOD.replace("\"at\":\"2024-05-01T12:00:00Z\"", "\"at\":\"2024-05-01T12:00:00+02:00\""),
                GOOD.replace("\"at\":\"2024-05-01T12:00:00Z\"", "\"at\":\"0000-05-01T12:00:00Z\""),
                GOOD.replace("\"at\":\"2024-05-01T12:00:00Z\"", "\"at\":\"2024-05-01T24:00:00Z\""),
                GOOD.replace("\"kind\":\"Bé\"", "\"kind\":\"C\""),
                GOOD.replace("\"f\":1.5", "\"f\":1e400"),
                GOOD.replace("\"f32\":null", "\"f32\":1e39"),
                GOOD + " trailing",
                GOOD.substring(0, GOOD.length() - 1),
                "[" + GOOD + "]", "", "null", "{\"id\":\"a\u0001\"}", "\uFEFF" + GOOD);
        for (String r : others) {
            assertNull(raw(v, r), r);
        }
    }

    @Test
    void numbersAreWrittenAsTheTreeWritesThem() {
        RawValidator v = RawValidator.forSchema(SCHEMA);
        for (String f : List.of("0", "-1", "1.0", "1.50", "100.0", "1e7", "1E+2", "-2.5e-3", "0.1", "123456789012345678",
                "3.141592653589793238", "1e-320", "9007199254740993.0", "0.30000000000000004")) {
            String r = GOOD.replace("\"f\":1.5", "\"f\":" + f).replace("\"f32\":null", "\"f32\":" + f);
            assertNotNull(raw(v, r), r);
            same(v, r);
        }
    }

    @Test
    void columnTypesItDoesNotTakeLeaveTheSchemaToTheTree() {
        assertNull(RawValidator.forSchema(new Schema(new ModelSpec("A", "1.0", List.of(ColumnSpec.of("xs",
                "Array(String)")), null, null, true, "t"))));
        assertNull(RawValidator.forSchema(new Schema(new ModelSpec("D", "1.0", List.of(ColumnSpec.of("d",
                "Decimal(10, 2)")), null, null, true, "t"))));
    }

    /** Random records, mostly near the valid ones: whatever the validator takes, the tree writes the same. */
    @Test
    void agreesWithTheTreeOnRandomRecords() {
        RawValidator v = RawValidator.forSchema(SCHEMA);
        Random rnd = new Random(42);
        String[][] values = {
                {"\"a\"", "\"\"", "\"é😀\"", "\"\\n\\t\\\"\"", "\"\\u00e9\"", "1", "null", "\"\\b\\f\\r\\\\\""},
                {"5", "-5", "0", "-0", "2147483647", "-2147483648", "2147483648", "\"5\"", "5.5", "1e2", "null"},
                {"0", "255", "256", "-1", "true", "null"},
                {"1", "-9223372036854775808", "123456789012345678", "1234567890123456789", "1.0"},
                {"1.5", "2", "-0.0", "1e308", "1e309", "\"1.5\"", "1.", ".5", "01", "null"},
                {"null", "1.5", "3.5e38", "1e-50", "7"},
                {"\"2024-05-01T12:00:00Z\"", "\"2024-13-01T12:00:00Z\"", "\"2024-05-01T12:00:60Z\"",
                        "\"0001-01-01T00:00:00Z\"", "\"2024-05-01T12:00:00.5Z\"", "1714521600"},
                {"\"2024-05-01T12:00:00.123Z\"", "\"2024-05-01T12:00:00Z\"", "\"2024-05-01T12:00:00.1234Z\""},
                {"\"2024-05-01\"", "\"2024-04-31\"", "\"0000-01-01\"", "\"2024-5-1\"", "\"2024-05-01 \""},
                {"\"123e4567-e89b-12d3-a456-426614174000\"", "\"123e4567e89b12d3a456426614174000\"",
                        "\"g23e4567-e89b-12d3-a456-426614174000\""},
                {"\"A\"", "\"Bé\"", "\"B\\u00e9\"", "\"a\"", "1"},
                {"\"x\"", "null", "5"},
                {"\"y\"", "\"\\u2028\""},
                {"0", "1", "2", "true", "false"},
                {"\"de\"", "null"}};
        List<String> names = SCHEMA.fieldNames();
        int taken = 0;
        for (int round = 0; round < 50_000; round++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (rnd.nextInt(12) != 0) {
                    order.add(i);
                }
            }
            if (rnd.nextInt(4) == 0) {
                Collections.shuffle(order, rnd);
            }
            StringBuilder sb = new StringBuilder(rnd.nextInt(8) == 0 ? " {" : "{");
            for (int k = 0; k < order.size(); k++) {
                int i = order.get(k);
                String[] pool = values[i];
                String value = rnd.nextInt(10) == 0 ? pool[rnd.nextInt(pool.length)] : pool[0];
                sb.append(k == 0 ? "" : rnd.nextInt(10) == 0 ? " , " : ",").append('"').append(names.get(i))
                        .append(rnd.nextInt(10) == 0 ? "\" :" : rnd.nextInt(10) == 0 ? "\": " : "\":").append(value);
            }
            sb.append(rnd.nextInt(8) == 0 ? "}\t" : "}");
            String r = sb.toString();
            if (raw(v, r) != null) {
                taken++;
            }
            same(v, r);
        }
        assertTrue(taken > 5_000, "taken: " + taken);
    }
}
