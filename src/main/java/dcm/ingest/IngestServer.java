package dcm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dcm.core.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The ingest routes, on the JDK's HTTP server: {@code POST /ingest/<Model>/<version>} and {@code POST
 * /ingest/<Model>} (the latest version). A body is validated whole before anything is produced, then joins the
 * {@link Ingestor}'s next group commit; it is acknowledged only after the broker committed its group. Too many
 * requests waiting for the broker are answered 503 with {@code Retry-After}.
 *
 * <p>What can be done once is: a route (its model, schema and response) is resolved once per set of models in
 * force, and a body the one-pass reader takes ({@link RawBody}) is validated without a tree.
 */
public final class IngestServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IngestServer.class);

    static {
        // each response is two writes (headers, body): without TCP_NODELAY the second waits for the client's
        // delayed ACK, 40 ms a request on Linux (read once, when the JDK's server first starts)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * Threads answering requests: each waits for its request's group to commit, so they are as many as the
     * requests one wants in flight (measured: see docs/ingest-throughput.md).
     */
    static final int THREADS = Integer.getInteger("dcm.ingest.httpThreads", 64);

    /** A resolved route: its schema, topic, and what its requests need made once. */
    private record Route(Schema schema, String topic, ThreadLocal<RawBody> raw, String okTail) {}

    private final HttpServer server;
    private final Supplier<List<ModelSpec>> models;
    private final Ingestor ingestor;
    private final java.util.function.Function<ModelSpec, Schema> schemas;
    private final long maxBody;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final java.util.concurrent.ConcurrentHashMap<String, Route> routes =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The models the cached routes were resolved from (the same list until the models in force change). */
    private volatile List<ModelSpec> routesOf;

    public IngestServer(String host, int port, Supplier<List<ModelSpec>> models, Ingestor ingestor, long maxBody)
            throws IOException {
        this(host, port, models, Schema::new, ingestor, maxBody);
    }

    /**
     * @param models  the model versions in force: the same list (by identity) as long as they do not change, since
     *                the routes are resolved once per list
     * @param schemas the schema each version's records are validated against (with the conversions later versions
     *                make of its values)
     */
    public IngestServer(String host, int port, Supplier<List<ModelSpec>> models,
                        java.util.function.Function<ModelSpec, Schema> schemas, Ingestor ingestor, long maxBody)
            throws IOException {
        this(host, port, models, schemas, ingestor, maxBody, null);
    }

    /** @param tls HTTPS with this context ({@code [http_server_config] use_ssl}), or null for HTTP */
    public IngestServer(String host, int port, Supplier<List<ModelSpec>> models,
                        java.util.function.Function<ModelSpec, Schema> schemas, Ingestor ingestor, long maxBody,
                        javax.net.ssl.SSLContext tls) throws IOException {
        this.models = models;
        this.schemas = schemas;
        this.ingestor = ingestor;
        this.maxBody = maxBody;
        InetSocketAddress at = new InetSocketAddress(host, port);
        if (tls == null) {
            this.server = HttpServer.create(at, 128);
        } else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(at, 128);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            this.server = https;
        }
        server.createContext("/ingest/", this::handle);
        server.createContext("/health", ex -> reply(ex, 200, Map.of("status", "ok")));
        server.setExecutor(Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "ingest-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Serves another route beside the ingest routes (the admin endpoint) on the same server. */
    public void route(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    public long accepted() {
        return accepted.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** Finds a model version: exact version, or the latest when version is null. */
    public static Optional<ModelSpec> resolve(List<ModelSpec> models, String name, String version) {
        return models.stream().filter(m -> m.name().equals(name) && (version == null || m.version().equals(version)))
                .max((a, b) -> dcm.core.Names.compareVersions(a.version(), b.version()));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                reply(ex, 405, Map.of("error", "use POST"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            Route route = route(path);
            if (route == null) {
                String[] parts = path.substring("/ingest/".length()).split("/");
                String name = parts[0];
                String version = parts.length > 1 ? parts[1] : null;
                reply(ex, 404, Map.of("error", "no ingest route for " + name + (version == null ? "" : "/" + version),
                        "routes", models.get().stream().filter(m -> m.topic() != null)
                                .map(m -> "/ingest/" + m.name() + "/" + m.version()).toList()));
                return;
            }
            long declared = declaredLength(ex.getRequestHeaders().getFirst("Content-Length"));
            if (declared == BAD_LENGTH) {
                reply(ex, 400, Map.of("error", "the Content-Length header is not a length in bytes; send the"
                        + " body's length in bytes (or no Content-Length with a chunked body); nothing of this"
                        + " request was accepted"));
                return;
            }
            if (declared > maxBody) {
                drain(ex.getRequestBody());
                reply(ex, 413, Map.of("error", "body of " + declared + " bytes is over the limit of " + maxBody
                        + " bytes; split it into smaller requests"));
                return;
            }
            byte[] body = declared >= 0 ? readDeclared(ex.getRequestBody(), (int) declared)
                    : readLimited(ex.getRequestBody());
            if (body == null) {
                drain(ex.getRequestBody());
                reply(ex, 413, Map.of("error", "body is over the limit of " + maxBody + " bytes; split it into"
                        + " smaller requests"));
                return;
            }
            ingest(ex, route, body);
        } catch (RuntimeException | StackOverflowError e) {
            // every request gets an answer, whatever went wrong
            reply(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /** {@link #declaredLength}'s answer for a header that is no length. */
    static final long BAD_LENGTH = -2;

    /**
     * The body length a Content-Length header declares: -1 without one, {@link #BAD_LENGTH} when it is not a
     * length (the JDK's server refuses most such requests itself; this one must not answer them 500).
     */
    static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(header.strip());
            return n >= 0 ? n : BAD_LENGTH;
        } catch (NumberFormatException e) {
            return BAD_LENGTH;
        }
    }

    /** The route of a path, resolved once per set of models in force; null when there is none. */
    private Route route(String path) {
        List<ModelSpec> in = models.get();
        if (in != routesOf) {
            synchronized (routes) {
                if (in != routesOf) {
                    routes.clear();
                    routesOf = in;
                }
            }
        }
        String[] parts = path.substring("/ingest/".length()).split("/");
        String version = parts.length > 1 ? parts[1] : null;
        // keyed by what resolves (segments after the version are ignored): only existing routes are cached
        String key = parts[0] + "/" + (version == null ? "" : version);
        Route r = routes.get(key);
        if (r != null) {
            return r;
        }
        Optional<ModelSpec> model = resolve(in, parts[0], version);
        if (model.isEmpty() || model.get().topic() == null) {
            return null;
        }
        Schema schema = schemas.apply(model.get());
        String topic = model.get().topic().name();
        r = new Route(schema, topic, ThreadLocal.withInitial(() -> RawBody.forSchema(topic, schema)),
                ",\"topic\":" + json(topic) + "}");
        synchronized (routes) {
            // cached only while its models are still those in force: a change clears the cache under this lock
            if (routesOf == in) {
                routes.put(key, r);
            }
        }
        return r;
    }

    private static String json(String s) {
        try {
            return Records.JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void ingest(HttpExchange ex, Route route, byte[] body) throws IOException {
        RawBody raw = route.raw().get();
        Batch batch = raw == null ? null : raw.read(body);
        if (batch == null) {
            batch = treeBatch(ex, route, body);
            if (batch == null) {
                return;
            }
        }
        try {
            ingestor.await(ingestor.submit(batch), Ingestor.QUEUED_MILLIS);
        } catch (Ingestor.RecordTooLarge e) {
            rejected.incrementAndGet();
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("error", e.getMessage());
            err.put("record", e.record());
            err.put("bytes", e.bytes());
            reply(ex, 413, err);
            return;
        } catch (Ingestor.Overloaded e) {
            ex.getResponseHeaders().set("Retry-After", "1");
            reply(ex, 503, Map.of("error", e.getMessage() + "; retry it"));
            return;
        } catch (Ingestor.OutcomeUnknown e) {
            reply(ex, 504, Map.of("error", e.getMessage()));
            return;
        } catch (IllegalStateException e) {
            reply(ex, 503, Map.of("error", e.getMessage() + "; nothing of this request was accepted, retry it"));
            return;
        }
        accepted.addAndGet(batch.size());
        byte[] ok = ("{\"accepted\":" + batch.size() + route.okTail()).getBytes(StandardCharsets.UTF_8);
        send(ex, 200, ok);
    }

    /** The body read and validated on Jackson's tree; null when a record was refused (answered 400). */
    private Batch treeBatch(HttpExchange ex, Route route, byte[] body) throws IOException {
        Schema schema = route.schema();
        List<ObjectNode> valid = new ArrayList<>();
        try {
            List<JsonNode> records = Records.read(new java.io.ByteArrayInputStream(body));
            if (records.isEmpty()) {
                throw new Schema.InvalidRecord(new Schema.Problem(0, null, "the body holds no record: send one JSON"
                        + " object, a JSON array of objects, or JSON lines"));
            }
            for (int i = 0; i < records.size(); i++) {
                valid.add(schema.validate(records.get(i), i));
            }
        } catch (Schema.InvalidRecord e) {
            rejected.incrementAndGet();
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("error", e.getMessage() + "; nothing of this request was accepted");
            err.put("record", e.problem().record());
            err.put("field", e.problem().field());
            err.put("reason", e.problem().reason());
            reply(ex, 400, err);
            return null;
        }
        return Batch.of(route.topic(), schema, valid);
    }

    /** Reads and discards the rest of a refused body (up to 1 GiB), so the client sees the 413, not a reset. */
    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0 && total < (1L << 30)) {
            total += n;
        }
    }

    /** A body of the length its request declared (within the limit): read into one array, no copies. */
    private static byte[] readDeclared(InputStream in, int length) throws IOException {
        byte[] buf = new byte[length];
        int n = in.readNBytes(buf, 0, length);
        if (n < length) {
            throw new IOException("the body ended after " + n + " of " + length + " bytes");
        }
        return buf;
    }

    private byte[] readLimited(InputStream in) throws IOException {
        byte[] buf = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
        return buf.length > maxBody ? null : buf;
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        if (status >= 400 && body instanceof Map<?, ?> m) {
            // what was refused and why; never the body (a record's values are the sender's data)
            String why = String.valueOf(m.get("error"));
            LOG.warn("ingest request refused: {} {} {}: {}", status, ex.getRequestMethod(),
                    ex.getRequestURI().getPath(), why.length() > 300 ? why.substring(0, 300) + "..." : why);
        }
        send(ex, status, Records.JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
