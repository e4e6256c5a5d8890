package dcm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.config.BrokerConfig;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TopicSpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ingest routes' answers that need no broker: an {@link IngestServer} in front of an {@link Ingestor} without
 * producers (nothing it queues is ever sent), spoken to over a plain socket so any header can be sent.
 */
class IngestServerTest {
    private static final BrokerConfig NOWHERE = new BrokerConfig("127.0.0.1:1", 1_000, 1_000L, 1, "t");
    private static final ModelSpec MODEL = new ModelSpec("Ev", "1.0", List.of(new ColumnSpec("id", "String", true,
            null, null)), null, new TopicSpec("ev", 1, 3_600_000L, LifeCycle.FULLY_MANAGED), true, "t");

    /** Sends the raw request and answers the response's status line and body. */
    private static String exchange(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBadContentLengthIsABadRequestNeverAServerError() throws Exception {
        try (Ingestor ingestor = new Ingestor(NOWHERE, new Ingestor.Settings(0, 1_000, 1L << 20, 0, false, 100,
                1L << 20));
             IngestServer server = new IngestServer("127.0.0.1", 0, () -> List.of(MODEL), ingestor, 1 << 20)) {
            for (String length : List.of("abc", "-5", "1.5", "99999999999999999999", "10 10")) {
                String answer = exchange(server.port(), "POST /ingest/Ev/1.0 HTTP/1.1\r\nHost: x\r\nContent-Length: "
                        + length + "\r\nConnection: close\r\n\r\n{\"id\":\"a\"}");
                assertTrue(answer.startsWith("HTTP/1.1 400 "), length + ": " + answer);
            }
        }
    }

    /** What the handler makes of the header itself (whichever requests the JDK's server lets through). */
    @Test
    void theDeclaredLengthIsALengthOrRefused() {
        assertEquals(-1, IngestServer.declaredLength(null));
        assertEquals(0, IngestServer.declaredLength("0"));
        assertEquals(17, IngestServer.declaredLength(" 17 "));
        for (String bad : List.of("", " ", "abc", "-5", "1.5", "99999999999999999999", "10, 10", "0x10")) {
            assertEquals(IngestServer.BAD_LENGTH, IngestServer.declaredLength(bad), bad);
        }
    }

    @Test
    void aRecordLargerThanTheProducerSendsIs413NamingItNothingQueued() throws Exception {
        try (Ingestor ingestor = new Ingestor(NOWHERE, new Ingestor.Settings(0, 1_000, 1L << 20, 0, false, 100,
                1L << 20));
             IngestServer server = new IngestServer("127.0.0.1", 0, () -> List.of(MODEL), ingestor, 16 << 20)) {
            String body = "{\"id\":\"a\"}\n{\"id\":\"" + "x".repeat(2 << 20) + "\"}\n";
            String answer = exchange(server.port(), "POST /ingest/Ev/1.0 HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer.substring(0, Math.min(300, answer.length())));
            assertTrue(answer.contains("\"record\":1"), answer);
            // value, key (the id) and the schema header, as the producer would send them
            long bytes = (2 << 20) + "{\"id\":\"\"}".length() + (2 << 20) + Schema.HEADER.length()
                    + new Schema(MODEL).fingerprintBytes().length;
            assertTrue(answer.contains("record 1 is " + bytes + " bytes"), answer);
            assertEquals(0, ingestor.waiting());
        }
    }

    /** The cached routes follow the models in force: a route gone with a change is not served from the cache. */
    @Test
    void theRoutesFollowTheModelsInForce() throws Exception {
        java.util.concurrent.atomic.AtomicReference<List<ModelSpec>> models =
                new java.util.concurrent.atomic.AtomicReference<>(List.of(MODEL));
        try (Ingestor ingestor = new Ingestor(NOWHERE, new Ingestor.Settings(0, 1_000, 1L << 20, 0, false, 100,
                1L << 20));
             IngestServer server = new IngestServer("127.0.0.1", 0, models::get, ingestor, 1 << 20)) {
            String bad = "{\"id\":1}";
            String request = "POST /ingest/Ev/1.0 HTTP/1.1\r\nHost: x\r\nContent-Length: " + bad.length()
                    + "\r\nConnection: close\r\n\r\n" + bad;
            // a record the route refuses: answered by the route, nothing queued
            assertTrue(exchange(server.port(), request).startsWith("HTTP/1.1 400 "));
            models.set(List.of());
            assertTrue(exchange(server.port(), request).startsWith("HTTP/1.1 404 "));
            models.set(List.of(MODEL));
            assertTrue(exchange(server.port(), request).startsWith("HTTP/1.1 400 "));
        }
    }
}
