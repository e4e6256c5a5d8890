package dcm.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lower-case hex: the ids, keys and fingerprints that name content (plans, views, schemas). */
public final class Digest {
    private Digest() {}

    /** The hex of the first {@code bytes} bytes of the SHA-256 of {@code data} (all 32 when {@code bytes} is 32). */
    public static String sha256Hex(byte[] data, int bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data), 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java runtime has SHA-256
        }
    }

    /** The same over the UTF-8 bytes of {@code text}. */
    public static String sha256Hex(String text, int bytes) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8), bytes);
    }
}
