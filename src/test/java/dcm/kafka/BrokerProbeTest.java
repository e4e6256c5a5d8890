package dcm.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.config.BrokerConfig;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A broker that is absent is told at once; one that listens but does not answer is slow, not absent. */
class BrokerProbeTest {
    private static BrokerConfig at(int port) {
        return new BrokerConfig("localhost:" + port, 1000, 604_800_000L, 1, "");
    }

    @Test
    void nothingListeningIsAbsentAtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(Tcp.Reach.REFUSED, Tcp.reach("localhost", port, 2000));
        try (Broker b = new Broker(at(port))) {
            Broker.Probe p = b.probe(30_000);
            assertFalse(p.listening());
            assertFalse(p.answers());
            assertTrue(p.waitedMillis() < 5_000, "a refused connection needs no patience: " + p);
        }
    }

    @Test
    void aServerThatListensButDoesNotAnswerIsSlowNotAbsent() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            assertEquals(Tcp.Reach.OPEN, Tcp.reach("localhost", silent.getLocalPort(), 2000));
            try (Broker b = new Broker(at(silent.getLocalPort()))) {
                Broker.Probe p = b.probe(1_500);
                assertTrue(p.listening(), p.toString());
                assertFalse(p.answers());
                assertTrue(p.waitedMillis() >= 1_500, "the patience is spent before giving up: " + p);
            }
        }
    }
}
