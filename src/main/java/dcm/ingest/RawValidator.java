package dcm.ingest;

import dcm.core.ColumnSpec;
import java.nio.charset.StandardCharsets;
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
    private enum Kind { STRING, UUID, INT, FLOAT, DATE, DATETIME, DATETIME64, ENUM }

    /** Most columns: which ones a record holds is a bit set in one long. */
    private static final int MAX_COLUMNS = 64;
    /** Longest number token taken (the tree refuses numbers of over 1,000 characters). */
    private static final int MAX_NUMBER = 100;
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final byte[][] keys;
    /** Per column: {@code "name":}, as written. */
    private final byte[][] prefixes;
    private final Kind[] kinds;
    private final boolean[] nullable;
    private final boolean[] defaulted;
    private final long[] min;
    private final long[] max;
    private final boolean[] float32;
    private final byte[][][] enumNames;
    // per record: where each column's value is, and whether it is null
    private final int[] start;
    private final int[] end;
    private final boolean[] isNull;
    /** Room the names, nulls and millis take beyond a record's own bytes when written out. */
    private final int extra;
    /** Whether the last record checked was already normalized (then {@link #out()} was not written). */
    private boolean unchanged;
    private byte[] out = new byte[4096];

    private RawValidator(List<ColumnSpec> columns, Kind[] kinds, FieldType[] types) {
        int n = columns.size();
        this.kinds = kinds;
        keys = new byte[n][];
        prefixes = new byte[n][];
        nullable = new boolean[n];
        defaulted = new boolean[n];
        min = new long[n];
        max = new long[n];
        float32 = new boolean[n];
        enumNames = new byte[n][][];
        for (int i = 0; i < n; i++) {
            ColumnSpec c = columns.get(i);
            keys[i] = c.name().getBytes(StandardCharsets.UTF_8);
            prefixes[i] = ("\"" + c.name() + "\":").getBytes(StandardCharsets.UTF_8);
            nullable[i] = types[i].nullable();
            defaulted[i] = c.defaultExpr() != null;
            FieldType t = types[i] instanceof FieldType.NullableType nt ? nt.inner : types[i];
            if (t instanceof FieldType.IntType it) {
                // numbers of up to 18 digits are taken: a long holds them, and the bounds beyond it do not matter
                min[i] = it.min.max(java.math.BigInteger.valueOf(Long.MIN_VALUE)).longValue();
                max[i] = it.max.min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
            } else if (t instanceof FieldType.FloatType ft) {
                float32[i] = ft.name.equals("Float32");
            } else if (t instanceof FieldType.EnumType et) {
                enumNames[i] = et.values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            }
        }
        start = new int[n];
        end = new int[n];
        isNull = new boolean[n];
        extra = 40 * n + Arrays.stream(prefixes).mapToInt(k -> k.length).sum();
    }

    /** A validator for this schema, or null when a column's type is one it does not take (arrays, decimals, ...). */
    public static RawValidator forSchema(Schema schema) {
        List<ColumnSpec> columns = schema.model().columns();
        if (columns.isEmpty() || columns.size() > MAX_COLUMNS) {
            return null;
        }
        Kind[] kinds = new Kind[columns.size()];
        FieldType[] types = new FieldType[columns.size()];
        for (int i = 0; i < kinds.length; i++) {
            String name = columns.get(i).name();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return null;
            }
            types[i] = FieldType.parse(columns.get(i).type());
            FieldType t = types[i] instanceof FieldType.NullableType nt ? nt.inner : types[i];
            kinds[i] = t instanceof FieldType.StringType ? Kind.STRING
                    : t instanceof FieldType.UuidType ? Kind.UUID
                    : t instanceof FieldType.IntType ? Kind.INT
                    : t instanceof FieldType.FloatType ? Kind.FLOAT
                    : t instanceof FieldType.DateType ? Kind.DATE
                    : t instanceof FieldType.DateTimeType dt ? (dt.millis ? Kind.DATETIME64 : Kind.DATETIME)
                    : t instanceof FieldType.EnumType ? Kind.ENUM : null;
            if (kinds[i] == null) {
                return null;
            }
        }
        return new RawValidator(columns, kinds, types);
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
                int column = field < keys.length && at(b, p, to, keys[field]) ? field : column(b, p, to);
                if (column < 0 || (seen & (1L << column)) != 0) {
                    return -1;
                }
                same &= column == field;
                seen |= 1L << column;
                q = p + keys[column].length + 1;
                p = JsonBytes.skipSpace(b, q, to);
                same &= p == q;
                if (p >= to || b[p] != ':') {
                    return -1;
                }
                q = p + 1;
                p = JsonBytes.skipSpace(b, q, to);
                same &= p == q;
                p = value(b, p, to, column);
                if (p < 0) {
                    return -1;
                }
                same &= !rewritten(b, column);
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
        for (int i = 0; i < keys.length && same; i++) {
            if ((seen & (1L << i)) == 0) {
                if (!defaulted[i] || nullable[i]) {
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

    /** Whether a column's value (read last) is written otherwise than it was spelled. */
    private boolean rewritten(byte[] b, int column) {
        if (isNull[column]) {
            return false;
        }
        int s = start[column];
        int e = end[column];
        return switch (kinds[column]) {
            case FLOAT -> JsonBytes.digits(b, b[s] == '-' ? s + 1 : s, e) != e;
            case DATETIME64 -> e - s == 20;
            default -> false;
        };
    }

    /** Whether {@code b} holds {@code key} and a closing quote at {@code p}. */
    private static boolean at(byte[] b, int p, int to, byte[] key) {
        int n = key.length;
        return p + n < to && b[p + n] == '"' && Arrays.equals(b, p, p + n, key, 0, n);
    }

    /** The column whose name (and closing quote) is at {@code p}, or -1. */
    private int column(byte[] b, int p, int to) {
        for (int i = 0; i < keys.length; i++) {
            if (at(b, p, to, keys[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Reads a column's value at {@code p}; where it ends, or -1 when the tree must decide. */
    private int value(byte[] b, int p, int to, int column) {
        if (p >= to) {
            return -1;
        }
        byte c = b[p];
        isNull[column] = false;
        if (c == 'n') {
            if (!nullable[column] || p + 4 > to || b[p + 1] != 'u' || b[p + 2] != 'l' || b[p + 3] != 'l') {
                return -1;
            }
            isNull[column] = true;
            return p + 4;
        }
        Kind kind = kinds[column];
        if (c == '"') {
            int s = p + 1;
            int e = string(b, s, to, kind == Kind.STRING, kind == Kind.STRING || kind == Kind.ENUM);
            if (e < 0 || !shaped(kind, column, b, s, e)) {
                return -1;
            }
            start[column] = s;
            end[column] = e;
            return e + 1;
        }
        if (kind != Kind.INT && kind != Kind.FLOAT) {
            return -1;
        }
        int e = JsonBytes.number(b, p, to);
        if (e < 0 || e - p > MAX_NUMBER || !numberFits(column, b, p, e)) {
            return -1;
        }
        start[column] = p;
        end[column] = e;
        return e;
    }

    /**
     * Where the string whose content starts at {@code p} ends (its closing quote), or -1: an escape the tree would
     * write otherwise (or, without {@code escapes}, any), a raw control character, a byte above 0x7F that is not
     * well-formed UTF-8 (or, without {@code utf8}, any).
     */
    private static int string(byte[] b, int p, int to, boolean escapes, boolean utf8) {
        while (true) {
            p = JsonBytes.plainRun(b, p, to, true);
            if (p >= to) {
                return -1;
            }
            int x = b[p] & 0xff;
            if (x == '"') {
                return p;
            }
            if (x == '\\') {
                if (!escapes || p + 1 >= to || "\"\\nrtbf".indexOf(b[p + 1]) < 0) {
                    return -1;
                }
                p += 2;
            } else if (x < 0x20) {
                return -1;
            } else if (x >= 0x80) {
                int n = utf8 ? JsonBytes.utf8(b, p, to) : -1;
                if (n < 0) {
                    return -1;
                }
                p += n;
            } else {
                p++;
            }
        }
    }

    /** Whether a string value {@code b[from, to)} is one the tree keeps as it is (DateTime64: or adds millis to). */
    private boolean shaped(Kind kind, int column, byte[] b, int from, int to) {
        int n = to - from;
        return switch (kind) {
            case STRING -> true;
            case UUID -> n == 36 && JsonBytes.uuid(b, from);
            case DATE -> n == 10 && validDate(b, from);
            case DATETIME -> n == 20 && dateTime(b, from) && b[from + 19] == 'Z';
            case DATETIME64 -> dateTime(b, from) && (n == 20 && b[from + 19] == 'Z' || n == 24 && b[from + 19] == '.'
                    && JsonBytes.digits(b, from + 20, from + 23) == from + 23 && b[from + 23] == 'Z');
            case ENUM -> enumName(column, b, from, to);
            case INT, FLOAT -> false;
        };
    }

    /** {@code yyyy-MM-ddTHH:mm:ss} at {@code p}, a real instant, year 1 or later (the tree writes years of era). */
    private static boolean dateTime(byte[] b, int p) {
        return validDate(b, p) && JsonBytes.value(b, p, 4) >= 1 && b[p + 10] == 'T' && JsonBytes.time(b, p + 11)
                && JsonBytes.value(b, p + 11, 2) <= 23 && JsonBytes.value(b, p + 14, 2) <= 59
                && JsonBytes.value(b, p + 17, 2) <= 59;
    }

    private static boolean validDate(byte[] b, int p) {
        if (!JsonBytes.date(b, p)) {
            return false;
        }
        int month = JsonBytes.value(b, p + 5, 2);
        int day = JsonBytes.value(b, p + 8, 2);
        if (month < 1 || month > 12 || day < 1) {
            return false;
        }
        return day <= java.time.YearMonth.of(JsonBytes.value(b, p, 4), month).lengthOfMonth();
    }

    private boolean enumName(int column, byte[] b, int from, int to) {
        for (byte[] name : enumNames[column]) {
            if (to - from == name.length && Arrays.equals(b, from, to, name, 0, name.length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the number {@code b[from, to)} is taken: for an integer column, plain digits (no fraction, no
     * exponent, not {@code -0}) in range; for a float column, plain digits, or a value that is finite (and within
     * Float32's range for a Float32).
     */
    private boolean numberFits(int column, byte[] b, int from, int to) {
        int digitsFrom = b[from] == '-' ? from + 1 : from;
        boolean plain = JsonBytes.digits(b, digitsFrom, to) == to;
        if (plain && (to - digitsFrom > 18 || (b[from] == '-' && b[digitsFrom] == '0'))) {
            return false;
        }
        if (kinds[column] == Kind.INT) {
            if (!plain) {
                return false;
            }
            // up to 18 digits: no overflow
            long v = 0;
            for (int p = digitsFrom; p < to; p++) {
                v = v * 10 + (b[p] - '0');
            }
            v = b[from] == '-' ? -v : v;
            return v >= min[column] && v <= max[column];
        }
        if (plain) {
            return true;
        }
        double d = Double.parseDouble(new String(b, from, to - from, StandardCharsets.US_ASCII));
        return Double.isFinite(d) && !(float32[column] && Math.abs(d) > Float.MAX_VALUE);
    }

    /** Writes the normalized record; -1 when a required field is missing (the tree says so). */
    private int write(byte[] b, long seen, int length) {
        // at most: the record, every name with its quotes, and a null or the millis for each column
        ensure(length + extra);
        int n = 0;
        out[n++] = '{';
        for (int i = 0; i < keys.length; i++) {
            boolean present = (seen & (1L << i)) != 0;
            if (!present && !nullable[i]) {
                if (defaulted[i]) {
                    continue;
                }
                return -1;
            }
            if (n > 1) {
                out[n++] = ',';
            }
            System.arraycopy(prefixes[i], 0, out, n, prefixes[i].length);
            n += prefixes[i].length;
            if (!present || isNull[i]) {
                System.arraycopy(NULL, 0, out, n, 4);
                n += 4;
            } else {
                n = writeValue(b, i, n);
            }
        }
        out[n++] = '}';
        return n;
    }

    private int writeValue(byte[] b, int i, int n) {
        int s = start[i];
        int e = end[i];
        if (kinds[i] == Kind.INT || kinds[i] == Kind.FLOAT) {
            if (kinds[i] == Kind.FLOAT && JsonBytes.digits(b, b[s] == '-' ? s + 1 : s, e) != e) {
                // the tree reads a fraction or an exponent as a double and writes it back as Java does
                byte[] d = Double.toString(Double.parseDouble(new String(b, s, e - s, StandardCharsets.US_ASCII)))
                        .getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(d, 0, out, n, d.length);
                return n + d.length;
            }
            System.arraycopy(b, s, out, n, e - s);
            return n + e - s;
        }
        out[n++] = '"';
        if (kinds[i] == Kind.DATETIME64 && e - s == 20) {
            System.arraycopy(b, s, out, n, 19);
            n += 19;
            for (byte x : ".000Z".getBytes(StandardCharsets.US_ASCII)) {
                out[n++] = x;
            }
        } else {
            System.arraycopy(b, s, out, n, e - s);
            n += e - s;
        }
        out[n++] = '"';
        return n;
    }

    private void ensure(int size) {
        if (size > out.length) {
            out = Arrays.copyOf(out, Math.max(size, out.length * 2));
        }
    }
}
