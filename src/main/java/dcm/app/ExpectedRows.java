package dcm.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.app.AppError.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mapping test's expected output: a JSON-lines file, one object per output row, in the sample's row order (the
 * rows the mapping drops are not in it). Rows compare field by field, whatever the order of the fields, each value
 * as text: {@code 5} equals {@code "5"} (ClickHouse writes 64-bit integers quoted), {@code null} only {@code null}.
 */
public final class ExpectedRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExpectedRows() {}

    /**
     * The comparison.
     *
     * @param equal whether every row is equal
     * @param diff  a unified-style diff: {@code @@ output row 3 @@}, {@code -expected}, {@code +actual}
     */
    public record Comparison(boolean equal, List<String> diff) {}

    /** The file's non-blank lines; an unreadable file or a line that is not a JSON object is an error at its line. */
    public static List<String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new AppError(Code.MAPPING_TEST, "cannot read the expected file " + file + ": " + e.getMessage(),
                    List.of(), "give a JSON-lines file of the output rows");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                if (!JSON.readTree(lines.get(i)).isObject()) {
                    throw new IOException("not a JSON object");
                }
            } catch (IOException e) {
                throw new AppError(Code.MAPPING_TEST, file.getFileName() + ":" + (i + 1) + ": " + e.getMessage()
                        .lines().findFirst().orElse(""), List.of(), "one JSON object per line, one line per output row");
            }
            out.add(lines.get(i).strip());
        }
        return out;
    }

    /** Compares the expected lines with the actual output lines, row by row. */
    public static Comparison compare(List<String> expected, List<String> actual) {
        List<String> diff = new ArrayList<>();
        int n = Math.max(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            String e = i < expected.size() ? expected.get(i) : null;
            String a = i < actual.size() ? actual.get(i) : null;
            if (e != null && a != null && normal(e).equals(normal(a))) {
                continue;
            }
            diff.add("@@ output row " + (i + 1) + " @@");
            if (e != null) {
                diff.add("-" + e);
            }
            if (a != null) {
                diff.add("+" + a);
            }
        }
        if (!diff.isEmpty()) {
            diff.add(0, "--- expected (" + expected.size() + " rows)");
            diff.add(1, "+++ actual (" + actual.size() + " rows)");
        }
        return new Comparison(diff.isEmpty(), diff);
    }

    private static Map<String, String> normal(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            Map<String, String> out = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                out.put(f.getKey(), v.isNull() ? "\u0000null" : v.isValueNode() ? v.asText() : v.toString());
            }
            return out;
        } catch (IOException e) {
            return Map.of("\u0000line", line);
        }
    }
}
