package dcm.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a request or file body: one JSON object, a JSON array of objects, or JSON lines. Strict where a lenient
 * reading would store something else than what was sent: a duplicate key is an error (not "the last one wins"),
 * and nesting is bounded (a record is flat or nearly so; a deep one is refused, never a stack overflow).
 */
public final class Records {
    /** How deep a record may nest (arrays of arrays of ...). */
    static final int MAX_DEPTH = 64;
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build());
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    /** One record of a file and the line it starts on, or why that record could not be read. */
    public record Entry(int line, JsonNode node, Schema.Problem problem) {}

    private Records() {}

    /** The records of a request body, in order; the first one that is not JSON fails the whole body. */
    public static List<JsonNode> read(InputStream in) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Entry e : document(in, 0)) {
            if (e.problem() != null) {
                throw new Schema.InvalidRecord(e.problem());
            }
            out.add(e.node());
        }
        return out;
    }

    /**
     * The records of a file, each with its line. JSON lines are read line by line, so a malformed line is one
     * problem at its own line and the lines after it are still read; an array or one object spanning lines is read
     * as one document.
     */
    public static List<Entry> entries(byte[] file) throws IOException {
        String text = new String(file, StandardCharsets.UTF_8);
        if (!jsonLines(text.lines().filter(l -> !l.isBlank()).findFirst().orElse(""))) {
            return document(new java.io.ByteArrayInputStream(file), 0);
        }
        List<Entry> out = new ArrayList<>();
        // each line's own bytes go to the parser: decoding the file first would turn bytes that are not UTF-8 into
        // U+FFFD and store that in place of what was sent; the parser refuses them, naming the line
        int n = 0;
        for (int start = 0; start < file.length; ) {
            int end = start;
            // line ends as BufferedReader.readLine has them: \n, \r or \r\n
            while (end < file.length && file[end] != '\n' && file[end] != '\r') {
                end++;
            }
            n++;
            int len = end - start;
            if (!blank(file, start, len)) {
                out.add(line(java.util.Arrays.copyOfRange(file, start, end), n, out.size()));
            }
            start = end + (end + 1 < file.length && file[end] == '\r' && file[end + 1] == '\n' ? 2 : 1);
        }
        return out;
    }

    /**
     * One non-blank line of a JSON-lines file, the {@code index}-th record, at line {@code lineNo} (1-based): its
     * record, or why it is not one.
     */
    public static Entry line(byte[] line, int lineNo, int index) throws IOException {
        List<Entry> one = document(new java.io.ByteArrayInputStream(line), lineNo - 1);
        Entry e = one.get(0);
        return one.size() == 1 || e.problem() != null ? new Entry(lineNo, e.node(), renumber(e.problem(), index))
                : new Entry(lineNo, null, new Schema.Problem(index, null, "more than one JSON value on one line"));
    }

    /**
     * Whether a file's first non-blank line says it is JSON lines: one whole object on it (even a bad one: it is
     * one reject, not the whole file); an array, or an object spread over lines, is one document.
     */
    public static boolean jsonLines(String firstNonBlankLine) {
        String first = firstNonBlankLine.strip();
        return !first.startsWith("[") && first.startsWith("{") && first.endsWith("}");
    }

    /** Whether the bytes are only white space (spaces, tabs). */
    private static boolean blank(byte[] b, int from, int len) {
        for (int i = from; i < from + len; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\f' && b[i] != 0x0b) {
                return false;
            }
        }
        return true;
    }

    private static Schema.Problem renumber(Schema.Problem p, int index) {
        return p == null ? null : new Schema.Problem(index, p.field(), p.reason());
    }

    /** Reads one document (object, array or a sequence of values); stops at the first malformed record. */
    private static List<Entry> document(InputStream in, int lineOffset) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(in)) {
            try {
                JsonToken first = p.nextToken();
                if (first == null) {
                    return out;
                }
                if (first == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        int line = lineOffset + p.currentTokenLocation().getLineNr();
                        out.add(new Entry(line, JSON.readTree(p), null));
                    }
                } else {
                    do {
                        int line = lineOffset + p.currentTokenLocation().getLineNr();
                        out.add(new Entry(line, JSON.readTree(p), null));
                    } while (p.nextToken() != null);
                }
            } catch (JsonProcessingException e) {
                out.add(new Entry(lineOffset + (e.getLocation() == null ? 0 : e.getLocation().getLineNr()), null,
                        problem(out.size(), e, lineOffset)));
            }
        }
        return out;
    }

    private static Schema.Problem problem(int index, JsonProcessingException e, int lineOffset) {
        String message = e.getOriginalMessage();
        Matcher dup = DUPLICATE.matcher(message);
        if (dup.find()) {
            return new Schema.Problem(index, dup.group(1), "appears twice in the record; each field once");
        }
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            return new Schema.Problem(index, null, "nested deeper than " + MAX_DEPTH + " levels");
        }
        String where = e.getLocation() == null ? "" : " at line " + (lineOffset + e.getLocation().getLineNr())
                + ", column " + e.getLocation().getColumnNr();
        return new Schema.Problem(index, null, "invalid JSON" + where + ": " + message.lines().findFirst()
                .orElse(message));
    }

    /** Splits one CSV line (RFC 4180 quoting; a quoted cell may not span lines). */
    public static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
