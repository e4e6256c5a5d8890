package dcm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.Wait;
import dcm.config.BrokerConfig;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TopicSpec;
import dcm.ingest.Ingestor;
import dcm.ingest.Schema;
import dcm.it.TestServers;
import dcm.kafka.KafkaClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipelined file ingest failing mid-file against the real broker: the file's blocks are read and checked for
 * real, and the read fails (an IOException, or a RuntimeException from a block's check) after some blocks were
 * committed. The error is INGEST_PARTIAL naming exactly the records committed (counted in the topic), so a rerun
 * of the rest does not duplicate them; a failure before anything was sent stays INGEST_FILE.
 */
class PipelinedIngestIT {
    private static final int BLOCK = 10;

    @TempDir
    Path dir;

    private record Setup(String topic, Schema schema, Path file) {}

    private Setup setup() throws Exception {
        BrokerConfig config = TestServers.get().config().broker();
        String topic = "pipelined_" + System.nanoTime();
        try (Admin admin = new KafkaClients(config).admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) config.replicationFactor()))).all().get();
        }
        ModelSpec model = new ModelSpec("P", "1.0", List.of(new ColumnSpec("id", "String", true, null, null),
                ColumnSpec.of("n", "Int32")), null, new TopicSpec(topic, 1, 3_600_000L, LifeCycle.FULLY_MANAGED),
                true, "t");
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 5 * BLOCK; i++) {
            lines.append("{\"id\":\"r").append(i).append("\",\"n\":").append(i).append("}\n");
        }
        Path file = dir.resolve("p.jsonl");
        Files.writeString(file, lines);
        return new Setup(topic, new Schema(model), file);
    }

    /** Ingests the file's blocks, the read failing with {@code failure} when the {@code failAt}-th block is due. */
    private static AppError ingestFailing(Ingestor ingestor, Setup s, int failAt, Exception failure) {
        try (JsonLinesIngest blocks = new JsonLinesIngest(s.file(), s.topic(), s.schema(), BLOCK)) {
            int[] taken = {0};
            return assertThrows(AppError.class, () -> FileIngest.pipelined(ingestor, s.topic(), s.file(), "P",
                    (done, of) -> { }, () -> {
                        if (++taken[0] == failAt) {
                            if (failure instanceof IOException io) {
                                throw io;
                            }
                            throw (RuntimeException) failure;
                        }
                        return blocks.next();
                    }));
        }
    }

    @Test
    void aReadErrorAfterCommittedBlocksIsPartialNamingWhatWasCommitted() throws Exception {
        Setup s = setup();
        try (Ingestor ingestor = new Ingestor(TestServers.get().config().broker(), 1)) {
            AppError e = ingestFailing(ingestor, s, 3, new IOException("Input/output error"));
            assertEquals(AppError.Code.INGEST_PARTIAL, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("sent 20 valid record(s) (committed)"), e.getMessage());
            assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
            assertEquals(List.of("committed: the first 20 valid record(s) of p.jsonl"), e.evidence());
            assertEquals("send the rest again with `ingest P <a file without the first 20 records>`", e.hint());
        }
        assertEquals(ids(1, 20), read(s.topic()), "exactly the records the error names as committed");
    }

    @Test
    void aFailedCheckAfterCommittedBlocksIsPartialToo() throws Exception {
        Setup s = setup();
        try (Ingestor ingestor = new Ingestor(TestServers.get().config().broker(), 1)) {
            AppError e = ingestFailing(ingestor, s, 2, new IllegalStateException("a check failed"));
            assertEquals(AppError.Code.INGEST_PARTIAL, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("sent 10 valid record(s) (committed)"), e.getMessage());
            assertEquals("send the rest again with `ingest P <a file without the first 10 records>`", e.hint());
        }
        assertEquals(ids(1, 10), read(s.topic()));
    }

    @Test
    void aReadErrorBeforeAnythingWasSentIsAFileError() throws Exception {
        Setup s = setup();
        try (Ingestor ingestor = new Ingestor(TestServers.get().config().broker(), 1)) {
            AppError e = ingestFailing(ingestor, s, 1, new IOException("Input/output error"));
            assertEquals(AppError.Code.INGEST_FILE, e.code(), e.getMessage());
        }
        assertEquals(List.of(), read(s.topic()));
    }

    @Test
    void aRecordLargerThanTheProducerSendsMidFileIsPartialNamingIt() throws Exception {
        Setup s = setup();
        List<String> lines = new ArrayList<>(Files.readAllLines(s.file()));
        lines.set(14, "{\"id\":\"" + "x".repeat(3 << 19) + "\",\"n\":15}");
        Files.write(s.file(), lines);
        try (Ingestor ingestor = new Ingestor(TestServers.get().config().broker(), 1);
             JsonLinesIngest blocks = new JsonLinesIngest(s.file(), s.topic(), s.schema(), BLOCK)) {
            AppError e = assertThrows(AppError.class, () -> FileIngest.pipelined(ingestor, s.topic(), s.file(), "P",
                    (done, of) -> { }, blocks::next));
            assertEquals(AppError.Code.INGEST_PARTIAL, e.code(), e.getMessage());
            assertTrue(e.getMessage().startsWith("sent 10 valid record(s) (committed), then: valid record 15 is "),
                    e.getMessage());
            assertEquals("send the rest again with `ingest P <a file without the first 10 records>`", e.hint());
        }
        assertEquals(ids(1, 10), read(s.topic()));
    }

    private static List<String> ids(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add("{\"id\":\"r" + i + "\",\"n\":" + i + "}");
        }
        return out;
    }

    /** Every committed record value of the topic's one partition, in order. */
    private static List<String> read(String topic) {
        Properties p = new KafkaClients(TestServers.get().config().broker()).readerProperties(30_000);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = List.of(new TopicPartition(topic, 0));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Wait.until("reading " + topic + " to its end", Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    out.add(r.value());
                }
                return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
        }
        return out;
    }
}
