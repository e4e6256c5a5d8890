package dcm.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dcm.core.TokenHash;
import dcm.migrate.PlanJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoint of {@code serve}: {@code GET /admin/live} (the live state, for {@code plan --url}) and
 * {@code POST /admin/apply} (a saved plan, for {@code apply --url}; {@code POST /admin/stop} asks it to stop after
 * the step it runs). Every request needs {@code Authorization: Bearer
 * <token>} whose PBKDF2 hash matches {@code [authentication] admin_api_key} ({@link TokenGate}: checked once per
 * server run, one check at a time); anything else gets 401 and nothing more (which part was wrong is only in the
 * server's log, never the token). An apply streams its progress as JSON lines,
 * then one result line.
 */
public final class AdminHandler implements HttpHandler {
    /** Where it is mounted. */
    public static final String PATH = "/admin/";
    /** The largest plan accepted (a plan holds operations and two states: far below this). */
    static final int MAX_PLAN = 64 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final ObjectMapper JSON = PlanJson.MAPPER.copy()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    /** What the endpoint does, on the server's project. */
    public interface Backend {
        /** Reads the live state now. */
        LiveView live();

        /**
         * Applies a saved plan (its JSON) as a local {@code apply <file>} does: drift-checked against the live
         * state read now; progress lines go to {@code progress}; {@code stop} says the client went away.
         *
         * @return the result line's fields ({@code planId}, {@code applied}, {@code millis} or {@code nothing})
         * @throws Failure with a stable code when it refuses or fails
         */
        Map<String, Object> apply(byte[] plan, boolean allowDestructive, Consumer<String> progress,
                                  java.util.function.BooleanSupplier stop);
    }

    /** A refusal or failure with its stable code, evidence and hint (as the shell's errors have). */
    public static final class Failure extends CodedFailure {
        public Failure(String code, String message, List<String> evidence, String hint) {
            super(code, message, evidence, hint);
        }
    }

    private final Optional<TokenHash.Stored> key;
    private final TokenGate gate;
    private final Backend backend;
    private final Object applying = new Object();
    /** Set by {@code POST /admin/stop} (the client's Ctrl-C): the running apply stops after the step it runs. */
    private final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();

    /** @param adminApiKey {@code [authentication] admin_api_key}, or null (then every request is refused) */
    public AdminHandler(String adminApiKey, Backend backend) {
        this.key = TokenHash.parse(adminApiKey);
        this.gate = new TokenGate(key);
        this.backend = backend;
        if (adminApiKey != null && key.isEmpty()) {
            LOG.warn("[authentication] admin_api_key is not a hash made by `generate hash-token`: every admin"
                    + " request is refused");
        }
    }

    /** Whether a token can ever be accepted (a usable hash is configured). */
    public boolean enabled() {
        return key.isPresent();
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String route = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
            TokenGate.Verdict verdict = gate.check(bearer(ex));
            if (verdict != TokenGate.Verdict.OK) {
                drain(ex.getRequestBody());
                LOG.warn("admin request refused: 401 {} from {} ({})", route, ex.getRemoteAddress().getAddress()
                        .getHostAddress(), verdict.reason());
                reply(ex, 401, Map.of("error", "unauthorized"));
                return;
            }
            switch (route) {
                case "GET /admin/live" -> reply(ex, 200, backend.live());
                case "POST /admin/apply" -> apply(ex);
                case "POST /admin/stop" -> {
                    stop.set(true);
                    LOG.info("remote apply: stop requested");
                    reply(ex, 200, Map.of("stopping", true));
                }
                default -> {
                    LOG.warn("admin request refused: 404 {}", route);
                    reply(ex, 404, Map.of("error", "no admin route " + route, "routes", List.of("GET /admin/live",
                            "POST /admin/apply", "POST /admin/stop")));
                }
            }
        } catch (Failure e) {
            reply(ex, 409, failure(e));
        } catch (RuntimeException e) {
            LOG.error("admin request failed: {}", e.toString());
            reply(ex, 500, Map.of("code", "REMOTE_FAILED", "error", String.valueOf(e.getMessage())));
        }
    }

    private static String bearer(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = h.substring(7).strip();
        return t.isEmpty() ? null : t;
    }

    private void apply(HttpExchange ex) throws IOException {
        byte[] plan = ex.getRequestBody().readNBytes(MAX_PLAN + 1);
        if (plan.length > MAX_PLAN) {
            reply(ex, 413, Map.of("error", "the plan is over " + MAX_PLAN + " bytes"));
            return;
        }
        boolean allowDestructive = String.valueOf(ex.getRequestURI().getQuery()).contains("allowDestructive=true");
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        boolean[] gone = {false};
        Consumer<String> progress = line -> gone[0] |= !write(out, Map.of("progress", line));
        Map<String, Object> result;
        synchronized (applying) {
            stop.set(false);
            try {
                result = Map.of("result", backend.apply(plan, allowDestructive, progress, () -> gone[0]
                        || stop.get()));
            } catch (Failure e) {
                result = Map.of("failure", failure(e));
            } catch (RuntimeException e) {
                LOG.error("remote apply failed: {}", e.toString());
                result = Map.of("failure", Map.of("code", "REMOTE_FAILED", "error", String.valueOf(e.getMessage())));
            }
        }
        write(out, result);
        out.close();
    }

    private static Map<String, Object> failure(Failure e) {
        return Map.of("code", e.code(), "error", String.valueOf(e.getMessage()), "evidence", e.evidence(),
                "hint", e.hint() == null ? "" : e.hint());
    }

    /** Writes one JSON line; false when the client is gone (the apply then stops after the step that runs). */
    private static boolean write(OutputStream out, Object line) {
        try {
            out.write(JSON.writeValueAsBytes(line));
            out.write('\n');
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads what a refused request sent (up to 1 MiB), so its client sees the 401 rather than a reset. */
    private static void drain(InputStream in) throws IOException {
        in.readNBytes(1024 * 1024);
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
