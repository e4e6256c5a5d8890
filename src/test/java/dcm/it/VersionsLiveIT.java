package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The versions issue's proof: a producer posts to version 1.0's route the whole time (through `serve`, its syncs
 * in another process) while the project is bumped to 1.1 (a rename, a type change, a new field with a default, a
 * removed field) and then to 1.2, the applies killed (as kill -9) in the middle of their backfills and run again.
 * In the end every table holds exactly every row ever acknowledged, each once, with the mapped values; the alias
 * reads the latest; a row sent to the latest never appears in an old version.
 */
class VersionsLiveIT {
    static final String V10 = "record Ev(@Key String id, String name, String age, int legacy) {}\n"
            + "new IngestPipeline<>(\"Ev\", Ev.class);\n";
    static final String V11 = "record Ev(@Key String id, @RenamedFrom(\"name\") String fullName, short age,"
            + " @Default(\"'nl'\") String country) {}\nnew IngestPipeline<>(\"Ev\", Ev.class);\n";
    static final String V12 = "record Ev(@Key String id, String fullName, int age, String country,"
            + " @Default(\"length(fullName)\") int len) {}\nnew IngestPipeline<>(\"Ev\", Ev.class);\n";
    @TempDir
    Path dir;
    TestServers.Isolated iso;
    ClickHouse ch;
    String db;
    Process serve;
    final HttpClient http = HttpClient.newHttpClient();
    final AtomicLong acked = new AtomicLong();
    final AtomicBoolean producing = new AtomicBoolean(true);
    final List<String> producerErrors = new ArrayList<>();

    @BeforeEach
    void setUp() {
        iso = TestServers.isolated("vlive");
        db = iso.db();
        ch = iso.clickhouse();
        TestProjects.create(dir, Map.of("ev.jsh", V10));
    }

    @AfterEach
    void tearDown() throws Exception {
        producing.set(false);
        if (serve != null) {
            serve.destroyForcibly().waitFor();
        }
        iso.drop();
        ch.close();
    }

    private long count(String table) {
        return RowCount.rows(ch, db, table);
    }

    private TestProjects.Run run(String commands, String failpoint) {
        return TestProjects.launch(dir, iso.env(), commands, failpoint);
    }

    /** Posts batches of 20 records to /ingest/Ev/1.0 until told to stop; counts what the route acknowledged. */
    private Thread producer(int port) {
        Thread t = new Thread(() -> {
            long next = 0;
            while (producing.get()) {
                StringBuilder body = new StringBuilder();
                for (int i = 0; i < 20; i++, next++) {
                    body.append("{\"id\":\"e").append(next).append("\",\"name\":\"n").append(next).append("\",\"age\":\"")
                            .append(next % 100).append("\",\"legacy\":7}\n");
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/ingest/Ev/1.0")).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        acked.addAndGet(20);
                    } else {
                        synchronized (producerErrors) {
                            producerErrors.add(r.statusCode() + " " + r.body());
                        }
                        return;
                    }
                } catch (Exception e) {
                    synchronized (producerErrors) {
                        producerErrors.add(e.toString());
                    }
                    return;
                }
            }
        }, "producer");
        t.start();
        return t;
    }

    private int startServe() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(TestProjects.launcher().toString(), "--project", dir.toString(),
                "--no-infra", "-c", "serve --port " + port + " --for 600").redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve.log").toFile());
        pb.environment().putAll(iso.env());
        serve = pb.start();
        Wait.until("serve to listen on " + port, Duration.ofSeconds(90), () -> {
            try (java.net.Socket s = new java.net.Socket("localhost", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return port;
    }

    private void awaitRows(long more) {
        long target = acked.get() + more;
        Wait.until(target + " acknowledged records", Duration.ofSeconds(60), () -> acked.get() >= target
                || !producerErrors.isEmpty());
        assertEquals(List.of(), producerErrors);
    }

    @Test
    void aProducerWritingToTheFirstVersionThroughTwoBumpsAndCrashedBackfillsLosesAndRepeatsNothing()
            throws Exception {
        TestProjects.Run first = run("apply --yes", null);
        assertEquals(0, first.exitCode(), first.out() + first.err());
        int port = startServe();
        Thread producer = producer(port);
        awaitRows(2000);

        TestProjects.Run bumped = run("bump --yes", null);
        assertEquals(0, bumped.exitCode(), bumped.out() + bumped.err());
        Files.writeString(dir.resolve("models/ev.jsh"), V11);
        // killed right after the views are created (the syncs paused until the next apply resumes them) ...
        TestProjects.Run crashed = run("apply --yes", "backfill-after-views");
        assertEquals(137, crashed.exitCode(), crashed.out() + crashed.err());
        awaitRows(500);
        TestProjects.Run applied = run("apply --yes", null);
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        assertTrue((applied.out() + applied.err()).contains("resuming the interrupted backfill of Ev_1_1"),
                applied.out() + applied.err());
        awaitRows(2000);

        bumped = run("bump --yes", null);
        assertEquals(0, bumped.exitCode(), bumped.out() + bumped.err());
        assertTrue(Files.readString(dir.resolve("moose.config.toml")).contains("version = \"1.2\""));
        Files.writeString(dir.resolve("models/ev.jsh"), V12);
        // ... and right after a unit's attach, before its journal entry (the query log says it happened)
        crashed = run("apply --yes", "backfill-after-attach");
        assertEquals(137, crashed.exitCode(), crashed.out() + crashed.err());
        awaitRows(500);
        applied = run("apply --yes", null);
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        awaitRows(2000);

        producing.set(false);
        producer.join(30_000);
        assertEquals(List.of(), producerErrors);
        long total = acked.get();
        RowCount.await(ch, db, "Ev_1_0", null, total, Duration.ofSeconds(120));
        for (String table : List.of("Ev_1_0", "Ev_1_1", "Ev_1_2")) {
            assertEquals(total + "\t" + total, RowCount.rowsAndDistinct(ch, db, table, "id"), table);
        }
        assertEquals(total, RowCount.rows(ch, db, "Ev_1_2", "fullName = concat('n', substring(id, 2))"
                + " AND age = toUInt64(substring(id, 2)) % 100 AND country = 'nl' AND len = length(fullName)"));
        assertEquals(total, count("Ev"), "the alias reads the latest");
        assertTrue(ch.scalar("SELECT create_table_query FROM system.tables WHERE database = '" + db
                + "' AND name = 'Ev' FORMAT TabSeparated").contains("Ev_1_2"));
        ch.execute("INSERT INTO `" + db + "`.`Ev_1_2` (id, fullName, age, country, len) VALUES ('new', 'x', 1, 'de', 1)");
        assertEquals(total, count("Ev_1_0"), "nothing goes back in time");
        assertEquals(total, count("Ev_1_1"));
        TestProjects.Run plan = run("plan", null);
        assertTrue(plan.out().contains("no changes"), plan.out() + plan.err());
    }
}
