package dcm.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Bad requests to the ingest routes of a {@code serve} running as its own process on the guard's project: each
 * answered with its status and a body naming the record and field; after each, a good request is answered 200 (the
 * server is alive); at the end every good record landed once and nothing of a bad request did.
 */
final class BadIngestPayloads extends BadInputs {
    private final HttpClient http = HttpClient.newHttpClient();
    private Child serve;
    private int port;
    private int good;

    BadIngestPayloads(Suite suite) {
        super(suite);
    }

    @Override
    public String name() {
        return "ingest payloads";
    }

    @Override
    protected void add() {
        port = Poll.freePort();
        serve = guard.project().serve(port);
        String rec = Guard.record("bad1", 1);
        post("payload: malformed JSON", true, "{\"id\":\"bad0\",", 400, "invalid JSON");
        post("payload: wrong type", true, rec.replace("\"n\":1", "\"n\":\"two\""), 400, "\"field\":\"n\"");
        post("payload: missing field", false, "{\"id\":\"bad2\",\"user\":\"u\",\"n\":1}", 400, "\"field\":\"at\"");
        post("payload: null for a required field", false, rec.replace("\"user\":\"u\"", "\"user\":null"), 400,
                "\"field\":\"user\"");
        post("payload: unknown field", false, rec.replace("{", "{\"evil\":1,"), 400, "\"field\":\"evil\"");
        post("payload: Int32 overflow", false, rec.replace("\"n\":1", "\"n\":99999999999"), 400, "\"field\":\"n\"");
        post("payload: duplicate key", false, rec.replace("\"n\":1", "\"n\":1,\"n\":2"), 400, "\"field\":\"n\"");
        post("payload: nested 1200 deep", false, "{\"id\":" + "[".repeat(1200) + "]".repeat(1200) + "}", 400,
                "nested deeper");
        post("payload: empty body", false, "", 400, "holds no record");
        post("payload: a JSON number", false, "42", 400, "expected a JSON object");
        post("payload: one bad record of three", true, "[" + Guard.record("bad3", 1) + "," + rec.replace("\"n\":1",
                "\"n\":1.5") + "," + Guard.record("bad4", 1) + "]", 400, "\"record\":1", "nothing of this request");
        post("payload: oversize body (17 MiB)", true, " ".repeat(17 * 1024 * 1024), 413, "over the limit");
        bad("payload: invalid UTF-8", "payload", true, () -> {
            byte[] b = rec.replace("\"u\"", "\"u\u0001\"").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 1) {
                    b[i] = (byte) 0xff;
                }
            }
            return send("POST", "/ingest/Ev/1.0", HttpRequest.BodyPublishers.ofByteArray(b), 400);
        }, "UTF-8");
        request("payload: unknown model", true, "POST", "/ingest/Nope/1.0", 404, "no ingest route for Nope");
        request("payload: unknown version", true, "POST", "/ingest/Ev/9.9", 404, "no ingest route for Ev/9.9");
        request("payload: wrong method", false, "GET", "/ingest/Ev/1.0", 405, "use POST");
        request("payload: injection in the route", false, "POST", "/ingest/Ev%60%3B%20DROP%20TABLE%20canary/1.0", 404,
                "no ingest route");
        cases.add(new Case("payload: good records landed once, bad never", "payload", true, () -> {
            long expected = guard.expected();
            Poll.until(expected + " rows in Ev_1_0", 120, () -> guard.project().rows("Ev_1_0") >= expected);
            long bad = Long.parseLong(guard.project().clickhouse().scalar("SELECT count() FROM "
                    + dcm.core.Sql.table(guard.project().db(), "Ev_1_0") + " WHERE startsWith(id, 'bad')"
                    + " FORMAT TabSeparated"));
            Case.require(bad == 0, bad + " row(s) of bad requests landed");
            return Outcome.pass(good + " good request(s) between the bad ones; " + guard.project().rowsAndDistinct(
                    "Ev_1_0", "id") + " rows/distinct; 0 rows of bad requests | " + guard.intact());
        }));
    }

    /** The good request after each bad one was answered 200; the rows are counted by the last case. */
    @Override
    protected String afterCase() {
        return "alive: the next good request was answered 200";
    }

    private void post(String name, boolean inShort, String body, int status, String... expected) {
        bad(name, "payload", inShort, () -> send("POST", "/ingest/Ev/1.0", HttpRequest.BodyPublishers.ofString(body),
                status), expected);
    }

    private void request(String name, boolean inShort, String method, String path, int status, String... expected) {
        bad(name, "payload", inShort, () -> send(method, path, HttpRequest.BodyPublishers.ofString(
                Guard.record("bad9", 1)), status), expected);
    }

    /**
     * Sends the bad request, requires {@code status}, then a good one that must be answered 200 (counted, to land).
     * Returns the bad request's status and body.
     */
    private String send(String method, String path, HttpRequest.BodyPublisher body, int status) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
            Case.require(r.statusCode() == status, "expected " + status + ", got " + r.statusCode() + ": " + r.body());
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/ingest/Ev/1.0")).POST(HttpRequest.BodyPublishers.ofString(Guard.record("ok" + good, 1)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Case.require(ok.statusCode() == 200, "the good request after it: " + ok.statusCode() + " " + ok.body());
            good++;
            guard.landed(1);
            return r.statusCode() + " " + r.body();
        } catch (java.io.IOException e) {
            throw new Case.Failed("the server did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Case.Failed("interrupted");
        }
    }

    @Override
    public void close() {
        if (serve != null) {
            try {
                serve.stop(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
