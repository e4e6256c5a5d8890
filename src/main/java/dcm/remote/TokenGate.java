package dcm.remote;

import dcm.core.TokenHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

/**
 * Decides whether an admin request's bearer token is the one whose PBKDF2 hash is configured, without letting
 * requests spend the server's CPU: a PBKDF2 check (100,000 iterations, tens of milliseconds) runs on the HTTP
 * server's threads, which the ingest routes share. So a token already verified is remembered (by its SHA-256, a
 * few at most) and costs nothing again during this server's run; at most one uncached check runs at a time, and a
 * request that cannot get its turn within {@link #WAIT} is refused like a wrong token. A request without a token, or
 * any request while no usable key is configured, is refused at once: no hash can help it.
 */
public final class TokenGate {
    /** Why a token was accepted or refused (for the server's log only; a client sees 401 whatever it is). */
    public enum Verdict {
        OK, NO_KEY, NO_TOKEN, WRONG, BUSY;

        /** What the log says of a refusal. */
        public String reason() {
            return switch (this) {
                case OK -> "accepted";
                case NO_KEY -> "no usable admin_api_key configured";
                case NO_TOKEN -> "no bearer token";
                case WRONG -> "wrong token";
                case BUSY -> "another token check was running (at most one at a time)";
            };
        }
    }

    /** How long a request waits for the one uncached check: short, since it holds a thread of the shared pool. */
    static final Duration WAIT = Duration.ofMillis(250);
    /** How many verified tokens are remembered (one key matches one token: a few are plenty). */
    static final int REMEMBERED = 8;
    private final Optional<TokenHash.Stored> key;
    private final BiPredicate<String, TokenHash.Stored> slowCheck;
    private final Duration wait;
    private final Semaphore checking = new Semaphore(1, true);
    /** SHA-256 digests of verified tokens, newest last. */
    private final Deque<byte[]> verified = new ArrayDeque<>();
    private final AtomicLong slowChecks = new AtomicLong();

    /** The gate of {@code serve}: the real PBKDF2 check, {@link #WAIT} for a turn. */
    public TokenGate(Optional<TokenHash.Stored> key) {
        this(key, TokenHash::matches, WAIT);
    }

    TokenGate(Optional<TokenHash.Stored> key, BiPredicate<String, TokenHash.Stored> slowCheck, Duration wait) {
        this.key = key;
        this.slowCheck = slowCheck;
        this.wait = wait;
    }

    /** Checks a presented token (null when the request had none). */
    public Verdict check(String token) {
        if (key.isEmpty()) {
            return Verdict.NO_KEY;
        }
        if (token == null || token.isEmpty()) {
            return Verdict.NO_TOKEN;
        }
        byte[] digest = sha256(token);
        if (remembered(digest)) {
            return Verdict.OK;
        }
        try {
            if (!checking.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return Verdict.BUSY;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.BUSY;
        }
        try {
            // verified meanwhile by the request that held the turn: no second hash
            if (remembered(digest)) {
                return Verdict.OK;
            }
            slowChecks.incrementAndGet();
            if (!slowCheck.test(token, key.get())) {
                return Verdict.WRONG;
            }
            remember(digest);
            return Verdict.OK;
        } finally {
            checking.release();
        }
    }

    /** How many PBKDF2 checks ran (the cost paid): for tests and the log. */
    long slowChecks() {
        return slowChecks.get();
    }

    /** Whether a request waits for the turn now (for tests). */
    boolean queued() {
        return checking.hasQueuedThreads();
    }

    /** Compares with every remembered digest in constant time each, and with all of them whatever matches. */
    private synchronized boolean remembered(byte[] digest) {
        boolean found = false;
        for (byte[] d : verified) {
            found |= MessageDigest.isEqual(d, digest);
        }
        return found;
    }

    private synchronized void remember(byte[] digest) {
        verified.addLast(digest);
        while (verified.size() > REMEMBERED) {
            verified.removeFirst();
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
