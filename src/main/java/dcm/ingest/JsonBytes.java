package dcm.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scanning JSON text as UTF-8 bytes, without building anything: white space, numbers by JSON's grammar, runs of
 * plain string bytes (eight at a time), and the fixed shapes of dates, times and UUIDs. Shared by the checks that
 * read records in place (the sync's TSV rewrite, the validation of records from other producers). Positions are
 * indexes into the array; a method that finds nothing of its kind says so with -1 or by not moving.
 */
public final class JsonBytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * 0x20;
    /** JSON's white space. */
    private static final boolean[] SPACE = new boolean[256];

    static {
        for (char c : " \t\r\n".toCharArray()) {
            SPACE[c] = true;
        }
    }

    private JsonBytes() {}

    /** The first position at or after {@code p} that is not JSON white space (or {@code to}). */
    public static int skipSpace(byte[] b, int p, int to) {
        while (p < to && SPACE[b[p] & 0xff]) {
            p++;
        }
        return p;
    }

    /**
     * Skips whole 8-byte words from {@code p} on in which no byte is a quote, a backslash or a control character
     * (and, with {@code ascii}, none is above 0x7F); where the scan stopped: the rest is read byte by byte.
     */
    public static int plainRun(byte[] b, int p, int to, boolean ascii) {
        while (p + 8 <= to) {
            long w = (long) LONGS.get(b, p);
            if ((zero(w ^ QUOTES) | zero(w ^ BACKSLASHES) | ((w - SPACES) & ~w & HIGH_BITS)
                    | (ascii ? w & HIGH_BITS : 0)) != 0) {
                break;
            }
            p += 8;
        }
        return p;
    }

    /**
     * Non-zero when a byte of {@code w} is zero (exact for the lowest such byte; a byte above it may be flagged
     * too, which only ends a fast scan early).
     */
    private static long zero(long w) {
        return (w - ONES) & ~w & HIGH_BITS;
    }

    /**
     * Where the JSON number at {@code p} ends, or -1 if it is not one by JSON's grammar
     * ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}).
     */
    public static int number(byte[] b, int p, int to) {
        if (p < to && b[p] == '-') {
            p++;
        }
        if (p >= to || !digit(b[p])) {
            return -1;
        }
        if (b[p] == '0') {
            p++;
        } else {
            p = digits(b, p, to);
        }
        if (p < to && b[p] == '.') {
            int q = digits(b, p + 1, to);
            if (q == p + 1) {
                return -1;
            }
            p = q;
        }
        if (p < to && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < to && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int q = digits(b, p, to);
            if (q == p) {
                return -1;
            }
            p = q;
        }
        return p;
    }

    /** The first position at or after {@code p} that is not an ASCII digit (or {@code to}). */
    public static int digits(byte[] b, int p, int to) {
        while (p < to && digit(b[p])) {
            p++;
        }
        return p;
    }

    public static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** {@code yyyy-MM-dd} at {@code p} (digits and dashes; the values are not checked). */
    public static boolean date(byte[] b, int p) {
        return digit(b[p]) && digit(b[p + 1]) && digit(b[p + 2]) && digit(b[p + 3]) && b[p + 4] == '-'
                && digit(b[p + 5]) && digit(b[p + 6]) && b[p + 7] == '-' && digit(b[p + 8]) && digit(b[p + 9]);
    }

    /** {@code HH:mm:ss} at {@code p} (digits and colons; the values are not checked). */
    public static boolean time(byte[] b, int p) {
        return digit(b[p]) && digit(b[p + 1]) && b[p + 2] == ':' && digit(b[p + 3]) && digit(b[p + 4])
                && b[p + 5] == ':' && digit(b[p + 6]) && digit(b[p + 7]);
    }

    /** Nothing, or a dot and digits, in {@code b[p, to)}. */
    public static boolean fraction(byte[] b, int p, int to) {
        if (p == to) {
            return true;
        }
        return b[p] == '.' && to > p + 1 && digits(b, p + 1, to) == to;
    }

    /** A UUID's 36 characters at {@code p}: hex digits with dashes after the 8th, 12th, 16th and 20th. */
    public static boolean uuid(byte[] b, int p) {
        for (int i = 0; i < 36; i++) {
            byte c = b[p + i];
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The number of {@code n} ASCII digits at {@code p}. */
    public static int value(byte[] b, int p, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = v * 10 + (b[p + i] - '0');
        }
        return v;
    }

    /**
     * The length of the well-formed UTF-8 sequence of a character above U+007F starting at {@code p} (2 to 4), or
     * -1: a stray continuation byte, a cut sequence, an overlong form, a surrogate or a code point past U+10FFFF
     * (decoders differ on those, so they are never taken as they are).
     */
    public static int utf8(byte[] b, int p, int to) {
        int c = b[p] & 0xff;
        int n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : -1;
        if (n < 0 || p + n > to) {
            return -1;
        }
        int c1 = b[p + 1] & 0xff;
        // the second byte's range is narrower after E0 (overlong), ED (surrogates), F0 (overlong), F4 (> U+10FFFF)
        int lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        int hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        if (c1 < lo || c1 > hi) {
            return -1;
        }
        for (int i = 2; i < n; i++) {
            if ((b[p + i] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return n;
    }
}
