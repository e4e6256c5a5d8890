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
    void send(byte[] value, String reason) {
        sendAll(java.util.List.of(value), reason);
    }

    /** Writes dead letters with one reason, all at once, and waits for the broker's acknowledgement of each. */
    synchronized void sendAll(java.util.List<byte[]> values, String reason) {
        if (producer == null) {
            producer = new KafkaClients(broker).producer(new ByteArraySerializer(), new ByteArraySerializer());
        }
        byte[] why = reason.getBytes(StandardCharsets.UTF_8);
        byte[] where = table.getBytes(StandardCharsets.UTF_8);
        java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>(values.size());
        try {
            for (byte[] value : values) {
                ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, value);
                rec.headers().add("dcm.reason", why);
                rec.headers().add("dcm.table", where);
                sent.add(producer.send(rec));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
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
