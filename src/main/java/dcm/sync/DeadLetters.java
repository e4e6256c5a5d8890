package dcm.sync;

import dcm.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import dcm.kafka.KafkaClients;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The dead-letter topic of one sync: a record the table cannot take goes there unchanged, with the reason and the
 * table in the headers {@code dcm.reason} and {@code dcm.table}. The producer starts on the first dead letter.
 */
final class DeadLetters implements AutoCloseable {
    private final BrokerConfig broker;
    private final String topic;
    private final String table;
    private KafkaProducer<byte[], byte[]> producer;

    DeadLetters(BrokerConfig broker, String topic, String table) {
        this.broker = broker;
        this.topic = topic;
        this.table = table;
    }

    /** Writes one dead letter and waits for the broker's acknowledgement. */
    synchronized void send(byte[] value, String reason) {
        if (producer == null) {
            producer = new KafkaClients(broker).producer(new ByteArraySerializer(), new ByteArraySerializer());
        }
        ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, value);
        rec.headers().add("dcm.reason", reason.getBytes(StandardCharsets.UTF_8));
        rec.headers().add("dcm.table", table.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(rec).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to the dead-letter topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
            producer = null;
        }
    }
}
