package dcm.ingest;

import dcm.core.ColumnSpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One column of a {@link RawValidator}: reads the column's value in a record's bytes, takes it only in a spelling
 * the tree's normalization ({@link FieldType}) would keep or make the same way, and writes it as the tree writes it.
 * Holds where the value it read last is. Not thread-safe.
 */
final class RawValue {
    enum Kind { STRING, UUID, INT, FLOAT, DATE, DATETIME, DATETIME64, ENUM }

    /** Longest number token taken (the tree refuses numbers of over 1,000 characters). */
    private static final int MAX_NUMBER = 100;
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MILLIS = ".000Z".getBytes(StandardCharsets.US_ASCII);

    final byte[] key;
    /** {@code "name":}, as written. */
    final byte[] prefix;
    final boolean nullable;
    final boolean defaulted;
    private final Kind kind;
    private long min;
    private long max;
    private boolean float32;
    private byte[][] enumNames;
    // the value read last: where it is, and whether it is null
    private int start;
    private int end;
    boolean isNull;

    private RawValue(ColumnSpec c, FieldType type, FieldType inner, Kind kind) {
        this.key = c.name().getBytes(StandardCharsets.UTF_8);
        this.prefix = ("\"" + c.name() + "\":").getBytes(StandardCharsets.UTF_8);
        this.nullable = type.nullable();
        this.defaulted = c.defaultExpr() != null;
        this.kind = kind;
        if (inner instanceof FieldType.IntType it) {
            // numbers of up to 18 digits are taken: a long holds them, and the bounds beyond it do not matter
            min = it.min.max(BigInteger.valueOf(Long.MIN_VALUE)).longValue();
            max = it.max.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        } else if (inner instanceof FieldType.FloatType ft) {
            float32 = ft.name.equals("Float32");
        } else if (inner instanceof FieldType.EnumType et) {
            enumNames = et.values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        }
    }

    /** The check of a column, or null when its name or type is not one it takes (arrays, decimals, ...). */
    static RawValue of(ColumnSpec c) {
        if (!c.name().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return null;
        }
        FieldType type = FieldType.parse(c.type());
        FieldType t = type instanceof FieldType.NullableType nt ? nt.inner : type;
        Kind kind = t instanceof FieldType.StringType ? Kind.STRING
                : t instanceof FieldType.UuidType ? Kind.UUID
                : t instanceof FieldType.IntType ? Kind.INT
                : t instanceof FieldType.FloatType ? Kind.FLOAT
                : t instanceof FieldType.DateType ? Kind.DATE
                : t instanceof FieldType.DateTimeType dt ? (dt.millis ? Kind.DATETIME64 : Kind.DATETIME)
                : t instanceof FieldType.EnumType ? Kind.ENUM : null;
        return kind == null ? null : new RawValue(c, type, t, kind);
    }

    /** The bytes a missing Nullable value is written as. */
    static int writeNull(byte[] out, int n) {
        System.arraycopy(NULL, 0, out, n, NULL.length);
        return n + NULL.length;
    }

    /** Reads a column's value at {@code p}; where it ends, or -1 when the tree must decide. */
    int read(byte[] b, int p, int to) {
        if (p >= to) {
            return -1;
        }
        byte c = b[p];
        isNull = false;
        if (c == 'n') {
            if (!nullable || p + 4 > to || b[p + 1] != 'u' || b[p + 2] != 'l' || b[p + 3] != 'l') {
                return -1;
            }
            isNull = true;
            return p + 4;
        }
        if (c == '"') {
            int s = p + 1;
            int e = string(b, s, to, kind == Kind.STRING, kind == Kind.STRING || kind == Kind.ENUM);
            if (e < 0 || !shaped(b, s, e)) {
                return -1;
            }
            start = s;
            end = e;
            return e + 1;
        }
        if (kind != Kind.INT && kind != Kind.FLOAT) {
            return -1;
        }
        int e = JsonBytes.number(b, p, to);
        if (e < 0 || e - p > MAX_NUMBER || !numberFits(b, p, e)) {
            return -1;
        }
        start = p;
        end = e;
        return e;
    }

    /** Whether a column's value (the one read last) is written otherwise than it was spelled. */
    boolean rewritten(byte[] b) {
        if (isNull) {
            return false;
        }
        int s = start;
        int e = end;
        return switch (kind) {
            case FLOAT -> JsonBytes.digits(b, b[s] == '-' ? s + 1 : s, e) != e;
            case DATETIME64 -> e - s == 20;
            default -> false;
        };
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
    private boolean shaped(byte[] b, int from, int to) {
        int n = to - from;
        return switch (kind) {
            case STRING -> true;
            case UUID -> n == 36 && JsonBytes.uuid(b, from);
            case DATE -> n == 10 && validDate(b, from);
            // only years well inside the column's range here; the tree decides the edges
            case DATETIME -> n == 20 && dateTime(b, from) && year(b, from, 1970, 2105) && b[from + 19] == 'Z';
            case DATETIME64 -> dateTime(b, from) && year(b, from, 1900, 2299) && (n == 20 && b[from + 19] == 'Z' || n == 24 && b[from + 19] == '.'
                    && JsonBytes.digits(b, from + 20, from + 23) == from + 23 && b[from + 23] == 'Z');
            case ENUM -> enumName(b, from, to);
            case INT, FLOAT -> false;
        };
    }

    private static boolean year(byte[] b, int p, int from, int to) {
        int y = JsonBytes.value(b, p, 4);
        return y >= from && y <= to;
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

    private boolean enumName(byte[] b, int from, int to) {
        for (byte[] name : enumNames) {
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
    private boolean numberFits(byte[] b, int from, int to) {
        int digitsFrom = b[from] == '-' ? from + 1 : from;
        boolean plain = JsonBytes.digits(b, digitsFrom, to) == to;
        if (plain && (to - digitsFrom > 18 || (b[from] == '-' && b[digitsFrom] == '0'))) {
            return false;
        }
        if (kind == Kind.INT) {
            if (!plain) {
                return false;
            }
            // up to 18 digits: no overflow
            long v = 0;
            for (int p = digitsFrom; p < to; p++) {
                v = v * 10 + (b[p] - '0');
            }
            v = b[from] == '-' ? -v : v;
            return v >= min && v <= max;
        }
        if (plain) {
            return true;
        }
        double d = Double.parseDouble(new String(b, from, to - from, StandardCharsets.US_ASCII));
        return Double.isFinite(d) && !(float32 && Math.abs(d) > Float.MAX_VALUE);
    }

    /** Writes the value read last as the tree writes it, into {@code out} at {@code n}; where it ends. */
    int write(byte[] b, byte[] out, int n) {
        int s = start;
        int e = end;
        if (kind == Kind.INT || kind == Kind.FLOAT) {
            if (kind == Kind.FLOAT && JsonBytes.digits(b, b[s] == '-' ? s + 1 : s, e) != e) {
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
        if (kind == Kind.DATETIME64 && e - s == 20) {
            System.arraycopy(b, s, out, n, 19);
            n += 19;
            System.arraycopy(MILLIS, 0, out, n, MILLIS.length);
            n += MILLIS.length;
        } else {
            System.arraycopy(b, s, out, n, e - s);
            n += e - s;
        }
        out[n++] = '"';
        return n;
    }

}
