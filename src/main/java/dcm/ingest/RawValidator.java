package dcm.ingest;

import dcm.core.ColumnSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Validates a record's raw JSON bytes against a schema in one pass, and writes it as {@link Schema#validate} would
 * normalize it (fields in the schema's order, no white space, {@code null} for a missing Nullable field, a field
 * with a default left out when missing), without building a tree. It takes only what it can carry exactly: a flat
 * object whose every value is of its column's kind in the one spelling the tree's normalization would keep or make
 * (strings without escapes other than {@code \" \\ \n \r \t \b \f}, well-formed UTF-8; integers as plain digits in
 * range; timestamps as {@code yyyy-MM-ddTHH:mm:ssZ}, ...). Anything else, valid or not (a missing required field, a
 * number as a string, an unknown field, bad JSON), it leaves to the tree ({@link #normalize} answers -1), which
 * decides and says why; so the records it takes come out byte for byte as the tree would write them.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class RawValidator {
    /** Most columns: which ones a record holds is a bit set in one long. */
    private static final int MAX_COLUMNS = 64;

    private final RawValue[] columns;
    /** Room the names, nulls and millis take beyond a record's own bytes when written out. */
    private final int extra;
    /** Whether the last record checked was already normalized (then {@link #out()} was not written). */
    private boolean unchanged;
    private byte[] out = new byte[4096];

    private RawValidator(RawValue[] columns) {
        this.columns = columns;
        this.extra = Arrays.stream(columns).mapToInt(c -> c.prefix.length + 40).sum();
    }

    /** A validator for this schema, or null when a column's type is one it does not take (arrays, decimals, ...). */
    public static RawValidator forSchema(Schema schema) {
        List<ColumnSpec> specs = schema.model().columns();
        if (specs.isEmpty() || specs.size() > MAX_COLUMNS || schema.hasLaterChecks()) {
            return null;
        }
        RawValue[] columns = new RawValue[specs.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = RawValue.of(specs.get(i));
            if (columns[i] == null) {
                return null;
            }
        }
        return new RawValidator(columns);
    }

    /** The normalized record {@link #normalize} wrote last (its first bytes), unless it was {@link #unchanged()}. */
    public byte[] out() {
        return out;
    }

    /**
     * Whether the last record {@link #normalize} took was already in its normalized form: then it stands as it is,
     * and nothing was written to {@link #out()}.
     */
    public boolean unchanged() {
        return unchanged;
    }

    /**
     * Checks the record in {@code b[from, to)}; its normalized form's length in {@link #out()}, or -1 when the
     * tree must decide (the record may be valid or not).
     */
    public int normalize(byte[] b, int from, int to) {
        unchanged = false;
        // stays true while the record is spelled as the tree writes it: no white space, the fields in order
        boolean same = true;
        int p = from;
        if (p >= to || b[p] != '{') {
            p = JsonBytes.skipSpace(b, from, to);
            same = false;
            if (p >= to || b[p] != '{') {
                return -1;
            }
        }
        long seen = 0;
        int field = 0;
        int q = p + 1;
        p = JsonBytes.skipSpace(b, q, to);
        same &= p == q;
        if (p < to && b[p] == '}') {
            p++;
        } else {
            while (true) {
                if (p >= to || b[p] != '"') {
                    return -1;
                }
                p++;
                int column = field < columns.length && at(b, p, to, columns[field].key) ? field : column(b, p, to);
                if (column < 0 || (seen & (1L << column)) != 0) {
                    return -1;
                }
                same &= column == field;
                seen |= 1L << column;
                q = p + columns[column].key.length + 1;
                p = JsonBytes.skipSpace(b, q, to);
                same &= p == q;
                if (p >= to || b[p] != ':') {
                    return -1;
                }
                q = p + 1;
                p = JsonBytes.skipSpace(b, q, to);
                same &= p == q;
                p = columns[column].read(b, p, to);
                if (p < 0) {
                    return -1;
                }
                same &= !columns[column].rewritten(b);
                q = p;
                p = JsonBytes.skipSpace(b, q, to);
                same &= p == q;
                field++;
                if (p < to && b[p] == ',') {
                    q = p + 1;
                    p = JsonBytes.skipSpace(b, q, to);
                    same &= p == q;
                    continue;
                }
                if (p < to && b[p] == '}') {
                    p++;
                    break;
                }
                return -1;
            }
        }
        if (p != to) {
            same = false;
            if (JsonBytes.skipSpace(b, p, to) != to) {
                return -1;
            }
        }
        // every column is there, but those left out as the tree leaves them out (missing, with a default)
        for (int i = 0; i < columns.length && same; i++) {
            if ((seen & (1L << i)) == 0) {
                if (!columns[i].defaulted || columns[i].nullable) {
                    same = false;
                }
            }
        }
        if (same) {
            unchanged = true;
            return to - from;
        }
        return write(b, seen, to - from);
    }

    /** Whether {@code b} holds {@code key} and a closing quote at {@code p}. */
    private static boolean at(byte[] b, int p, int to, byte[] key) {
        int n = key.length;
        return p + n < to && b[p + n] == '"' && Arrays.equals(b, p, p + n, key, 0, n);
    }

    /** The column whose name (and closing quote) is at {@code p}, or -1. */
    private int column(byte[] b, int p, int to) {
        for (int i = 0; i < columns.length; i++) {
            if (at(b, p, to, columns[i].key)) {
                return i;
            }
        }
        return -1;
    }

    /** Writes the normalized record; -1 when a required field is missing (the tree says so). */
    private int write(byte[] b, long seen, int length) {
        // at most: the record, every name with its quotes, and a null or the millis for each column
        ensure(length + extra);
        int n = 0;
        out[n++] = '{';
        for (int i = 0; i < columns.length; i++) {
            boolean present = (seen & (1L << i)) != 0;
            if (!present && !columns[i].nullable) {
                if (columns[i].defaulted) {
                    continue;
                }
                return -1;
            }
            if (n > 1) {
                out[n++] = ',';
            }
            RawValue c = columns[i];
            System.arraycopy(c.prefix, 0, out, n, c.prefix.length);
            n += c.prefix.length;
            n = !present || c.isNull ? RawValue.writeNull(out, n) : c.write(b, out, n);
        }
        out[n++] = '}';
        return n;
    }

    private void ensure(int size) {
        if (size > out.length) {
            out = Arrays.copyOf(out, Math.max(size, out.length * 2));
        }
    }
}
