package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.Wait;
import dcm.config.BrokerConfig;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TopicSpec;
import dcm.ingest.Batch;
import dcm.ingest.IngestServer;
import dcm.ingest.Ingestor;
import dcm.kafka.KafkaClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * Group commit against the real broker: a group whose transaction the broker fails (one of its records is larger
 * than the topic takes) fails each of its requests and leaves none of their records visible to read_committed
 * consumers, though its other records reached the log; the groups around it commit and are read once each. And a
 * request past the bound of waiting requests is refused at once: 503 with Retry-After, nothing sent. A record over
 * the producer's max.request.size is refused alone (413) before it joins a group; a failed group names its first
 * failed send's cause.
 */
class GroupCommitIT {
    private static final int MAX_MESSAGE_BYTES = 4_000;

    @Test
    void aFailedGroupLeavesNoneOfItsRecordsVisibleAndTheOtherGroupsCommit() throws Exception {
        BrokerConfig config = TestServers.get().config().broker();
        String topic = "group_commit_" + System.nanoTime();
        createTopic(config, topic, Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)));
        String small = keyOn(0, "s");
        String large = keyOn(1, "l");
        // two producers; groups close at 4 records and wait long for them, so each group is 4 requests exactly
        Ingestor.Settings settings = new Ingestor.Settings(2, 4, 64L << 20, 30_000_000L, true, 1_000, 64L << 20);
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        List<CompletableFuture<Void>> others = new ArrayList<>();
        try (Ingestor ingestor = new Ingestor(config, settings)) {
            for (int i = 0; i < 4; i++) {
                // the second request of the group holds the record the broker refuses
                String value = i == 1 ? "{\"v\":\"" + "x".repeat(MAX_MESSAGE_BYTES * 2) + "\"}" : "{\"v\":\"a" + i + "\"}";
                failed.add(ingestor.submit(one(topic, i == 1 ? large : small, value)));
            }
            for (int i = 0; i < 8; i++) {
                others.add(ingestor.submit(one(topic, i % 2 == 0 ? small : large, "{\"v\":\"b" + i + "\"}")));
            }
            for (CompletableFuture<Void> f : failed) {
                CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                        f::join);
                assertInstanceOf(IllegalStateException.class, e.getCause());
                assertFalse(e.getCause() instanceof Ingestor.OutcomeUnknown, e.getCause().getMessage());
                // the broker's reason for the refused record, not the transaction's "in an error state" after it
                assertFalse(e.getCause().getMessage().contains("error state"), e.getCause().getMessage());
                assertInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class,
                        e.getCause().getCause(), e.getCause().getMessage());
            }
            others.forEach(CompletableFuture::join);
            assertEquals(3, ingestor.groups()[0], "groups of 4 requests each");
        }
        List<String> committed = read(config, topic, "read_committed");
        List<String> all = read(config, topic, "read_uncommitted");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expected.add("{\"v\":\"b" + i + "\"}");
        }
        assertEquals(expected.stream().sorted().toList(), committed.stream().sorted().toList(),
                "read_committed sees each record of the committed groups once, none of the failed group's");
        // the failed group's first record (before the refused one) was written, then aborted: only the abort hides it
        assertTrue(all.contains("{\"v\":\"a0\"}"), "the failed group's records reached the log: " + all);
    }

    @Test
    void aRequestPastTheBoundIsRefusedWith503AndRetryAfter() throws Exception {
        BrokerConfig config = TestServers.get().config().broker();
        String topic = "group_bound_" + System.nanoTime();
        createTopic(config, topic, Map.of());
        List<ColumnSpec> cols = List.of(new ColumnSpec("id", "String", true, null, null));
        ModelSpec model = new ModelSpec("Bound", "1.0", cols, null, new TopicSpec(topic, 1, 3_600_000L,
                LifeCycle.FULLY_MANAGED), true, "test");
        // one producer whose group waits 3 s for company; one request may wait at a time
        Ingestor.Settings settings = new Ingestor.Settings(1, 1_000, 64L << 20, 3_000_000L, true, 1, 64L << 20);
        HttpClient http = HttpClient.newHttpClient();
        try (Ingestor ingestor = new Ingestor(config, settings);
             IngestServer server = new IngestServer("127.0.0.1", 0, () -> List.of(model), ingestor, 1 << 20)) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/ingest/Bound/1.0");
            CompletableFuture<HttpResponse<String>> first = http.sendAsync(post(uri, "{\"id\":\"first\"}"),
                    HttpResponse.BodyHandlers.ofString());
            Wait.until("the first request waiting for its group", Duration.ofSeconds(30),
                    () -> ingestor.waiting() == 1);
            HttpResponse<String> second = http.send(post(uri, "{\"id\":\"second\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, second.statusCode(), second.body());
            assertEquals("1", second.headers().firstValue("Retry-After").orElse(null));
            assertTrue(second.body().contains("nothing of this request was sent"), second.body());
            assertEquals(200, first.get().statusCode(), first.get().body());
        }
        assertEquals(List.of("{\"id\":\"first\"}"), read(config, topic, "read_committed"));
    }

    /**
     * A record over the producer's max.request.size (the body limit is larger) is refused alone, 413 naming it,
     * before it joins a group: the requests that would have shared its group commit.
     */
    @Test
    void aRecordLargerThanTheProducerSendsIsRefusedAloneAndItsNeighboursCommit() throws Exception {
        BrokerConfig config = TestServers.get().config().broker();
        String topic = "group_large_" + System.nanoTime();
        createTopic(config, topic, Map.of());
        List<ColumnSpec> cols = List.of(new ColumnSpec("id", "String", true, null, null), ColumnSpec.of("v",
                "String"));
        ModelSpec model = new ModelSpec("Large", "1.0", cols, null, new TopicSpec(topic, 2, 3_600_000L,
                LifeCycle.FULLY_MANAGED), true, "test");
        // groups of 3 requests exactly: the large one would have been in the first
        Ingestor.Settings settings = new Ingestor.Settings(1, 3, 64L << 20, 30_000_000L, true, 1_000, 64L << 20);
        HttpClient http = HttpClient.newHttpClient();
        try (Ingestor ingestor = new Ingestor(config, settings);
             IngestServer server = new IngestServer("127.0.0.1", 0, () -> List.of(model), ingestor, 16 << 20)) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/ingest/Large/1.0");
            String large = "{\"id\":\"l\",\"v\":\"" + "x".repeat(3 << 19) + "\"}";
            HttpResponse<String> refused = http.send(post(uri, "{\"id\":\"s0\",\"v\":\"a\"}\n" + large),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("\"record\":1") && refused.body().contains("record 1 is "),
                    refused.body());
            List<CompletableFuture<HttpResponse<String>>> small = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                small.add(http.sendAsync(post(uri, "{\"id\":\"s" + i + "\",\"v\":\"a\"}"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : small) {
                assertEquals(200, f.get().statusCode(), f.get().body());
            }
        }
        assertEquals(List.of("{\"id\":\"s1\",\"v\":\"a\"}", "{\"id\":\"s2\",\"v\":\"a\"}",
                "{\"id\":\"s3\",\"v\":\"a\"}"), read(config, topic, "read_committed").stream().sorted().toList());
    }

    /**
     * A group whose records go to a topic that does not exist fails with the reason of its first failed send (the
     * topic not in the metadata), not the "error state" the producer's later calls report after it.
     */
    @Test
    void aFailedGroupNamesItsFirstFailedSendsCause() {
        BrokerConfig config = TestServers.get().config().broker();
        String topic = "group_missing_" + System.nanoTime();
        Ingestor.Settings settings = new Ingestor.Settings(1, 1_000, 64L << 20, 0, false, 1_000, 64L << 20);
        try (Ingestor ingestor = new Ingestor(config, settings)) {
            Batch two = new Batch(topic, "test".getBytes(StandardCharsets.UTF_8), java.util.Arrays.asList("a", "b"),
                    List.of("{}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)));
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    ingestor.submit(two)::join);
            String message = e.getCause().getMessage();
            assertFalse(message.contains("error state") || message.contains("previous transactional"), message);
            assertTrue(message.contains(topic) && message.contains("metadata"), message);
        }
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static Batch one(String topic, String key, String value) {
        return new Batch(topic, "test".getBytes(StandardCharsets.UTF_8), List.of(key),
                List.of(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A key the default partitioner puts on {@code partition} of two. */
    private static String keyOn(int partition, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            if (Utils.toPositive(Utils.murmur2(k.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
                return k;
            }
        }
    }

    private static void createTopic(BrokerConfig config, String topic, Map<String, String> settings)
            throws Exception {
        try (Admin admin = new KafkaClients(config).admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) config.replicationFactor()).configs(
                    new HashMap<>(settings)))).all().get();
        }
    }

    /** Every record value of the topic a consumer at this isolation level reads, up to the end. */
    private static List<String> read(BrokerConfig config, String topic, String isolation) {
        Properties p = new KafkaClients(config).readerProperties(30_000);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Wait.until("reading " + topic + " to its end (" + isolation + ")", Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    out.add(r.value());
                }
                return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
        }
        return out;
    }
}
