package dcm.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.core.ColumnSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request body read in one pass over its bytes: its records found (one object, an array of objects, or objects
 * one after another), each checked and normalized by a {@link RawValidator} and keyed, without building a tree.
 * It takes a body only when every record is one the validator takes; any other body (valid or not) it leaves to
 * the tree ({@link #read} answers null), which decides and says why, so a body it takes produces the very records
 * the tree would.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class RawBody {
    private final String topic;
    private final Schema schema;
    private final RawValidator validator;
    /** {@code "name":} of each key column, in the schema's order. */
    private final byte[][] keyFields;

    private RawBody(String topic, Schema schema, RawValidator validator) {
        this.topic = topic;
        this.schema = schema;
        this.validator = validator;
        this.keyFields = schema.model().columns().stream().filter(ColumnSpec::key)
                .map(c -> ("\"" + c.name() + "\":").getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /** A reader for the schema's bodies, or null when its validator does not take the schema's column types. */
    public static RawBody forSchema(String topic, Schema schema) {
        RawValidator v = RawValidator.forSchema(schema);
        return v == null ? null : new RawBody(topic, schema, v);
    }

    /** The body's records as a batch, or null when the tree must decide. */
    public Batch read(byte[] b) {
        List<String> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        int to = b.length;
        int p = JsonBytes.skipSpace(b, 0, to);
        boolean array = p < to && b[p] == '[';
        boolean closed = !array;
        if (array) {
            p = JsonBytes.skipSpace(b, p + 1, to);
        }
        while (p < to && b[p] == '{') {
            int end = objectEnd(b, p, to);
            if (end < 0 || !add(b, p, end, keys, values)) {
                return null;
            }
            p = JsonBytes.skipSpace(b, end, to);
            if (array) {
                if (p < to && b[p] == ',') {
                    p = JsonBytes.skipSpace(b, p + 1, to);
                } else if (p < to && b[p] == ']') {
                    p = JsonBytes.skipSpace(b, p + 1, to);
                    closed = true;
                    break;
                } else {
                    return null;
                }
            }
        }
        // anything else (nothing at all, a value that is no object, text after an array, an array cut short after
        // a comma) is the tree's to judge
        return p == to && closed && !values.isEmpty() ? new Batch(topic, schema.fingerprintBytes(), keys, values) : null;
    }

    /**
     * Takes the record in {@code b[from, to)} when the validator does: adds its key and normalized value and
     * answers true; false (nothing added) when the tree must decide.
     */
    public boolean add(byte[] b, int from, int to, List<String> keys, List<byte[]> values) {
        int n = validator.normalize(b, from, to);
        if (n < 0) {
            return false;
        }
        byte[] value = validator.unchanged() ? Arrays.copyOfRange(b, from, to) : Arrays.copyOf(validator.out(), n);
        values.add(value);
        keys.add(keyFields.length == 0 ? null : key(value));
        return true;
    }

    /**
     * The record's key as {@link Schema#key} gives it: the key fields' text joined by {@code |}; read from the
     * normalized record (flat, no white space, fields in the schema's order) where its text is plain, else from its
     * tree.
     */
    private String key(byte[] r) {
        StringBuilder key = null;
        int next = 0;
        // p: the opening quote of a field's name
        for (int p = 1; p < r.length && r[p] == '"' && next < keyFields.length; ) {
            boolean wanted = at(r, p, keyFields[next]);
            int valueAt = p + 1 + nameLength(r, p + 1) + 2;
            int end = valueEnd(r, valueAt);
            if (wanted) {
                boolean quoted = r[valueAt] == '"';
                int from = quoted ? valueAt + 1 : valueAt;
                int until = quoted ? end - 1 : end;
                if (!plain(r, from, until, quoted)) {
                    return treeKey(r);
                }
                String text = new String(r, from, until - from, StandardCharsets.UTF_8);
                key = key == null ? new StringBuilder(text) : key.append('|').append(text);
                next++;
            }
            p = end + 1;
        }
        return key == null ? null : key.toString();
    }

    private static boolean at(byte[] r, int p, byte[] field) {
        return p + field.length <= r.length && Arrays.equals(r, p, p + field.length, field, 0, field.length);
    }

    /** The length of the name whose first byte is at {@code p} (names in a normalized record have no escapes). */
    private static int nameLength(byte[] r, int p) {
        int q = p;
        while (r[q] != '"') {
            q++;
        }
        return q - p;
    }

    /** Where the value starting at {@code p} ends (after its closing quote, or at the comma or brace after it). */
    private static int valueEnd(byte[] r, int p) {
        if (r[p] == '"') {
            int q = p + 1;
            while (r[q] != '"') {
                q += r[q] == '\\' ? 2 : 1;
            }
            return q + 1;
        }
        int q = p;
        while (r[q] != ',' && r[q] != '}') {
            q++;
        }
        return q;
    }

    /** Whether the value's text is what the tree's {@code asText} gives: a string without escapes, an integer. */
    private static boolean plain(byte[] r, int from, int to, boolean quoted) {
        for (int i = from; i < to; i++) {
            byte c = r[i];
            if (quoted ? c == '\\' : c == '.' || c == 'e' || c == 'E') {
                return false;
            }
        }
        return true;
    }

    private String treeKey(byte[] r) {
        try {
            return schema.key((ObjectNode) Records.JSON.readTree(r));
        } catch (IOException e) {
            throw new IllegalStateException("a normalized record did not read back: " + e.getMessage(), e);
        }
    }

    /** Where the object starting at {@code p} ends (after its closing brace), or -1 when it does not. */
    static int objectEnd(byte[] b, int p, int to) {
        int depth = 0;
        boolean string = false;
        for (int i = p; i < to; i++) {
            byte c = b[i];
            if (string) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    string = false;
                }
            } else if (c == '"') {
                string = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
