package dcm.ingest;

import dcm.config.BrokerConfig;
import dcm.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One transactional producer of an {@link Ingestor} and its thread: takes the next group of batches and commits it
 * in one transaction, then answers each batch of the group with the outcome. A producer whose transaction cannot
 * be aborted is closed and started again with its id (while the broker is away, this worker takes no group).
 */
final class GroupWorker {
    private final Ingestor ingestor;
    private final BrokerConfig config;
    private final String transactionalId;
    private final Thread thread;
    private volatile KafkaProducer<String, byte[]> producer;

    GroupWorker(Ingestor ingestor, BrokerConfig config, String transactionalId) {
        this.ingestor = ingestor;
        this.config = config;
        this.transactionalId = transactionalId;
        this.producer = create();
        this.thread = new Thread(this::run, "ingest-" + transactionalId.substring(transactionalId.lastIndexOf('-')
                + 1));
        thread.setDaemon(true);
    }

    private KafkaProducer<String, byte[]> create() {
        KafkaProducer<String, byte[]> p = new KafkaClients(config).transactionalProducer(transactionalId,
                new StringSerializer(), new ByteArraySerializer());
        try {
            p.initTransactions();
        } catch (KafkaException e) {
            p.close(Duration.ZERO);
            throw new IllegalStateException("the broker at " + config.broker() + " did not start a transaction: "
                    + e.getMessage(), e);
        }
        return p;
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!ingestor.closed()) {
            if (producer == null && !restart()) {
                continue;
            }
            List<Ingestor.Pending> group;
            try {
                group = ingestor.nextGroup(200);
            } catch (InterruptedException e) {
                return;
            }
            if (!group.isEmpty()) {
                commit(group);
            }
        }
    }

    /** Commits the group in one transaction and answers each of its batches. */
    private void commit(List<Ingestor.Pending> group) {
        RuntimeException failure = null;
        boolean committing = false;
        boolean committed = false;
        // the first send that failed: what the transaction's later errors ("in an error state") stand for
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        Callback sent = (metadata, e) -> {
            if (e != null) {
                firstFailure.compareAndSet(null, e);
            }
        };
        try {
            producer.beginTransaction();
            for (Ingestor.Pending p : group) {
                Batch b = p.batch;
                for (int i = 0; i < b.size(); i++) {
                    ProducerRecord<String, byte[]> rec = new ProducerRecord<>(b.topic(), b.key(i), b.value(i));
                    rec.headers().add(Schema.HEADER, b.fingerprint());
                    producer.send(rec, sent);
                }
            }
            committing = true;
            producer.commitTransaction();
            committed = true;
        } catch (RuntimeException e) {
            failure = failed(e, firstFailure.get(), committing);
        } finally {
            // every batch of the group is answered, whatever happened (an Error too)
            ingestor.ended(group);
            if (!committed && failure == null) {
                failure = committing ? new Ingestor.OutcomeUnknown("the ingest failed while committing; the records"
                        + " may or may not have been accepted", null) : new IllegalStateException("the ingest failed"
                        + " before the commit; nothing of these records was accepted");
            }
            for (Ingestor.Pending p : group) {
                ingestor.release(p);
                if (committed) {
                    p.done.complete(null);
                } else {
                    p.done.completeExceptionally(failure);
                }
            }
        }
    }

    /** Aborts the transaction (or gives the producer up) and says what the batches' senders should know. */
    private RuntimeException failed(RuntimeException e, Exception firstFailure, boolean committing) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException abortFailed) {
            producer.close(Duration.ZERO);
            producer = null;
        }
        if (committing && e instanceof org.apache.kafka.common.errors.TimeoutException) {
            // the commit may still have happened: a retry could duplicate, so say so
            return new Ingestor.OutcomeUnknown("the broker did not confirm the commit in time; the records may or may"
                    + " not have been accepted: check before sending them again", e);
        }
        Exception cause = firstFailure != null ? firstFailure : e;
        return new IllegalStateException("the broker did not take the records: " + cause.getMessage(), cause);
    }

    /** Starts the producer again; false (after a pause) while the broker does not answer. */
    private boolean restart() {
        try {
            producer = create();
            return true;
        } catch (IllegalStateException e) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /** Waits for the group being committed (if any) to end. */
    void join() {
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        KafkaProducer<String, byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }
}
