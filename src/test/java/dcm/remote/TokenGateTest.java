package dcm.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dcm.core.TokenHash;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admin token check: paid once per valid token, one uncached check at a time, 401 for everything else. */
class TokenGateTest {
    private static final String TOKEN = TokenHash.newToken();
    private static final String STORED = TokenHash.hash(TOKEN);
    private static final Optional<TokenHash.Stored> KEY = TokenHash.parse(STORED);

    @Test
    void aValidTokenIsHashedOnceAWrongOneEveryTime() {
        TokenGate gate = new TokenGate(KEY);
        assertEquals(TokenGate.Verdict.OK, gate.check(TOKEN));
        assertEquals(1, gate.slowChecks());
        assertEquals(TokenGate.Verdict.OK, gate.check(TOKEN));
        assertEquals(TokenGate.Verdict.OK, gate.check(TOKEN));
        assertEquals(1, gate.slowChecks(), "remembered: no second PBKDF2");
        assertEquals(TokenGate.Verdict.WRONG, gate.check(TOKEN + "x"));
        assertEquals(TokenGate.Verdict.WRONG, gate.check(TOKEN + "x"));
        assertEquals(3, gate.slowChecks(), "a wrong token is never remembered as good");
    }

    @Test
    void noTokenOrNoKeyIsRefusedWithoutHashing() {
        TokenGate gate = new TokenGate(KEY);
        assertEquals(TokenGate.Verdict.NO_TOKEN, gate.check(null));
        assertEquals(TokenGate.Verdict.NO_TOKEN, gate.check(""));
        assertEquals(0, gate.slowChecks());
        TokenGate off = new TokenGate(Optional.empty());
        assertEquals(TokenGate.Verdict.NO_KEY, off.check(TOKEN));
        assertEquals(0, off.slowChecks());
    }

    @Test
    void oneUncachedCheckAtATimeOthersAreRefusedAfterTheWait() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TokenGate gate = new TokenGate(KEY, (t, k) -> {
            inside.countDown();
            await(release);
            return TokenHash.matches(t, k);
        }, Duration.ofMillis(50));
        CompletableFuture<TokenGate.Verdict> first = CompletableFuture.supplyAsync(() -> gate.check(TOKEN));
        assertTrue(inside.await(30, TimeUnit.SECONDS));
        assertEquals(TokenGate.Verdict.BUSY, gate.check("another-token"), "no turn within the wait");
        assertEquals(1, gate.slowChecks(), "the refused one never hashed");
        release.countDown();
        assertEquals(TokenGate.Verdict.OK, first.get(30, TimeUnit.SECONDS));
        assertEquals(TokenGate.Verdict.WRONG, gate.check("another-token"), "its turn now: checked and wrong");
    }

    @Test
    void aRequestWaitingForTheTurnFindsTheTokenVerifiedMeanwhile() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TokenGate gate = new TokenGate(KEY, (t, k) -> {
            inside.countDown();
            await(release);
            return TokenHash.matches(t, k);
        }, Duration.ofSeconds(60));
        CompletableFuture<TokenGate.Verdict> first = CompletableFuture.supplyAsync(() -> gate.check(TOKEN));
        assertTrue(inside.await(30, TimeUnit.SECONDS));
        CompletableFuture<TokenGate.Verdict> second = CompletableFuture.supplyAsync(() -> gate.check(TOKEN));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!gate.queued() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(gate.queued(), "the second request waits for the turn");
        release.countDown();
        assertEquals(TokenGate.Verdict.OK, first.get(30, TimeUnit.SECONDS));
        assertEquals(TokenGate.Verdict.OK, second.get(30, TimeUnit.SECONDS));
        assertEquals(1, gate.slowChecks());
    }

    @Test
    void overHttpAWrongOrMissingTokenGets401AndTheRightOnePasses() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(AdminHandler.PATH, new AdminHandler(STORED, new AdminHandler.Backend() {
            @Override
            public LiveView live() {
                throw new IllegalStateException("not reached: the route asked for does not exist");
            }

            @Override
            public java.util.Map<String, Object> apply(byte[] plan, boolean allowDestructive,
                                                       java.util.function.Consumer<String> progress,
                                                       java.util.function.BooleanSupplier stop) {
                throw new IllegalStateException("not reached");
            }
        }));
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + AdminHandler.PATH + "nothing");
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest.Builder get = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
            assertEquals(401, http.send(get.copy().header("Authorization", "Bearer wrong").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> none = http.send(get.copy().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode());
            assertEquals("{\"error\":\"unauthorized\"}", none.body());
            // past the token: the unknown route's 404
            assertEquals(404, http.send(get.copy().header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            server.stop(0);
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
