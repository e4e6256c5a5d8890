package dcm.remote;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The admin token travels over plain http only to this machine, unless the user says --insecure. */
class AdminClientTest {
    @Test
    void aTokenIsNotSentOverHttpToAnotherHost() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdminClient("http://dcm.example.com:4000", "tok-123", false));
        assertTrue(e.getMessage().contains("use https://") && e.getMessage().contains("use_ssl")
                && e.getMessage().contains("--insecure") && e.getMessage().contains("http://dcm.example.com:4000"),
                e.getMessage());
        assertFalse(e.getMessage().contains("tok-123"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdminClient("http://10.0.0.7:4000", "t", false));
        // a password in the URL is not repeated either
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class,
                () -> new AdminClient("http://me:pw-secret@10.0.0.7:4000", "t", false));
        assertFalse(u.getMessage().contains("pw-secret"), u.getMessage());
    }

    @Test
    void httpsLoopbackInsecureOrNoTokenAreAllowed() {
        assertDoesNotThrow(() -> new AdminClient("https://dcm.example.com:4000", "t", false));
        assertDoesNotThrow(() -> new AdminClient("http://localhost:4000", "t", false));
        assertDoesNotThrow(() -> new AdminClient("http://127.0.0.1:4000", "t", false));
        assertDoesNotThrow(() -> new AdminClient("http://127.1.2.3:4000", "t", false));
        assertDoesNotThrow(() -> new AdminClient("http://[::1]:4000", "t", false));
        assertDoesNotThrow(() -> new AdminClient("http://dcm.example.com:4000", "t", true));
        assertDoesNotThrow(() -> new AdminClient("http://dcm.example.com:4000", null, false));
    }

    @Test
    void loopbackIsDecidedWithoutLookingNamesUp() {
        assertTrue(AdminClient.loopback("LOCALHOST"));
        assertTrue(AdminClient.loopback("[::1]"));
        assertFalse(AdminClient.loopback("localhost.example.com"));
        assertFalse(AdminClient.loopback("[::2]"));
        assertFalse(AdminClient.loopback("128.0.0.1"));
    }
}
