package dcm.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * Where a file's bytes stop being UTF-8, as a line and column a user can go to: Java's own refusal
 * ({@code MalformedInputException: Input length = 1}) names neither.
 */
public final class Utf8 {
    private Utf8() {}

    /**
     * The first byte that is not UTF-8: its offset, where its line starts, its 1-based line and column (in
     * characters, for a caret under it), and its value.
     */
    public record BadByte(int offset, int lineStart, int line, int column, int value) {
        /** {@code "not UTF-8 text (byte 0xff at line 3, column 7)"}. */
        public String describe() {
            return "not UTF-8 text (byte 0x" + String.format("%02x", value) + " at line " + line + ", column " + column
                    + ")";
        }
    }

    /** The first byte of {@code bytes} that is not UTF-8, or null when all of it is. */
    public static BadByte firstBadByte(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult r = StandardCharsets.UTF_8.newDecoder().decode(in, CharBuffer.allocate(bytes.length + 1), true);
        if (!r.isError()) {
            return null;
        }
        int at = in.position();
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        // what comes before the first bad byte is UTF-8: its characters count the column
        int column = new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8).length() + 1;
        return new BadByte(at, lineStart, line, column, bytes[at] & 0xff);
    }
}
