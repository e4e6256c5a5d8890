package dcm.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.config.BrokerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    private static final String NASTY = "p\"a\\ss w;o}r=d\n\u00e9'";

    private static BrokerConfig config(String protocol, String mechanism, String user, String password) {
        return new BrokerConfig("localhost:9093", 1000, 604_800_000L, 1, "", protocol, mechanism, user, password);
    }

    /** Every kind of client this tool makes, with its security settings. */
    private static List<Properties> allKinds(KafkaClients k) {
        return List.of(k.adminProperties(), k.readerProperties(8000), k.bulkReaderProperties(2000, 1 << 20, 1 << 20),
                k.syncConsumerProperties("g", 2000, 1 << 20, 1 << 20), k.committerProperties("g"),
                k.producerProperties(), k.bulkProducerProperties(5, 1 << 16), k.transactionalProperties("t-0"));
    }

    @Test
    void plaintextByDefaultAddsNothingButTheAddress() {
        BrokerConfig c = new BrokerConfig("localhost:19092", 1000, 1L, 1, "");
        assertEquals(Map.of(), KafkaClients.security(c));
        for (Properties p : allKinds(new KafkaClients(c))) {
            assertEquals("localhost:19092", p.get("bootstrap.servers"));
            assertFalse(p.containsKey("security.protocol"), p.toString());
            assertFalse(p.containsKey("sasl.jaas.config"), p.toString());
        }
    }

    @Test
    void sslAloneSetsOnlyTheProtocol() {
        assertEquals(Map.of("security.protocol", "SSL"), KafkaClients.security(config("ssl", "", "", "")));
    }

    @Test
    void everyClientGetsTheSameSaslSettings() {
        for (String protocol : List.of("SASL_SSL", "SASL_PLAINTEXT")) {
            for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")) {
                BrokerConfig c = config(protocol, mechanism, "alice", "s3cret");
                Map<String, Object> security = KafkaClients.security(c);
                assertEquals(protocol, security.get("security.protocol"));
                assertEquals(mechanism, security.get("sasl.mechanism"));
                String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                        : "org.apache.kafka.common.security.scram.ScramLoginModule";
                assertEquals(module + " required username=\"alice\" password=\"s3cret\";",
                        security.get("sasl.jaas.config"));
                for (Properties p : allKinds(new KafkaClients(c))) {
                    security.forEach((k, v) -> assertEquals(v, p.get(k), k + " in " + p.keySet()));
                }
            }
        }
    }

    @Test
    void perClientSettingsStay() {
        KafkaClients k = new KafkaClients(config("SASL_SSL", "PLAIN", "u", "p"));
        Properties sync = k.syncConsumerProperties("dcm-sync.db.T", 2000, 4 << 20, 2 << 20);
        assertEquals("read_committed", sync.get("isolation.level"));
        assertEquals("none", sync.get("auto.offset.reset"));
        assertEquals("false", sync.get("enable.auto.commit"));
        assertEquals("2000", sync.get("max.poll.records"));
        assertEquals(Integer.toString(4 << 20), sync.get("fetch.max.bytes"));
        assertEquals(Integer.toString(2 << 20), sync.get("max.partition.fetch.bytes"));
        assertEquals("dcm-sync.db.T.marks", k.committerProperties("dcm-sync.db.T").get("client.id"));
        Properties tx = k.transactionalProperties("dcm-ingest-1");
        assertEquals("dcm-ingest-1", tx.get("transactional.id"));
        assertEquals("true", tx.get("enable.idempotence"));
        assertEquals("30000", tx.get("delivery.timeout.ms"));
        assertEquals("all", k.producerProperties().get("acks"));
        assertEquals("30000", k.adminProperties().get("default.api.timeout.ms"));
        assertEquals("8000", k.readerProperties(8000).get("default.api.timeout.ms"));
    }

    @Test
    void theJaasLineReadsBackAnyPassword() {
        for (String password : List.of("plain", NASTY, "", "\\", "\"", "a\r\nb", "//not a comment", "/* nor */")) {
            for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256")) {
                String line = KafkaClients.jaas(mechanism, "bob \"the\" user", password);
                AppConfigurationEntry e = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(line)))
                        .configurationEntries().get(0);
                assertEquals(password, e.getOptions().get("password"), line);
                assertEquals("bob \"the\" user", e.getOptions().get("username"), line);
            }
        }
    }

    /** The clients accept the settings: made (they log in locally for PLAIN and SCRAM) and closed, no broker needed. */
    @Test
    void clientsAreMadeWithEachProtocolAndMechanism() {
        List<BrokerConfig> configs = List.of(config("", "", "", ""), config("SSL", "", "", ""),
                config("SASL_PLAINTEXT", "PLAIN", "u", NASTY), config("SASL_SSL", "SCRAM-SHA-256", "u", NASTY),
                config("SASL_SSL", "SCRAM-SHA-512", "u", "p"));
        for (BrokerConfig c : configs) {
            KafkaClients k = new KafkaClients(c);
            try (KafkaProducer<byte[], byte[]> p = k.producer(new ByteArraySerializer(), new ByteArraySerializer());
                 KafkaConsumer<byte[], byte[]> r = k.committer("g", new ByteArrayDeserializer(),
                         new ByteArrayDeserializer())) {
                assertTrue(p.metrics().size() > 0);
                assertTrue(r.metrics().size() > 0);
            }
            try (Admin a = k.admin()) {
                a.close(Duration.ZERO);
            }
        }
    }

    @Test
    void thePasswordIsNeverInTheConfigsText() {
        BrokerConfig c = config("SASL_SSL", "SCRAM-SHA-512", "alice", "hunter2-secret");
        assertFalse(c.toString().contains("hunter2-secret"), c.toString());
        assertTrue(c.toString().contains("saslPassword=****"), c.toString());
        assertTrue(c.toString().contains("alice"), c.toString());
    }

    /** Kafka's own view of the settings (what its clients would log) hides the JAAS line, and so the password. */
    @Test
    void kafkaHidesThePasswordInItsConfigs() {
        KafkaClients k = new KafkaClients(config("SASL_SSL", "SCRAM-SHA-256", "alice", "hunter2-secret"));
        Properties producer = k.producerProperties();
        producer.put("key.serializer", ByteArraySerializer.class.getName());
        producer.put("value.serializer", ByteArraySerializer.class.getName());
        Properties consumer = k.committerProperties("g");
        consumer.put("key.deserializer", ByteArrayDeserializer.class.getName());
        consumer.put("value.deserializer", ByteArrayDeserializer.class.getName());
        for (Object values : List.of(new org.apache.kafka.clients.producer.ProducerConfig(producer).values(),
                new org.apache.kafka.clients.consumer.ConsumerConfig(consumer).values(),
                new org.apache.kafka.clients.admin.AdminClientConfig(k.adminProperties()).values())) {
            assertFalse(values.toString().contains("hunter2-secret"), values.toString());
            assertTrue(values.toString().contains("sasl.jaas.config=[hidden]"), values.toString());
        }
    }
}
