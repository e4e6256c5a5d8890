package dcm.core;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The admin token and what the server keeps of it ({@code [authentication] admin_api_key}): a salted
 * PBKDF2-HMAC-SHA256 hash, {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}. The server never holds
 * the token itself; a presented token is hashed with the stored salt and compared in constant time.
 */
public final class TokenHash {
    /** The prefix of every stored hash. */
    public static final String SCHEME = "pbkdf2-sha256";
    /** Iterations of new hashes: tens of milliseconds per check, which an admin request can afford. */
    public static final int ITERATIONS = 100_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored hash, parsed. */
    public record Stored(int iterations, byte[] salt, byte[] hash) {}

    private TokenHash() {}

    /** A new random token: 32 bytes as URL-safe base64 without padding (43 characters). */
    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The value to store for {@code token}, with a fresh random salt. */
    public static String hash(String token) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return format(ITERATIONS, salt, derive(token, salt, ITERATIONS));
    }

    static String format(int iterations, byte[] salt, byte[] hash) {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /**
     * Parses a stored value; empty when it is not one (a token pasted in place of its hash, a truncated value). The
     * reason is for the server's owner, never for a client.
     */
    public static Optional<Stored> parse(String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        String[] p = stored.strip().split("\\$");
        if (p.length != 4 || !p[0].equals(SCHEME)) {
            return Optional.empty();
        }
        try {
            int iterations = Integer.parseInt(p[1]);
            byte[] salt = Base64.getDecoder().decode(p[2]);
            byte[] hash = Base64.getDecoder().decode(p[3]);
            if (iterations < 1 || iterations > 10_000_000 || salt.length < 8 || hash.length != HASH_BITS / 8) {
                return Optional.empty();
            }
            return Optional.of(new Stored(iterations, salt, hash));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code token} hashes to {@code stored}. The comparison takes the same time wherever the bytes differ
     * ({@link MessageDigest#isEqual}); a missing token or an unusable stored value never matches.
     */
    public static boolean matches(String token, Stored stored) {
        if (token == null || token.isEmpty() || stored == null) {
            return false;
        }
        return MessageDigest.isEqual(derive(token, stored.salt(), stored.iterations()), stored.hash());
    }

    private static byte[] derive(String token, byte[] salt, int iterations) {
        // the JDK's PBKDF2 takes the password's UTF-8 bytes as the HMAC key, as RFC 8018 does
        PBEKeySpec spec = new PBEKeySpec(token.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this Java runtime", e);
        } finally {
            spec.clearPassword();
        }
    }
}
