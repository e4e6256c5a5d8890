package dcm.sync;

/**
 * Text as TabSeparated carries it: a JSON string's content with its escapes decoded and escaped again for TSV (tab,
 * newline, carriage return, backslash and NUL as two characters), so ClickHouse reads back the same string
 * JSONEachRow would have stored. Writes into a caller's buffer, which has room for twice the input.
 */
final class TsvText {
    private TsvText() {}

    private static int put(byte c, byte[] out, int n) {
        switch (c) {
            case '\t' -> { out[n++] = '\\'; out[n++] = 't'; }
            case '\n' -> { out[n++] = '\\'; out[n++] = 'n'; }
            case '\r' -> { out[n++] = '\\'; out[n++] = 'r'; }
            case '\\' -> { out[n++] = '\\'; out[n++] = '\\'; }
            case 0 -> { out[n++] = '\\'; out[n++] = '0'; }
            default -> out[n++] = c;
        }
        return n;
    }

    /** A JSON string's content with its escapes decoded, escaped again for TSV; -1 for a surrogate or bad escape. */
    static int unescape(byte[] b, int from, int to, byte[] out, int n) {
        for (int p = from; p < to; p++) {
            byte c = b[p];
            if (c != '\\') {
                n = put(c, out, n);
                continue;
            }
            p++;
            switch (b[p]) {
                case '"' -> out[n++] = '"';
                case '/' -> out[n++] = '/';
                case '\\' -> n = put((byte) '\\', out, n);
                case 'b' -> { out[n++] = '\\'; out[n++] = 'b'; }
                case 'f' -> { out[n++] = '\\'; out[n++] = 'f'; }
                case 'n' -> n = put((byte) '\n', out, n);
                case 'r' -> n = put((byte) '\r', out, n);
                case 't' -> n = put((byte) '\t', out, n);
                case 'u' -> {
                    if (p + 4 >= to) {
                        return -1;
                    }
                    int cp = 0;
                    for (int k = 1; k <= 4; k++) {
                        int d = Character.digit(b[p + k], 16);
                        if (d < 0) {
                            return -1;
                        }
                        cp = cp * 16 + d;
                    }
                    p += 4;
                    // surrogates (pairs or lone) are left to JSONEachRow, whose handling differs by version
                    if (cp >= 0xD800 && cp <= 0xDFFF) {
                        return -1;
                    }
                    n = utf8(cp, out, n);
                }
                default -> {
                    return -1;
                }
            }
        }
        return n;
    }

    private static int utf8(int cp, byte[] out, int n) {
        if (cp < 0x80) {
            return put((byte) cp, out, n);
        }
        if (cp < 0x800) {
            out[n++] = (byte) (0xC0 | (cp >> 6));
        } else {
            out[n++] = (byte) (0xE0 | (cp >> 12));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        }
        out[n++] = (byte) (0x80 | (cp & 0x3F));
        return n;
    }

}
