package dcm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.TopicSpec;
import dcm.ingest.Schema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipelined reading of a JSON-lines file against the whole-file reading it stands in for: the same records
 * (normalized values and keys, in order), the same rejects (line, record number, reason) and the same record count,
 * whatever the block size, the line ends (LF, CR LF, a lone CR), blank lines, malformed or invalid lines.
 */
class JsonLinesIngestTest {
    private static final ModelSpec MODEL = new ModelSpec("E", "1.0", List.of(
            new ColumnSpec("id", "String", true, null, null), ColumnSpec.of("n", "Int32"),
            ColumnSpec.of("f", "Float64"), ColumnSpec.of("maybe", "Nullable(String)"),
            new ColumnSpec("country", "String", false, "'nl'", null)), null,
            new TopicSpec("e", 1, 1000L, dcm.core.LifeCycle.FULLY_MANAGED), true, "t");
    private static final Schema SCHEMA = new Schema(MODEL);

    @TempDir
    Path dir;

    private static final String[] LINES = {
        "{\"id\":\"a%d\",\"n\":%d,\"f\":1.5,\"maybe\":null,\"country\":\"de\"}",
        "{\"id\":\"b%d\",\"n\":%d,\"f\":2,\"maybe\":\"x\"}",
        "  { \"n\" : %2$d , \"id\" : \"c%1$d\", \"f\": 0.25 }  ",
        "{\"id\":\"d%d\",\"n\":\"%d\",\"f\":1}",
        "{\"id\":\"e%d\",\"n\":%d,\"f\":1,\"extra\":1}",
        "{\"id\":\"f%d\",\"n\":%d,",
        "{\"id\":\"g%d\",\"n\":%d,\"f\":1} {\"id\":\"x\"}",
        "",
        "   ",
        "{\"id\":\"h\\u00e9%d\",\"n\":%d,\"f\":1e3}",
        "{\"id\":\"i\u00e9\u4e2d%d\",\"n\":%d,\"f\":-0.0}",
        "{\"id\":\"j%d\",\"n\":%d,\"f\":1,\"id\":\"dup\"}",
        "[1, %d, %d]",
        "{\"id\":\"k\\\"q%d\",\"n\":%d,\"f\":3}",
    };

    @Test
    void readsAsTheWholeFileReadingDoesWhateverTheBlocks() throws Exception {
        Random random = new Random(7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] ends = {"\n", "\r\n", "\r"};
        for (int i = 0; i < 3_000; i++) {
            String line = String.format(LINES[random.nextInt(LINES.length)], i, i);
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            if (i % 997 == 5) {
                out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe});
            }
            out.writeBytes(ends[random.nextInt(10) == 0 ? 1 + random.nextInt(2) : 0].getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("{\"id\":\"last\",\"n\":1,\"f\":1}".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("e.jsonl");
        Files.write(file, out.toByteArray());

        List<ObjectNode> valid = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        int total = FileIngest.read(file, SCHEMA, valid, rejected);
        assertTrue(valid.size() > 1_000 && rejected.size() > 1_000, valid.size() + " valid, " + rejected.size());

        for (int blockLines : new int[] {1, 7, 1_000, 10_000}) {
            List<String> values = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            List<String> rejects = new ArrayList<>();
            int records = 0;
            try (JsonLinesIngest in = new JsonLinesIngest(file, "e", SCHEMA, blockLines)) {
                JsonLinesIngest.Checked c;
                while ((c = in.next()) != null) {
                    rejects.addAll(c.rejected(records));
                    records += c.records();
                    for (int i = 0; i < c.batch().size(); i++) {
                        values.add(new String(c.batch().value(i), StandardCharsets.UTF_8));
                        keys.add(c.batch().key(i));
                    }
                }
            }
            assertEquals(total, records, "records, blocks of " + blockLines);
            assertEquals(rejected, rejects, "rejects, blocks of " + blockLines);
            assertEquals(valid.stream().map(ObjectNode::toString).toList(), values, "values, blocks of " + blockLines);
            assertEquals(valid.stream().map(SCHEMA::key).toList(), keys, "keys, blocks of " + blockLines);
        }
    }

    @Test
    void countsTheLinesOfAFile() throws Exception {
        Path file = dir.resolve("n.jsonl");
        Files.writeString(file, "{}\n{}\n{}");
        assertEquals(3, JsonLinesIngest.lines(file));
        Files.writeString(file, "{}\n{}\n");
        assertEquals(2, JsonLinesIngest.lines(file));
    }
}
