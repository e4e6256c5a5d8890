package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code infra up / down / status} on its own ports: servers start under .moose/, stop without leaving processes,
 * and keep their data (rows and topic records) across a restart.
 */
class InfraIT {
    @TempDir
    Path dir;

    private static final Map<String, String> ENV = Map.of("MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", "38123",
            "MOOSE_CLICKHOUSE_CONFIG__NATIVE_PORT", "39000", "MOOSE_REDPANDA_CONFIG__BROKER", "localhost:39092");

    private TestProjects.Run run(String commands) {
        return TestProjects.shell(ENV, "", "--project", dir.toString(), "--no-infra", "-c", commands);
    }

    @Test
    void upDownAndRestartKeepData() throws Exception {
        TestProjects.create(dir, Map.of());
        try {
            TestProjects.Run r = run("infra status");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("clickhouse  http://localhost:38123  no"), r.out());

            r = run("infra up; sql CREATE TABLE kept (n UInt32) ENGINE = MergeTree() ORDER BY n;"
                    + " sql INSERT INTO kept SELECT number FROM system.numbers LIMIT 1000");
            assertEquals(0, r.exitCode(), r.err() + r.out());
            assertTrue(Files.exists(dir.resolve(".moose/clickhouse/data")), "data lives under .moose/");
            assertTrue(Files.exists(dir.resolve(".moose/kafka/data/meta.properties")));
            long chPid = pid("clickhouse/server.pid");
            long kPid = pid("kafka/broker.pid");
            produce("kept_topic", 25);

            r = run("infra down");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("clickhouse  http://localhost:38123  -          -        -    stopped"),
                    r.out());
            assertFalse(ProcessHandle.of(chPid).map(ProcessHandle::isAlive).orElse(false), "ClickHouse stopped");
            assertFalse(ProcessHandle.of(kPid).map(ProcessHandle::isAlive).orElse(false), "Kafka stopped");

            r = run("infra up; sql SELECT count() AS c, sum(n) AS s FROM kept; peek kept_topic -n 100; infra status");
            assertEquals(0, r.exitCode(), r.err() + r.out());
            assertTrue(r.out().contains("c     s\n1000  499500"), r.out());
            assertTrue(r.out().contains("last 25 record(s) of topic kept_topic"), r.out());
            assertTrue(r.out().matches("(?s).*broker +localhost:39092 +yes +Apache Kafka 4\\.\\d+\\.\\d+ \\(KRaft\\).*"),
                    r.out());
        } finally {
            run("infra down");
        }
    }

    private long pid(String file) throws Exception {
        return Long.parseLong(Files.readString(dir.resolve(".moose").resolve(file)).trim());
    }

    private static void produce(String topic, int n) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:39092");
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
            }
        }
    }
}
