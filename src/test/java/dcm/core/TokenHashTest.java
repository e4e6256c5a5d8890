package dcm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TokenHashTest {
    @Test
    void aNewTokenMatchesItsHashAndNothingElse() {
        String token = TokenHash.newToken();
        String stored = TokenHash.hash(token);
        assertTrue(stored.startsWith("pbkdf2-sha256$100000$"), stored);
        assertFalse(stored.contains(token));
        TokenHash.Stored s = TokenHash.parse(stored).orElseThrow();
        assertTrue(TokenHash.matches(token, s));
        assertFalse(TokenHash.matches(token + "x", s));
        assertFalse(TokenHash.matches(token.substring(1), s));
        assertFalse(TokenHash.matches("", s));
        assertFalse(TokenHash.matches(null, s));
    }

    @Test
    void theSameTokenGetsAnotherSaltEachTime() {
        String a = TokenHash.hash("t0ken");
        String b = TokenHash.hash("t0ken");
        assertNotEquals(a, b);
        assertTrue(TokenHash.matches("t0ken", TokenHash.parse(b).orElseThrow()));
    }

    @Test
    void tokensAreLongAndDistinct() {
        String a = TokenHash.newToken();
        assertEquals(43, a.length());
        assertNotEquals(a, TokenHash.newToken());
    }

    @Test
    void theHashIsPbkdf2HmacSha256AsInRfc7914() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1 (the first 32 bytes of its dkLen=64)
        byte[] expected = HexFormat.of().parseHex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
        TokenHash.Stored rfc = new TokenHash.Stored(1, "salt".getBytes(StandardCharsets.UTF_8), expected);
        assertTrue(TokenHash.matches("passwd", rfc));
        assertFalse(TokenHash.matches("passwe", rfc));
        // and the stored form carries iterations, salt and hash as they are
        TokenHash.Stored back = TokenHash.parse(TokenHash.format(1, "saltsalt".getBytes(StandardCharsets.UTF_8),
                expected)).orElseThrow();
        assertEquals(1, back.iterations());
        assertEquals("saltsalt", new String(back.salt(), StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(back.hash()));
    }

    @Test
    void storedValuesThatAreNotHashesAreRefused() {
        assertTrue(TokenHash.parse(null).isEmpty());
        assertTrue(TokenHash.parse("").isEmpty());
        assertTrue(TokenHash.parse(TokenHash.newToken()).isEmpty());
        assertTrue(TokenHash.parse("pbkdf2-sha256$x$AAAAAAAAAAA$AAAA").isEmpty());
        assertTrue(TokenHash.parse("pbkdf2-sha256$1000$AAAAAAAAAAA$AAAA").isEmpty());
        assertTrue(TokenHash.parse("md5$1000$AAAAAAAAAAA$AAAA").isEmpty());
        String ok = TokenHash.hash("a");
        assertTrue(TokenHash.parse(" " + ok + "\n").isPresent());
    }
}
