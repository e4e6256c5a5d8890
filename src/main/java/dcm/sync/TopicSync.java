package dcm.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.config.BrokerConfig;
import dcm.ingest.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Lands one topic in one table: poll, batch by size and by time, insert into ClickHouse, and only then commit the
 * offsets. Partitions are assigned, not subscribed (no rebalance can rewind a batch), and a batch whose insert
 * failed for a connection reason is retried as it is, so restarts of the broker or ClickHouse lose nothing and
 * duplicate nothing. Records the table cannot take go to the dead-letter topic with the reason.
 */
final class TopicSync implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String topic;
    private final String table;
    private final Schema schema;
    private final ClickHouse ch;
    private final BrokerConfig broker;
    private final String group;
    private final int maxRows;
    private final long maxDelayMs;
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile String lastError = "";
    final AtomicLong rows = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    private volatile double rate;
    private volatile long lag = -1;
    private KafkaProducer<byte[], byte[]> dlq;

    TopicSync(String topic, String table, Schema schema, ClickHouse ch, BrokerConfig broker, String group,
              int maxRows, long maxDelayMs) {
        this.topic = topic;
        this.table = table;
        this.schema = schema;
        this.ch = ch;
        this.broker = broker;
        this.group = group;
        this.maxRows = maxRows;
        this.maxDelayMs = maxDelayMs;
    }

    String topic() { return topic; }
    String table() { return table; }
    boolean paused() { return paused; }
    void pause() { paused = true; }
    void resume() { paused = false; }
    void stop() { running = false; }
    double rate() { return rate; }
    long lag() { return lag; }
    String lastError() { return lastError; }

    @Override
    public void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> consumer = consumer()) {
                loop(consumer);
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                sleep(500);
            }
        }
        if (dlq != null) {
            dlq.close(Duration.ofSeconds(2));
        }
    }

    private void loop(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> parts = assign(consumer);
        long lastAssign = System.currentTimeMillis();
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        long batchStart = 0;
        long rateWindowStart = System.currentTimeMillis();
        long rateRows = 0;
        while (running) {
            if (System.currentTimeMillis() - lastAssign > 5_000) {
                parts = assign(consumer);
                lastAssign = System.currentTimeMillis();
                updateLag(consumer, parts);
            }
            if (paused && batch.isEmpty()) {
                sleep(100);
                continue;
            }
            if (!paused) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    if (batch.isEmpty()) {
                        batchStart = System.currentTimeMillis();
                    }
                    batch.add(r);
                }
            }
            boolean due = !batch.isEmpty() && (batch.size() >= maxRows || paused
                    || System.currentTimeMillis() - batchStart >= maxDelayMs);
            if (due) {
                flush(consumer, batch);
                rateRows += batch.size();
                batch.clear();
                lastError = "";
            }
            long now = System.currentTimeMillis();
            if (now - rateWindowStart >= 1000) {
                rate = rateRows * 1000.0 / (now - rateWindowStart);
                rateRows = 0;
                rateWindowStart = now;
            }
        }
    }

    private List<TopicPartition> assign(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (!consumer.assignment().containsAll(parts)) {
            consumer.assign(parts);
        }
        return parts;
    }

    private void updateLag(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> parts) {
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(2));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(parts),
                    Duration.ofSeconds(2));
            long total = 0;
            for (TopicPartition tp : parts) {
                OffsetAndMetadata c = committed.get(tp);
                total += ends.getOrDefault(tp, 0L) - (c == null ? 0 : c.offset());
            }
            lag = total;
        } catch (KafkaException e) {
            lag = -1;
        }
    }

    /** Current lag, read now (for `sync wait`). */
    long lagNow() {
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            updateLag(c, parts);
            return lag;
        }
    }

    /** Inserts the batch (retrying until ClickHouse takes it), then commits its offsets (retrying likewise). */
    private void flush(KafkaConsumer<String, byte[]> consumer, List<ConsumerRecord<String, byte[]>> batch) {
        List<byte[]> good = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            try {
                JsonNode n = JSON.readTree(r.value());
                good.add(schema.validate(n, 0).toString().getBytes(StandardCharsets.UTF_8));
            } catch (Schema.InvalidRecord e) {
                deadLetter(r, e.problem().field() == null ? e.problem().reason()
                        : "field '" + e.problem().field() + "': " + e.problem().reason());
            } catch (java.io.IOException | RuntimeException e) {
                deadLetter(r, "not JSON: " + e.getMessage());
            }
        }
        insertAll(good, batch);
        // the batch holds everything polled, so the positions are its end; unlike record offset + 1 they also
        // step over transaction markers, so a caught-up sync shows no lag
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
        }
        while (true) {
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
                break;
            } catch (KafkaException e) {
                lastError = "commit (will retry): " + e.getMessage();
                if (!running) {
                    break;
                }
                sleep(500);
            }
        }
        rows.addAndGet(good.size());
        batches.incrementAndGet();
    }

    private void insertAll(List<byte[]> good, List<ConsumerRecord<String, byte[]>> batch) {
        if (good.isEmpty()) {
            return;
        }
        while (true) {
            try {
                ch.insertJsonEachRow(table, join(good));
                return;
            } catch (ClickHouseException e) {
                if (e.unreachable() || e.code() == 0 || e.code() == 210 || e.code() == 159) {
                    lastError = "insert (will retry): " + e.getMessage();
                    sleep(500);
                    continue;
                }
                if (good.size() == 1) {
                    deadLetterRaw(good.get(0), "ClickHouse refused it: " + e.getMessage());
                    return;
                }
                // a data error: split to find the records the table cannot take
                int mid = good.size() / 2;
                insertAll(new ArrayList<>(good.subList(0, mid)), batch);
                insertAll(new ArrayList<>(good.subList(mid, good.size())), batch);
                return;
            }
        }
    }

    private static byte[] join(List<byte[]> rows) {
        int size = rows.stream().mapToInt(r -> r.length + 1).sum();
        byte[] out = new byte[size];
        int pos = 0;
        for (byte[] r : rows) {
            System.arraycopy(r, 0, out, pos, r.length);
            pos += r.length;
            out[pos++] = '\n';
        }
        return out;
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
        send(r.value(), reason + " (from " + r.topic() + "/" + r.partition() + "@" + r.offset() + ")");
    }

    private void deadLetterRaw(byte[] value, String reason) {
        send(value, reason);
    }

    private void send(byte[] value, String reason) {
        if (dlq == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.broker());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            dlq = new KafkaProducer<>(p);
        }
        ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(SyncManager.deadLetterTopic(topic), value);
        rec.headers().add("dcm.reason", reason.getBytes(StandardCharsets.UTF_8));
        rec.headers().add("dcm.table", table.getBytes(StandardCharsets.UTF_8));
        try {
            dlq.send(rec).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to the dead-letter topic: " + e.getMessage(), e);
        }
        deadLetters.incrementAndGet();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.broker());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.min(maxRows, 50_000)));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
