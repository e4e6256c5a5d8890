package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.TestProjects;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell end to end (in-process, injected streams) against the real ClickHouse and broker. */
class ShellIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void servers() {
        TestServers.get();
    }

    private TestProjects.Run run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--project";
        all[1] = dir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return TestProjects.shell(TestServers.ENV, "", all);
    }

    @Test
    void theFoundationDoneWhenLine() {
        TestProjects.create(dir, TestProjects.exampleModels());
        TestProjects.Run r = run("-c", "infra up; ls; sql SELECT 1 AS one; infra status");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().matches("(?s).*clickhouse +http://localhost:28123 +yes +ClickHouse \\d+\\.\\d+.*"), r.out());
        assertTrue(r.out().matches("(?s).*broker +localhost:29092 +yes +(Apache Kafka 4\\.|Kafka-compatible).*"),
                r.out());
        assertTrue(r.out().contains("Users       1.0      table     Users_1_0 (missing)"), r.out());
        assertTrue(r.out().contains("UserEvents  1.0      pipeline  UserEvents_1_0 (missing)  UserEvents_1_0"
                + " (missing)  /ingest/UserEvents/1.0"), r.out());
        assertTrue(r.out().matches("(?s).*PageViews +1\\.0 +stream +- +PageViews_1_0 \\(missing\\) +/ingest/PageViews/1\\.0.*"),
                "a Stream has the route serve answers: " + r.out());
        assertTrue(r.out().contains("one\n1\n1 row(s)"), r.out());
    }

    @Test
    void anUnchangedProjectStartsFromTheCacheWithoutJShellUntilJavaIsTyped() throws Exception {
        TestProjects.create(dir, TestProjects.exampleModels());
        TestProjects.Run first = run("--debug", "-c", "ls");
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.err().contains("debug: JShell sessions started: 0 (models compiled at once"), first.err());
        TestProjects.Run again = run("--debug", "-c", "ls");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(first.out(), again.out());
        assertTrue(again.err().contains("debug: JShell sessions started: 0 (models from the cache"), again.err());
        // a Java line waits for the scripts: their records exist
        TestProjects.Run javaLine = run("--debug", "-c", "new User(\"u1\", \"n\", \"e\", 3, \"fr\", null).age()");
        assertEquals(0, javaLine.exitCode(), javaLine.err());
        assertTrue(javaLine.out().contains("3"), javaLine.out());
        assertTrue(javaLine.err().contains("debug: JShell sessions started: 1 (models from the cache"),
                javaLine.err());
        // a changed file is compiled again (at once: still no JShell), one that javac refuses is evaluated by JShell
        java.nio.file.Path users = dir.resolve("models/users.jsh");
        java.nio.file.Files.writeString(users, java.nio.file.Files.readString(users).replace("int age", "long age"));
        TestProjects.Run changed = run("--debug", "-c", "ls");
        assertTrue(changed.err().contains("debug: JShell sessions started: 0 (models compiled at once"),
                changed.err());
        java.nio.file.Files.writeString(users, java.nio.file.Files.readString(users).replace("long age", "lng age"));
        TestProjects.Run broken = run("--debug", "-c", "ls");
        assertTrue(broken.err().contains("debug: JShell sessions started: 1 (models evaluated by JShell)"),
                broken.err());
        assertTrue(broken.err().contains("models/users.jsh:2"), "JShell's diagnostic, at its line: " + broken.err());
    }

    @Test
    void lsJsonShowsWhatExistsLive() throws Exception {
        TestProjects.create(dir, TestProjects.exampleModels());
        TestServers.get().clickhouse().execute("DROP TABLE IF EXISTS `local`.`Users_1_0`");
        TestServers.get().clickhouse().execute("CREATE TABLE `local`.`Users_1_0` (id String) ENGINE = MergeTree()"
                + " ORDER BY id");
        TestProjects.Run r = run("--json", "-c", "ls");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode models = root.get("data").get("models");
        assertEquals(3, models.size());
        JsonNode users = models.get(2);
        assertEquals("Users", users.get("name").asText());
        assertEquals(true, users.get("tableExists").asBoolean());
        assertEquals("DELETION_PROTECTED", users.get("lifeCycle").asText());
        assertEquals(false, models.get(1).get("tableExists").asBoolean());
        TestServers.get().clickhouse().execute("DROP TABLE `local`.`Users_1_0`");
    }

    @Test
    void peekShowsTheLastRowsByOrderByAndTheLastTopicRecords() throws Exception {
        TestProjects.create(dir, TestProjects.exampleModels());
        var ch = TestServers.get().clickhouse();
        ch.execute("DROP TABLE IF EXISTS `local`.`Users_1_0`");
        ch.execute("CREATE TABLE `local`.`Users_1_0` (id String, name String) ENGINE = MergeTree() ORDER BY id");
        ch.execute("INSERT INTO `local`.`Users_1_0` VALUES ('u3','c'), ('u1','a'), ('u4','d'), ('u2','b')");
        TestProjects.Run r = run("-c", "peek Users -n 2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("last 2 rows of Users_1_0 by id\nid  name\nu3  c\nu4  d\n"), r.out());
        ch.execute("DROP TABLE `local`.`Users_1_0`");

        String topic = "it_peek_" + System.nanoTime();
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:29092");
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "{\"i\":" + i + "}")).get();
            }
        }
        r = run("--json", "-c", "peek " + topic + " -n 3");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode records = new ObjectMapper().readTree(r.out()).get("data").get("records");
        assertEquals(3, records.size(), r.out());
        assertEquals("{\"i\":4}", records.get(2).get("value").asText());
    }

    @Test
    void sqlRunsInTheProjectDatabaseAndReportsServerErrors() {
        TestProjects.create(dir, java.util.Map.of());
        TestProjects.Run r = run("-c", "sql CREATE TABLE IF NOT EXISTS sql_it (x UInt8) ENGINE = Memory;"
                + " sql INSERT INTO sql_it VALUES (7); sql SELECT sum(x) AS s FROM sql_it; sql DROP TABLE sql_it");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("s\n7\n1 row(s)"), r.out());
        r = run("-c", "sql SELECT nope FROM system.one");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("error: Code 47") || r.err().contains("Unknown identifier"), r.err());
    }

    @Test
    void aServerThatAnswersButRefusesTheLoginIsNotTakenForAbsent() {
        TestProjects.create(dir, java.util.Map.of());
        java.util.Map<String, String> env = new java.util.HashMap<>(TestServers.ENV);
        env.put("MOOSE_CLICKHOUSE_CONFIG__PASSWORD", "wrong");
        TestProjects.Run r = TestProjects.shell(env, "", "--project", dir.toString(), "-c", "sql SELECT 1");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("ClickHouse at http://localhost:28123 answers but refuses"), r.err());
        assertTrue(!r.err().contains("starting ClickHouse") && !r.err().contains("wrong"), "no second server is"
                + " started, and the password is not printed: " + r.err());
    }
}
