package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.ingest.Schema;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordValidatorTest {
    private static final Schema SCHEMA = new Schema(new ModelSpec("E", "1.0", List.of(
            new ColumnSpec("id", "String", true, null, null), ColumnSpec.of("n", "Int32"),
            ColumnSpec.of("at", "Nullable(DateTime)")), null, null, true, "t"));
    private static final Schema WITH_ARRAY = new Schema(new ModelSpec("A", "1.0", List.of(
            new ColumnSpec("id", "String", true, null, null), ColumnSpec.of("xs", "Array(Int32)")), null, null, true,
            "t"));

    private static RowBatch batch(List<String> rows, List<Boolean> trusted) {
        RowBatch b = new RowBatch();
        for (int i = 0; i < rows.size(); i++) {
            b.add(ByteBuffer.wrap(rows.get(i).getBytes(StandardCharsets.UTF_8)), trusted.get(i), 1, 100 + i);
        }
        return b;
    }

    private static List<String> rows(RowBatch b) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < b.rows(); i++) {
            out.add(new String(b.row(i), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void rowsThatStandAsTheyAreAreNotCopied() {
        RowBatch polled = batch(List.of("{\"id\":\"a\",\"n\":1,\"at\":null}", "{\"id\":\"b\",\"n\":2,\"at\":null}"),
                List.of(false, true));
        RecordValidator.Checked c = new RecordValidator("T", SCHEMA).check(polled);
        assertSame(polled, c.rows());
        assertEquals(List.of(), c.rejects());
    }

    @Test
    void normalizesOrRejectsAsTheIngestWould() {
        List<String> in = List.of(
                "{\"id\":\"ok\",\"n\":1,\"at\":null}",                 // stands as it is
                "{\"id\":\"own\"}",                                     // trusted: never checked
                " {\"n\":2, \"id\":\"loose\"}",                         // normalized in one pass
                "{\"id\":\"str\",\"n\":\"3\",\"at\":\"2024-05-01 12:00:00\"}", // normalized on the tree
                "{\"id\":\"bad\",\"n\":1.5}",
                "not json");
        RowBatch polled = batch(in, List.of(false, true, false, false, false, false));
        RecordValidator.Checked c = new RecordValidator("T", SCHEMA).check(polled);
        assertEquals(List.of("{\"id\":\"ok\",\"n\":1,\"at\":null}", "{\"id\":\"own\"}",
                "{\"id\":\"loose\",\"n\":2,\"at\":null}", "{\"id\":\"str\",\"n\":3,\"at\":\"2024-05-01T12:00:00Z\"}"),
                rows(c.rows()));
        assertEquals(2, c.rejects().size());
        assertEquals("field 'n': expected an integer (Int32), got 1.5 (from T/1@104)", c.rejects().get(0).reason());
        assertEquals("{\"id\":\"bad\",\"n\":1.5}", new String(c.rejects().get(0).value(), StandardCharsets.UTF_8));
        assertEquals(true, c.rejects().get(1).reason().startsWith("not JSON: "), c.rejects().get(1).reason());
        assertEquals(true, c.rejects().get(1).reason().endsWith(" (from T/1@105)"), c.rejects().get(1).reason());
    }

    @Test
    void aSchemaTheOnePassDoesNotTakeUsesTheTree() {
        RowBatch polled = batch(List.of("{\"id\":\"a\",\"xs\":[1, 2]}"), List.of(false));
        RecordValidator.Checked c = new RecordValidator("T", WITH_ARRAY).check(polled);
        assertEquals(List.of("{\"id\":\"a\",\"xs\":[1,2]}"), rows(c.rows()));
    }
}
