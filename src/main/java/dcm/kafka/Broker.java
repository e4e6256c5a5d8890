package dcm.kafka;

import dcm.config.BrokerConfig;
import dcm.core.live.LiveTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The broker adapter over kafka-clients: reads topics and peeks at records. Works with Apache Kafka and Redpanda.
 * Timeouts are short so a broker that is down is reported in seconds, not minutes.
 */
public final class Broker implements AutoCloseable {
    private final BrokerConfig config;
    private Admin admin;

    public Broker(BrokerConfig config) {
        this.config = config;
    }

    /** The configured bootstrap address. */
    public String address() {
        return config.broker();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = new KafkaClients(config).admin();
        }
        return admin;
    }

    /**
     * What was found at the broker's address: whether something listens there, whether it answered a cluster
     * description, and how long that took. A refused connection is known at once; a broker that listens is given
     * its patience (a busy machine makes a live broker slow, not absent); a refusal of the login or of the
     * certificate ends the probe at once. {@code problem} is the last error the broker's answers gave, or null.
     */
    public record Probe(boolean listening, boolean answers, long waitedMillis, String problem) {}

    /** Probes the broker, waiting up to {@code patienceMillis} for an answer once something listens. */
    public Probe probe(long patienceMillis) {
        long t0 = System.nanoTime();
        if (Tcp.reach(config.host(), config.port(), 2000) != Tcp.Reach.OPEN) {
            return new Probe(false, false, (System.nanoTime() - t0) / 1_000_000, null);
        }
        long deadline = t0 + patienceMillis * 1_000_000;
        String last = null;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            try {
                admin().describeCluster().nodes().get(Math.max(1, left), TimeUnit.MILLISECONDS);
                return new Probe(true, true, (System.nanoTime() - t0) / 1_000_000, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                last = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                if (cause instanceof org.apache.kafka.common.errors.AuthenticationException
                        || cause instanceof org.apache.kafka.common.errors.AuthorizationException) {
                    // a wrong password or certificate does not get better with patience
                    return new Probe(true, false, (System.nanoTime() - t0) / 1_000_000, last);
                }
                if (System.nanoTime() >= deadline) {
                    break;
                }
                // a broker still starting refuses requests for a moment: ask again until the patience ends
                try {
                    Thread.sleep(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return new Probe(Tcp.open(config.host(), config.port(), 2000), false, (System.nanoTime() - t0) / 1_000_000,
                last);
    }

    /** True when a broker answers a cluster description within {@code millis}. */
    public boolean answers(long millis) {
        return probe(millis).answers();
    }

    /** A one-line description: cluster id and node count. */
    public String describe() {
        DescribeClusterResult r = admin().describeCluster();
        return "cluster " + get(r.clusterId()) + ", " + get(r.nodes()).size() + " node(s)";
    }

    /** The topic names (internal topics excluded). */
    public Set<String> topicNames() {
        return get(admin().listTopics(new ListTopicsOptions().listInternal(false)).names());
    }

    /** Every non-internal topic with partitions, replication and retention, in name order. */
    public List<LiveTopic> topics() {
        Set<String> names = topicNames();
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions = get(admin().describeTopics(names).allTopicNames());
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = get(admin().describeConfigs(resources).all());
        List<LiveTopic> out = new ArrayList<>();
        for (TopicDescription d : new TreeMap<>(descriptions).values()) {
            Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, d.name()));
            long retention = c == null || c.get("retention.ms") == null ? -1
                    : Long.parseLong(c.get("retention.ms").value());
            out.add(new LiveTopic(d.name(), d.partitions().size(), d.partitions().get(0).replicas().size(),
                    retention));
        }
        return out;
    }

    /** Creates a topic with partitions, replication and retention. */
    public void createTopic(String name, int partitions, int replication, long retentionMs) {
        org.apache.kafka.clients.admin.NewTopic t = new org.apache.kafka.clients.admin.NewTopic(name, partitions,
                (short) replication).configs(Map.of("retention.ms", Long.toString(retentionMs)));
        try {
            get(admin().createTopics(List.of(t)).all());
        } catch (BrokerException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.InvalidReplicationFactorException r) {
                // more copies than brokers: say which setting asks for them
                throw new BrokerException("topic " + name + ": [redpanda_config] replication_factor = " + replication
                        + " needs as many brokers, and the broker at " + config.broker() + " says: " + r.getMessage()
                        + "; lower replication_factor, or add brokers", r);
            }
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
        awaitListed(name);
    }

    /**
     * The controller acknowledges a new topic before every broker's metadata has it: wait (10 s at most) until the
     * topic is listed, so what runs next (a sync starting, a plan reading the live state) sees it.
     */
    private void awaitListed(String name) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!topicNames().contains(name) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A topic's id (it changes when the topic is deleted and created again), or "" when the broker gives none. */
    public String topicId(String name) {
        try {
            TopicDescription d = get(admin().describeTopics(List.of(name)).allTopicNames()).get(name);
            org.apache.kafka.common.Uuid id = d == null ? null : d.topicId();
            return id == null || id.equals(org.apache.kafka.common.Uuid.ZERO_UUID) ? "" : id.toString();
        } catch (BrokerException e) {
            return "";
        }
    }

    /**
     * Records of a topic not yet committed by a consumer group: per partition, the last stable offset (what a
     * {@code read_committed} consumer can reach) minus the group's committed offset (0 when none, or when it lies
     * beyond the end), summed; 0 for a topic that does not exist. A few admin round trips, no consumer.
     */
    public long lag(String group, String topic) {
        TopicDescription d;
        try {
            d = get(admin().describeTopics(List.of(topic)).allTopicNames()).get(topic);
        } catch (BrokerException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return 0;   // no topic, nothing to wait for
            }
            throw e;
        }
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> ask = new java.util.HashMap<>();
        d.partitions().forEach(p -> ask.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                org.apache.kafka.clients.admin.OffsetSpec.latest()));
        var ends = get(admin().listOffsets(ask, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all());
        var committed = get(admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        long total = 0;
        for (var e : ends.entrySet()) {
            var c = committed.get(e.getKey());
            total += partitionLag(e.getValue().offset(), c == null ? -1 : c.offset());
        }
        return total;
    }

    /**
     * What a group has left to read of a partition ending at {@code end}, having committed {@code committed} (-1:
     * nothing): all of it when nothing was committed, or when the commit lies beyond the end (the topic was deleted
     * and created again: the sync reads it all again).
     */
    public static long partitionLag(long end, long committed) {
        return committed < 0 || committed > end ? end : end - committed;
    }

    /**
     * The newest record timestamp (epoch ms) in a topic, across its partitions, or empty when it holds no record (or
     * does not exist). One admin round trip ({@code OffsetSpec.maxTimestamp}), no consumer.
     */
    public java.util.OptionalLong lastRecordMillis(String topic) {
        TopicDescription d;
        try {
            d = get(admin().describeTopics(List.of(topic)).allTopicNames()).get(topic);
        } catch (BrokerException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return java.util.OptionalLong.empty();
            }
            throw e;
        }
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> ask = new java.util.HashMap<>();
        d.partitions().forEach(p -> ask.put(new TopicPartition(topic, p.partition()),
                org.apache.kafka.clients.admin.OffsetSpec.maxTimestamp()));
        long newest = -1;
        for (var e : get(admin().listOffsets(ask).all()).values()) {
            // a partition without records answers offset -1 and timestamp -1
            if (e.offset() >= 0) {
                newest = Math.max(newest, e.timestamp());
            }
        }
        return newest < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(newest);
    }

    /** Deletes a topic (no error when it is already gone). */
    public void deleteTopic(String name) {
        try {
            get(admin().deleteTopics(List.of(name)).all());
        } catch (BrokerException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
    }

    /** Raises a topic's partition count to {@code total}. */
    public void addPartitions(String name, int total) {
        get(admin().createPartitions(Map.of(name, org.apache.kafka.clients.admin.NewPartitions.increaseTo(total)))
                .all());
    }

    /** Sets a topic's retention.ms. */
    public void setRetention(String name, long retentionMs) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
        org.apache.kafka.clients.admin.AlterConfigOp op = new org.apache.kafka.clients.admin.AlterConfigOp(
                new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", Long.toString(retentionMs)),
                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
        get(admin().incrementalAlterConfigs(Map.of(r, List.of(op))).all());
    }

    /** The last {@code n} records of a topic across its partitions, oldest first. */
    public List<TopicRecord> peek(String topic, int n) {
        try (KafkaConsumer<String, String> consumer = new KafkaClients(config).reader(8000, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(8)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(parts);
            for (TopicPartition tp : parts) {
                consumer.seek(tp, Math.max(begins.get(tp), ends.get(tp) - n));
            }
            List<TopicRecord> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!reachedEnd(consumer, parts, ends) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        Map<String, String> headers = new java.util.LinkedHashMap<>();
                        r.headers().forEach(h -> headers.put(h.key(), h.value() == null ? ""
                                : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
                        out.add(new TopicRecord(r.partition(), r.offset(), r.timestamp(), r.key(), r.value(),
                                headers));
                    }
                }
            }
            out.sort(Comparator.comparingLong(TopicRecord::timestamp).thenComparingInt(TopicRecord::partition)
                    .thenComparingLong(TopicRecord::offset));
            return out.subList(Math.max(0, out.size() - n), out.size());
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> c, List<TopicPartition> parts, Map<TopicPartition, Long> ends) {
        return parts.stream().allMatch(tp -> c.position(tp) >= ends.get(tp));
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String where = Tcp.open(config.host(), config.port(), 2000) ? " (it accepts connections: slow, not absent)"
                    : " (nothing listens there now)";
            throw new BrokerException("the broker at " + config.broker() + " did not answer" + where + ": "
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                    cause);
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
