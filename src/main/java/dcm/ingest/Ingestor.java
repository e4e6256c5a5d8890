package dcm.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces validated records to a topic all-or-nothing: one Kafka transaction per request, acknowledged only when
 * the broker committed it. A small pool of transactional producers serves concurrent requests.
 */
public final class Ingestor implements AutoCloseable {
    private final BlockingQueue<KafkaProducer<String, byte[]>> pool;
    private final List<KafkaProducer<String, byte[]>> all;
    private final java.util.Map<KafkaProducer<String, byte[]>, Integer> ids = new java.util.concurrent.ConcurrentHashMap<>();

    private final BrokerConfig config;
    private final String prefix = "dcm-ingest-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    public Ingestor(BrokerConfig config, int producers) {
        this.config = config;
        pool = new ArrayBlockingQueue<>(producers);
        all = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int i = 0; i < producers; i++) {
            pool.add(create(i));
        }
    }

    private KafkaProducer<String, byte[]> create(int i) {
        KafkaProducer<String, byte[]> producer = new dcm.kafka.KafkaClients(config).transactionalProducer(prefix + i,
                new StringSerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new IllegalStateException("the broker at " + config.broker() + " did not start a transaction: "
                    + e.getMessage(), e);
        }
        all.add(producer);
        ids.put(producer, i);
        return producer;
    }

    /** Sends the records to {@code topic} in one transaction; returns when the broker committed it. */
    public void send(String topic, Schema schema, List<ObjectNode> records) {
        KafkaProducer<String, byte[]> producer;
        try {
            producer = pool.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (producer == null) {
            throw new IllegalStateException("all producers are busy; try again");
        }
        boolean broken = false;
        boolean committing = false;
        try {
            producer.beginTransaction();
            byte[] fingerprint = schema.fingerprint().getBytes(StandardCharsets.UTF_8);
            for (ObjectNode r : records) {
                ProducerRecord<String, byte[]> rec = new ProducerRecord<>(topic, schema.key(r),
                        r.toString().getBytes(StandardCharsets.UTF_8));
                rec.headers().add(Schema.HEADER, fingerprint);
                producer.send(rec);
            }
            committing = true;
            producer.commitTransaction();
        } catch (RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException abortFailed) {
                broken = true;
            }
            if (committing && e instanceof org.apache.kafka.common.errors.TimeoutException) {
                // the commit may still have happened: a retry could duplicate, so say so
                throw new OutcomeUnknown("the broker did not confirm the commit in time; the records may or may not"
                        + " have been accepted: check before sending them again", e);
            }
            throw new IllegalStateException("the broker did not take the records: " + e.getMessage(), e);
        } finally {
            if (broken) {
                replace(producer);
            } else {
                pool.add(producer);
            }
        }
    }

    /** The broker may or may not have committed a transaction. */
    public static final class OutcomeUnknown extends IllegalStateException {
        public OutcomeUnknown(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A producer whose transaction cannot be aborted is unusable: close it and start another with its id; while
     * the broker is away this happens in the background and the pool is one producer short.
     */
    private void replace(KafkaProducer<String, byte[]> broken) {
        int id = ids.remove(broken);
        all.remove(broken);
        broken.close(Duration.ZERO);
        Thread t = new Thread(() -> {
            while (!closed) {
                try {
                    pool.add(create(id));
                    return;
                } catch (IllegalStateException e) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }, "ingest-producer-" + id);
        t.setDaemon(true);
        t.start();
    }

    private volatile boolean closed;

    @Override
    public void close() {
        closed = true;
        all.forEach(p -> p.close(Duration.ofSeconds(5)));
    }
}
