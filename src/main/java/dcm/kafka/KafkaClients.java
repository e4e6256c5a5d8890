package dcm.kafka;

import dcm.config.BrokerConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one place Kafka clients are configured: every admin, consumer and producer of this tool is made here from
 * {@code [redpanda_config]}, so all of them reach the same broker with the same security settings (TLS and/or SASL
 * with PLAIN or SCRAM, by config alone). Each kind of client the tool uses has its settings here too, with the
 * reason for each; the callers pick a kind and add only what is theirs (a group, a transactional id).
 *
 * <p>The {@code *Properties} methods are pure (for tests); the others create clients.
 */
public final class KafkaClients {
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";

    /** A key deserializer for readers that never need keys: skips them without even copying their bytes. */
    public static final Deserializer<Void> SKIP_KEYS = new Deserializer<>() {
        @Override
        public Void deserialize(String topic, byte[] data) {
            return null;
        }

        @Override
        public Void deserialize(String topic, org.apache.kafka.common.header.Headers headers,
                                java.nio.ByteBuffer data) {
            return null;
        }
    };

    private final BrokerConfig config;

    public KafkaClients(BrokerConfig config) {
        this.config = config;
    }

    /** The configuration the clients are made from. */
    public BrokerConfig config() {
        return config;
    }

    /**
     * What every client gets: the bootstrap address and, when configured, the security protocol and the SASL
     * mechanism and login (the password is only ever in {@code sasl.jaas.config}).
     */
    public static Properties base(BrokerConfig config) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.broker());
        if (!config.securityProtocol().isEmpty()) {
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, config.protocol());
        }
        if (config.sasl()) {
            p.put(SaslConfigs.SASL_MECHANISM, config.saslMechanism());
            p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(config.saslMechanism(), config.saslUsername(),
                    config.saslPassword()));
        }
        return p;
    }

    /**
     * The JAAS line for a SASL mechanism: PLAIN's login module for PLAIN, SCRAM's for SCRAM-SHA-256/512. The name
     * and password are quoted for JAAS's parser (a quote, a backslash or a line break in them is escaped), so any
     * password works and none ends the line early.
     */
    static String jaas(String mechanism, String username, String password) {
        String module = mechanism.startsWith("SCRAM-") ? SCRAM_LOGIN : PLAIN_LOGIN;
        return module + " required username=" + quote(username) + " password=" + quote(password) + ";";
    }

    /** A JAAS option value in double quotes, escaped as its tokenizer reads it back. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * The admin client's: generous timeouts (a broker that listens but is slow, on a busy machine, must not look
     * absent; absence is told at once by the refused connection, see {@link Broker#probe}), quick reconnects.
     */
    public Properties adminProperties() {
        Properties p = base(config);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "2000");
        // what Kafka makes of a set-up time-out above the maximum anyway, said so it does not warn at each start
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "2000");
        return p;
    }

    public Admin admin() {
        return Admin.create(adminProperties());
    }

    /**
     * A consumer that reads without a group and commits nothing (peek, benchmarks): answers within
     * {@code apiTimeoutMs} so a broker that is away is reported in seconds.
     */
    public Properties readerProperties(int apiTimeoutMs) {
        Properties p = base(config);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(apiTimeoutMs));
        return p;
    }

    public <K, V> KafkaConsumer<K, V> reader(int apiTimeoutMs, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(readerProperties(apiTimeoutMs), keys, values);
    }

    /**
     * A reader with a sync's fetch settings and no CRC checks, without its group or isolation: the benchmark's
     * plain consumer, at least as fast as a sync's could be.
     */
    public Properties bulkReaderProperties(int maxPollRecords, int fetchBytes, int partitionFetchBytes) {
        Properties p = base(config);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(fetchBytes));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(partitionFetchBytes));
        p.put(ConsumerConfig.CHECK_CRCS_CONFIG, "false");
        return p;
    }

    public <K, V> KafkaConsumer<K, V> bulkReader(int maxPollRecords, int fetchBytes, int partitionFetchBytes,
                                                 Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(bulkReaderProperties(maxPollRecords, fetchBytes, partitionFetchBytes), keys,
                values);
    }

    /**
     * A sync's consumer: assigned partitions, {@code read_committed}, never committing itself, no offset reset
     * (an offset out of range is the sync's to judge: a topic created again must not be read from a reset);
     * {@code maxPollRecords} per poll and fetches of the sync's memory share.
     */
    public Properties syncConsumerProperties(String group, int maxPollRecords, int fetchBytes,
                                             int partitionFetchBytes) {
        Properties p = base(config);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // small polls: the records a poll hands out are still in the CPU's caches when they are copied (measured:
        // 15 % less CPU on the consumer thread than polls of 50,000; 500 and 2,000 are alike)
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(fetchBytes));
        // large fetches: the consumer asks for a partition's next records only once it has handed out the last
        // ones, so small fetches leave it waiting on round trips while a backlog is there
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(partitionFetchBytes));
        // the sync never reads keys, and ClickHouse checks what it stores: no CRC checks
        p.put(ConsumerConfig.CHECK_CRCS_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(256 * 1024));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        return p;
    }

    public <K, V> KafkaConsumer<K, V> syncConsumer(String group, int maxPollRecords, int fetchBytes,
                                                   int partitionFetchBytes, Deserializer<K> keys,
                                                   Deserializer<V> values) {
        return new KafkaConsumer<>(syncConsumerProperties(group, maxPollRecords, fetchBytes, partitionFetchBytes),
                keys, values);
    }

    /**
     * The consumer that commits a sync's offsets for it (its marks): in the sync's group, never polls (the sync's
     * consumer reads without joining the group), and never commits by itself.
     */
    public Properties committerProperties(String group) {
        Properties p = base(config);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, group + ".marks");
        return p;
    }

    public <K, V> KafkaConsumer<K, V> committer(String group, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(committerProperties(group), keys, values);
    }

    /** A producer whose every record is acknowledged by all in-sync replicas (dead letters). */
    public Properties producerProperties() {
        Properties p = base(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    public <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(producerProperties(), keys, values);
    }

    /**
     * A producer that writes as fast as it can, acknowledged by the leader only (benchmarks filling a topic, as
     * another application would): records linger {@code lingerMs} to fill batches of {@code batchBytes}.
     */
    public Properties bulkProducerProperties(int lingerMs, int batchBytes) {
        Properties p = base(config);
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchBytes));
        return p;
    }

    public <K, V> KafkaProducer<K, V> bulkProducer(int lingerMs, int batchBytes, Serializer<K> keys,
                                                   Serializer<V> values) {
        return new KafkaProducer<>(bulkProducerProperties(lingerMs, batchBytes), keys, values);
    }

    /**
     * The ingest's transactional producer: idempotent, acknowledged by all, a request's records in one
     * transaction; waits follow {@code [redpanda_config] message_timeout_ms} (never shorter than 5 s a request,
     * 30 s a delivery), and a broker that is away blocks a send at most 15 s.
     */
    public Properties transactionalProperties(String transactionalId) {
        Properties p = base(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Math.max(30_000,
                config.messageTimeoutMs() + 5_000)));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.max(5_000, config.messageTimeoutMs())));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        return p;
    }

    public <K, V> KafkaProducer<K, V> transactionalProducer(String transactionalId, Serializer<K> keys,
                                                            Serializer<V> values) {
        return new KafkaProducer<>(transactionalProperties(transactionalId), keys, values);
    }

    /** The security settings alone (no address, no per-client settings), for tests and diagnostics. */
    static Map<String, Object> security(BrokerConfig config) {
        Map<String, Object> out = new java.util.TreeMap<>();
        base(config).forEach((k, v) -> {
            if (!k.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
                out.put((String) k, v);
            }
        });
        return out;
    }
}
