package dcm.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.migrate.PlanJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The shell's side of {@code plan --url} and {@code apply --url}: asks a {@code serve} elsewhere for its live state
 * and sends it a saved plan, with the admin token as a bearer token. The token never appears in what it throws.
 * HTTPS is used when the URL says so (the JVM's trust store decides which certificates are trusted); the token is
 * sent over plain {@code http://} only to this machine (loopback), or elsewhere when the user says {@code --insecure}.
 */
public final class AdminClient {
    private static final ObjectMapper JSON = PlanJson.MAPPER;
    private final URI base;
    private final String token;
    private final HttpClient http;

    /** A refusal or failure the server reported, or the server could not be reached. */
    public static final class RemoteError extends CodedFailure {
        RemoteError(String code, String message, List<String> evidence, String hint) {
            super(code, message, evidence, hint);
        }
    }

    /**
     * @param url      {@code http(s)://host:port} of a {@code serve} (a path after it is ignored)
     * @param insecure whether a token may go over plain http to a host that is not loopback
     */
    public AdminClient(String url, String token, boolean insecure) {
        URI u;
        try {
            u = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url " + url + " is not a URL: " + e.getMessage(), e);
        }
        if (u.getScheme() == null || !List.of("http", "https").contains(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("--url " + url + " is not an http:// or https:// URL with a host, e.g."
                    + " https://dcm.example.com:4000");
        }
        if (u.getScheme().equals("http") && token != null && !token.isEmpty() && !insecure
                && !loopback(u.getHost())) {
            // anyone on the way would read the bearer token, and with it plan and apply on that server
            throw new IllegalArgumentException("--url " + u.getScheme() + "://" + u.getHost()
                    + (u.getPort() < 0 ? "" : ":" + u.getPort()) + " would send the admin token unencrypted to another"
                    + " host: use https:// (the server's [http_server_config] use_ssl = true), or --insecure when the"
                    + " network in between is trusted");
        }
        this.base = URI.create(u.getScheme() + "://" + u.getRawAuthority());
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Whether {@code host} is this machine by its name or address alone ({@code localhost}, 127.0.0.0/8, ::1); no
     * name is looked up, so a name that resolves to loopback elsewhere is not trusted.
     */
    static boolean loopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false; // a name: never resolved here
        }
        try {
            return java.net.InetAddress.getByName(h).isLoopbackAddress(); // a literal address: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The server's live state. */
    public LiveView live() {
        HttpResponse<String> r = send(request("live").GET().timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw refused(r.statusCode(), r.body());
        }
        try {
            return JSON.readValue(r.body(), LiveView.class);
        } catch (IOException e) {
            throw new RemoteError("REMOTE_FAILED", base + " answered GET /admin/live with what is not a live state: "
                    + e.getMessage().lines().findFirst().orElse(""), List.of(), "is it a dcm shell's `serve`?");
        }
    }

    /**
     * Sends a saved plan to apply; progress lines come to {@code progress} as the server sends them. Returns the
     * result's fields ({@code planId}, {@code applied}, {@code millis}, or {@code nothing}).
     */
    public JsonNode apply(byte[] plan, boolean allowDestructive, Consumer<String> progress) {
        HttpResponse<Stream<String>> r = send(request("apply" + (allowDestructive ? "?allowDestructive=true" : ""))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(plan))
                .build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            if (r.statusCode() != 200) {
                throw refused(r.statusCode(), String.join("\n", lines.toList()));
            }
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                JsonNode line = JSON.readTree(it.next());
                if (line.has("progress")) {
                    progress.accept(line.get("progress").asText());
                } else if (line.has("result")) {
                    return line.get("result");
                } else if (line.has("failure")) {
                    throw failure(line.get("failure"));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new RemoteError("REMOTE_UNREACHABLE", "the connection to " + base + " ended during the apply: "
                    + e.getMessage() + "; the server goes on with the step it runs and stops after it", List.of(),
                    "run `plan --url` again to see where it stands, then apply the new plan");
        }
        throw new RemoteError("REMOTE_UNREACHABLE", base + " ended the apply without a result; the server may still"
                + " be applying", List.of(), "run `plan --url` again to see where it stands");
    }

    /**
     * Asks the server to stop the apply it runs after the step that runs now (Ctrl-C at the client); quiet when the
     * server cannot be reached (the apply's own stream then reports how it ended).
     */
    public void stop() {
        try {
            http.send(request("stop").POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the apply's stream says how it ended
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest.Builder request(String route) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(AdminHandler.PATH + route));
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new RemoteError("REMOTE_UNREACHABLE", "nothing answers at " + base, List.of(), "is `serve` running"
                    + " there? (`serve` listens on [http_server_config] host and port)");
        } catch (HttpTimeoutException e) {
            throw new RemoteError("REMOTE_UNREACHABLE", base + " did not answer in time", List.of(), null);
        } catch (javax.net.ssl.SSLException e) {
            throw new RemoteError("REMOTE_UNREACHABLE", "TLS with " + base + " failed: " + e.getMessage(), List.of(),
                    "http:// for a server without use_ssl; for a self-signed certificate, trust it with"
                    + " DCM_JAVA_OPTS=\"-Xss4m -Djavax.net.ssl.trustStore=<file> -Djavax.net.ssl.trustStorePassword=...\"");
        } catch (IOException e) {
            throw new RemoteError("REMOTE_UNREACHABLE", "cannot reach " + base + ": " + e, List.of(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteError("REMOTE_UNREACHABLE", "cancelled: the request to " + base + " was abandoned (an"
                    + " apply there stops after the step it runs)", List.of(), null);
        }
    }

    private RemoteError refused(int status, String body) {
        if (status == 401) {
            return new RemoteError("REMOTE_UNAUTHORIZED", base + " refused the admin token (401)", List.of(),
                    "pass the token `generate hash-token` printed with --token or DCM_ADMIN_TOKEN; the server's"
                    + " [authentication] admin_api_key must be its hash");
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n.has("code")) {
                return failure(n);
            }
            return new RemoteError("REMOTE_FAILED", base + " answered " + status + ": " + n.path("error").asText(body),
                    List.of(), null);
        } catch (IOException e) {
            return new RemoteError("REMOTE_FAILED", base + " answered " + status, List.of(), "is it a dcm shell's"
                    + " `serve`?");
        }
    }

    private static RemoteError failure(JsonNode n) {
        List<String> evidence = new ArrayList<>();
        n.path("evidence").forEach(e -> evidence.add(e.asText()));
        String hint = n.path("hint").asText("");
        return new RemoteError(n.path("code").asText("REMOTE_FAILED"), n.path("error").asText(), evidence,
                hint.isEmpty() ? null : hint);
    }
}
