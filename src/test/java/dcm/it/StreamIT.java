package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.TestProjects;
import dcm.Wait;
import dcm.clickhouse.ClickHouse;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest routes, the ingest command and the syncs against the real broker and ClickHouse. */
class StreamIT {
    static final String MODEL = "record Ev(@Key String id, String user, int n, Instant at) {}\n"
            + "new IngestPipeline<>(\"Ev\", Ev.class).orderBy(\"id\");\n";
    @TempDir
    Path dir;
    String db;
    Map<String, String> env;
    ClickHouse ch;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        TestServers.Isolated iso = TestServers.isolated("st");
        db = iso.db();
        env = iso.env();
        ch = iso.clickhouse();
        TestProjects.create(dir, Map.of("ev.jsh", MODEL));
        assertEquals(0, shell("apply --yes").exitCode());
    }

    @AfterEach
    void tearDown() {
        ch.execute("DROP DATABASE IF EXISTS `" + db + "`");
        ch.close();
    }

    private TestProjects.Run shell(String commands) {
        return TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c", commands);
    }

    /** The rows of Ev_1_0 that match {@code where} (null: all). */
    private long count(String where) {
        return RowCount.rows(ch, db, "Ev_1_0", where);
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String ev(String id, int n) {
        return "{\"id\":\"" + id + "\",\"user\":\"u\",\"n\":" + n + ",\"at\":\"2024-05-01T12:00:00Z\"}";
    }

    @Test
    void routesLandRecordsExactlyOnceAndABadRecordSpoilsItsWholeRequest() throws Exception {
        Served served = serve(40);
        int port = served.port();
        assertEquals(200, post(port, "/ingest/Ev/1.0", ev("a", 1)).statusCode());
        HttpResponse<String> r = post(port, "/ingest/Ev", "[" + ev("b", 2) + "," + ev("c", 3) + "]");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(200, post(port, "/ingest/Ev", ev("d", 4) + "\n" + ev("e", 5) + "\n").statusCode());
        RowCount.await(ch, db, "Ev_1_0", null, 5, Duration.ofSeconds(60));

        r = post(port, "/ingest/Ev/1.0", ev("x1", 1) + "\n" + ev("x2", 2).replace("\"n\":2", "\"n\":\"two\""));
        assertEquals(400, r.statusCode());
        JsonNode err = new ObjectMapper().readTree(r.body());
        assertEquals(1, err.get("record").asInt());
        assertEquals("n", err.get("field").asText());
        assertTrue(err.get("error").asText().contains("nothing of this request was accepted"), r.body());
        assertEquals(404, post(port, "/ingest/Ev/9.9", ev("y", 1)).statusCode());
        // what cannot be stored as sent: each a 400 naming record and field, and nothing of the request lands
        r = post(port, "/ingest/Ev", ev("x3", 1).replace("\"n\":1", "\"n\":1,\"n\":2"));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("n", new ObjectMapper().readTree(r.body()).get("field").asText(), r.body());
        r = post(port, "/ingest/Ev", "{\"id\":" + "[".repeat(1200) + "]".repeat(1200) + "}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("nested deeper than 64 levels"), r.body());
        r = post(port, "/ingest/Ev", "");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("the body holds no record"), r.body());
        assertEquals(413, post(port, "/ingest/Ev", " ".repeat(17 * 1024 * 1024)).statusCode());
        assertEquals(200, post(port, "/ingest/Ev", ev("marker", 9)).statusCode());
        RowCount.await(ch, db, "Ev_1_0", null, 6, Duration.ofSeconds(60));
        assertEquals(0, count("id LIKE 'x%'"), "nothing of the bad request landed");
        assertEquals("15\t5", ch.scalar("SELECT sum(n), uniqExact(id) FROM `" + db + "`.Ev_1_0 WHERE id != 'marker'"
                + " FORMAT TabSeparated"), "each record of the good requests landed exactly once");
        served.run().cancel(true);
    }

    @Test
    void ingestFilesJsonLinesAndCsvWithASummaryOfRejects() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 25_000; i++) {
            jsonl.append(ev("j" + i, 1)).append('\n');
            if (i == 9) {
                jsonl.append("{\"id\":\"broken\",\n");
            }
        }
        jsonl.append("{\"id\":\"bad\",\"user\":\"u\",\"n\":1}\n");
        Files.writeString(dir.resolve("events.jsonl"), jsonl);
        Files.writeString(dir.resolve("events.csv"), "id,user,n,at\nc1,u,2,2024-05-01 10:00:00\nc2,u,x,2024-05-01\n"
                + "\"c,3\",\"u \"\"q\"\"\",3,2024-05-01T10:00:00Z\n");
        TestProjects.Run r = shell("sync start; ingest Ev@1.0 events.jsonl");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("ingested 25000 of 25002 record(s) into " + db + ".Ev_1_0; rejected 2:"), r.err());
        assertTrue(r.err().contains("line 11: record 10: invalid JSON at line 11"), r.err());
        assertTrue(r.err().contains("line 25002: record 25001, field 'at': missing (required DateTime)"), r.err());
        r = shell("sync start; ingest Ev events.csv");
        assertTrue(r.err().contains("line 3: record 1, field 'n': expected an integer (Int32), got \"x\""), r.err());
        r = shell("sync start; sync wait; sync status");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(25_002, count(null));
        assertEquals("u \"q\"", ch.scalar("SELECT user FROM `" + db + "`.Ev_1_0 WHERE id = 'c,3' FORMAT TSVRaw"));
        // the landed log keeps one row per sync, kind and partition once merged: the furthest offset
        String log = "`" + db + "`._dcm_sync_log";
        assertEquals(ch.scalar("SELECT count(), sum(e) FROM (SELECT grp, kind, partition, max(end_offset) AS e FROM "
                + log + " GROUP BY grp, kind, partition) FORMAT TabSeparated"),
                ch.scalar("SELECT count(), sum(end_offset) FROM " + log + " FINAL FORMAT TabSeparated"));
    }

    @Test
    void aRecordTheTableCannotTakeGoesToTheDeadLetterTopic() throws Exception {
        String topic = db + ".Ev_1_0";
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:29092");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, ev("ok1", 1))).get();
            producer.send(new ProducerRecord<>(topic, "not json at all")).get();
            producer.send(new ProducerRecord<>(topic, ev("bad", 1).replace("\"n\":1", "\"n\":1.5"))).get();
            producer.send(new ProducerRecord<>(topic, ev("ok2", 2))).get();
        }
        TestProjects.Run r = shell("sync start; sync wait; sync status");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(2, count(null));
        List<ConsumerRecord<String, String>> dead = readAll(topic + ".dlq", 2);
        assertEquals(2, dead.size());
        assertTrue(new String(dead.get(1).headers().lastHeader("dcm.reason").value()).startsWith(
                "field 'n': expected an integer (Int32), got 1.5"), new String(dead.get(1).headers()
                .lastHeader("dcm.reason").value()));
        assertTrue(r.out().contains("dead letter: field 'n': expected an integer (Int32), got 1.5"),
                "the sync's last error says why: " + r.out());
        r = shell("peek " + topic + ".dlq");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().matches("(?s).*partition +offset +timestamp +key +value +reason\n.*not json at all +not JSON.*"),
                r.out());
        assertTrue(r.out().contains("field 'n': expected an integer (Int32), got 1.5"), r.out());
    }

    @Test
    void onlyRecordsTaggedWithTheSchemaFingerprintSkipValidation() throws Exception {
        // the fingerprint as our own ingest tags a record it validated
        String topic = db + ".Ev_1_0";
        Files.writeString(dir.resolve("one.jsonl"), ev("f1", 1) + "\n");
        TestProjects.Run r = shell("ingest Ev one.jsonl");
        assertEquals(0, r.exitCode(), r.err());
        byte[] fingerprint = readAll(topic, 1).get(0).headers().lastHeader("dcm.schema").value();
        // two records with a value no ClickHouse takes for an Int32: one tagged with the fingerprint (trusted, so
        // only ClickHouse refuses it), one with another schema's (validated, so the sync names the field)
        String bad = ev("f2", 2).replace("\"n\":2", "\"n\":\"abc\"");
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:29092");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            ProducerRecord<String, String> tagged = new ProducerRecord<>(topic, bad);
            tagged.headers().add("dcm.schema", fingerprint);
            producer.send(tagged).get();
            ProducerRecord<String, String> stale = new ProducerRecord<>(topic, bad.replace("f2", "f3"));
            stale.headers().add("dcm.schema", "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            producer.send(stale).get();
        }
        r = shell("sync start; sync wait");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, count(null));
        List<ConsumerRecord<String, String>> dead = readAll(topic + ".dlq", 2);
        assertEquals(2, dead.size());
        Map<String, String> reasons = new java.util.HashMap<>();
        dead.forEach(d -> reasons.put(d.value().contains("f2") ? "tagged" : "stale",
                new String(d.headers().lastHeader("dcm.reason").value())));
        assertTrue(reasons.get("tagged").startsWith("ClickHouse refused it"), reasons.toString());
        assertTrue(reasons.get("stale").startsWith("field 'n': expected an integer"), reasons.toString());
    }

    @Test
    void aBatchClickHouseRefusesAsTsvLandsAsJsonAroundItsBadRow() throws Exception {
        String topic = db + ".Ev_1_0";
        Files.writeString(dir.resolve("one.jsonl"), ev("f1", 1) + "\n");
        TestProjects.Run r = TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "--json", "-c",
                "ingest Ev one.jsonl; sync start; sync wait; sync status");
        assertEquals(0, r.exitCode(), r.err());
        // our ingest's rows go as TSV
        assertTrue(r.out().contains("\"tsvRows\":1"), r.out());
        byte[] fingerprint = readAll(topic, 1).get(0).headers().lastHeader("dcm.schema").value();
        // tagged rows that all convert to TSV, one of them with a number no Int32 column takes (1.5): the TSV
        // insert is refused, the batch goes as JSON, and only that row goes to the dead letters
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:29092");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String value : List.of(ev("t1", 1), ev("t2", 2).replace("\"n\":2", "\"n\":1.5"), ev("t3", 3))) {
                ProducerRecord<String, String> tagged = new ProducerRecord<>(topic, value);
                tagged.headers().add("dcm.schema", fingerprint);
                producer.send(tagged).get();
            }
        }
        r = TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "--json", "-c",
                "sync start; sync wait; sync status");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, count(null));
        assertEquals(1, count("id = 't1'"));
        assertEquals(1, count("id = 't3'"));
        List<ConsumerRecord<String, String>> dead = readAll(topic + ".dlq", 1);
        assertEquals(1, dead.size());
        assertTrue(dead.get(0).value().contains("\"t2\""), dead.get(0).value());
        assertTrue(new String(dead.get(0).headers().lastHeader("dcm.reason").value()).startsWith(
                "ClickHouse refused it"), new String(dead.get(0).headers().lastHeader("dcm.reason").value()));
        assertTrue(r.out().contains("\"tsvRows\":0"), r.out());
    }

    @Test
    void aTableWithColumnsTheModelLacksGetsJsonRows() throws Exception {
        // with a column the model does not have, JSONEachRow (on 18.16) stores its type's default where a TSV
        // row naming its columns would store the column's DEFAULT: the sync sends JSON to such a table
        ch.execute("ALTER TABLE `" + db + "`.Ev_1_0 ADD COLUMN extra String DEFAULT 'dflt'");
        Files.writeString(dir.resolve("one.jsonl"), ev("x1", 1) + "\n");
        TestProjects.Run r = TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "--json", "-c",
                "ingest Ev one.jsonl; sync start; sync wait; sync status");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, count(null));
        assertTrue(r.out().contains("\"tsvRows\":0"), r.out());
    }

    @Test
    void aSecondShellDoesNotSyncATableAnotherOneSyncs() throws Exception {
        Served served = serve(15);
        TestProjects.Run r = shell("sync start");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("started 0 sync(s)") && r.out().contains("not started here: Ev@1.0 is synced by"
                + " sync@"), r.out());
        // the other process's sync shows here with its owner and lag, and `sync wait` waits for it
        assertEquals(200, post(served.port(), "/ingest/Ev", ev("remote", 1)).statusCode());
        r = shell("sync status; sync wait");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().matches("(?s).*Ev@1\\.0 +" + java.util.regex.Pattern.quote(db) + "\\.Ev_1_0 -> Ev_1_0 +runs in"
                + " sync@.*"), r.out());
        assertTrue(r.out().contains("all syncs caught up (1 of them in other processes)"), r.out());
        assertEquals(1, count("id = 'remote'"));
        assertEquals(0, served.run().get().exitCode());
        // with no sync anywhere: `sync wait` passes while nothing is behind, and fails once records wait
        r = shell("sync wait");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("no sync runs (here or elsewhere), and nothing is behind"), r.out());
        Files.writeString(dir.resolve("one.jsonl"), ev("waiting", 1) + "\n");
        assertEquals(0, shell("ingest Ev one.jsonl").exitCode());
        r = shell("sync wait");
        assertEquals(1, r.exitCode(), r.out());
        // lag counts offsets: the record and its transaction's commit marker
        assertTrue(r.err().contains("no sync runs here or in another process, and records wait in the topics (lag"
                + " 2)"), r.err());
        r = shell("sync start");
        assertTrue(r.out().contains("started 1 sync(s)"), "the lease is free once the first shell stopped: " + r.out());
    }

    @Test
    void pausedSyncKeepsRecordsInTheTopicUntilResumed() throws Exception {
        // a second model, synced alongside and never paused, gets a marker after Ev's records are in their topic:
        // once it landed, the paused sync had the same time to take them (waiting a while would let a slow sync
        // pass too)
        Files.writeString(dir.resolve("models/mk.jsh"), MODEL.replace("Ev", "Mk"));
        assertEquals(0, shell("apply --yes").exitCode());
        Files.writeString(dir.resolve("a.jsonl"), ev("p1", 1) + "\n" + ev("p2", 2) + "\n");
        Files.writeString(dir.resolve("marker.jsonl"), ev("marker", 1) + "\n");
        TestProjects.Run r = shell("sync start; sync pause Ev@1.0; ingest Ev a.jsonl; ingest Mk marker.jsonl;"
                + " sync wait; sync status");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(java.util.regex.Pattern.compile("(?m)^Ev@1\\.0 .* paused ").matcher(r.out()).find(), r.out());
        assertEquals(1, RowCount.rows(ch, db, "Mk_1_0"), "the marker landed after Ev's records were sent");
        assertEquals(0, count(null));
        r = shell("sync start; sync wait");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(2, count(null));
    }

    @Test
    void peekOrdersATableByEachColumnOfAMultiColumnKey() throws Exception {
        ch.execute("CREATE TABLE `" + db + "`.`multi` (a String, b UInt32, c String) ENGINE = MergeTree()"
                + " ORDER BY (a, b)");
        ch.execute("INSERT INTO `" + db + "`.`multi` VALUES ('x', 2, 'x2'), ('y', 1, 'y1'), ('x', 10, 'x10'),"
                + " ('a', 5, 'a5')");
        TestProjects.Run r = shell("peek multi -n 3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("last 3 rows of multi by a, b\na  b   c\nx  2   x2\nx  10  x10\ny  1   y1\n"),
                r.out());
    }

    /** A `serve` running in the background on a free port, and its eventual result. */
    private record Served(int port, CompletableFuture<TestProjects.Run> run) {}

    /** Starts `serve` on a free port for {@code seconds} and waits until it listens. */
    private Served serve(int seconds) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CompletableFuture<TestProjects.Run> run = CompletableFuture.supplyAsync(() -> shell("serve --port " + port
                + " --for " + seconds));
        waitForPort(port);
        return new Served(port, run);
    }

    /** The first {@code expected} records of a topic, or more if they come in the same poll; fails after 15 s. */
    private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:29092");
        p.put("group.id", "it-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> out = new java.util.ArrayList<>();
            return Wait.until(expected + " record(s) in " + topic, Duration.ofSeconds(15), () -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out;
            }, got -> got.size() >= expected);
        }
    }

    private static void waitForPort(int port) {
        Wait.until("serve to listen on port " + port, Duration.ofSeconds(60), () -> {
            try (java.net.Socket s = new java.net.Socket("localhost", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }
}
