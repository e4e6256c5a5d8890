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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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
    private final DeadLetters deadLetterSink;
    private final byte[] fingerprint;
    private final java.util.concurrent.ExecutorService inserter;
    /** Batches handed to the insert thread, oldest first, each with the offsets to commit once it is in. */
    private final java.util.ArrayDeque<Pending> inFlight = new java.util.ArrayDeque<>();
    private static final int PIPELINE = 2;
    /**
     * ClickHouse codes that mean "this data does not fit" (cannot parse, type mismatch, bad value): only those
     * split a batch to dead-letter its bad rows. Anything else (server away, table briefly missing during a
     * rebuild's swap, too many parts, memory) is retried with the batch as it is.
     */
    private static final java.util.Set<Integer> DATA_ERRORS = java.util.Set.of(6, 26, 27, 32, 38, 41, 53, 69, 70,
            72, 117, 130, 131, 321, 349, 377);
    private final java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();

    private record Pending(java.util.concurrent.Future<Integer> insert, Map<TopicPartition, OffsetAndMetadata> offsets) {}

    private final LandedLog landedLog;
    private volatile String recovery = "";


    /** A sync holds its table's lease while it runs, refreshed well before it expires. */
    static final long LEASE_TTL_MS = 30_000;
    private final String lease;
    private final String owner;
    private long leaseRefreshed = System.currentTimeMillis();

    TopicSync(String topic, String table, Schema schema, ClickHouse ch, BrokerConfig broker, String group,
              int maxRows, long maxDelayMs, String lease, String owner) {
        this.lease = lease;
        this.owner = owner;
        this.topic = topic;
        this.table = table;
        this.schema = schema;
        this.ch = ch;
        this.broker = broker;
        this.group = group;
        this.maxRows = maxRows;
        this.maxDelayMs = maxDelayMs;
        this.fingerprint = schema.fingerprint().getBytes(StandardCharsets.UTF_8);
        this.landedLog = new LandedLog(ch, group);
        this.deadLetterSink = new DeadLetters(broker, SyncManager.deadLetterTopic(topic), table);
        this.inserter = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sync-insert-" + table);
            t.setDaemon(true);
            return t;
        });
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
            try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
                loop(consumer);
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                sleep(500);
            }
        }
        inserter.shutdown();
        try {
            new dcm.clickhouse.Lease(ch).release(lease, owner);
        } catch (RuntimeException e) {
            // ClickHouse is away: the lease expires by itself
        }
        deadLetterSink.close();
    }

    private void loop(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> parts = assign(consumer);
        recover(consumer, parts);
        long lastAssign = System.currentTimeMillis();
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        long batchStart = 0;
        long rateWindowStart = System.currentTimeMillis();
        long rateRows = 0;
        boolean idle = false;
        try {
            while (running) {
                keepLease();
                if (System.currentTimeMillis() - lastAssign > 1_000) {
                    parts = assign(consumer);
                    lastAssign = System.currentTimeMillis();
                    updateLag(consumer, parts);
                }
                while (!inFlight.isEmpty() && inFlight.peekFirst().insert().isDone()) {
                    completeInFlight(consumer);
                }
                if (paused && batch.isEmpty()) {
                    sleep(100);
                    continue;
                }
                if (!paused) {
                    var polled = consumer.poll(Duration.ofMillis(inFlight.isEmpty() ? 50 : 5));
                    idle = polled.isEmpty();
                    for (ConsumerRecord<byte[], byte[]> r : polled) {
                        if (batch.isEmpty()) {
                            batchStart = System.currentTimeMillis();
                        }
                        batch.add(r);
                    }
                }
                // full, old enough, or caught up with the topic (a quarter of the delay keeps inserts from being tiny)
                long age = System.currentTimeMillis() - batchStart;
                boolean due = !batch.isEmpty() && (batch.size() >= maxRows || paused || age >= maxDelayMs
                        || (idle && age >= maxDelayMs / 4));
                if (due) {
                    submit(consumer, batch);
                    rateRows += batch.size();
                    batch = new ArrayList<>();
                }
                long now = System.currentTimeMillis();
                if (now - rateWindowStart >= 1000) {
                    rate = rateRows * 1000.0 / (now - rateWindowStart);
                    rateRows = 0;
                    rateWindowStart = now;
                }
            }
        } finally {
            // a batch ClickHouse took is committed before the consumer goes away; one it did not is re-read later
            while (!inFlight.isEmpty()) {
                completeInFlight(consumer);
            }
        }
    }

    /**
     * Hands a batch to the insert thread, so the next batch is polled while this one is inserted. Its offsets
     * (the positions now: the batch holds everything polled) are committed only once its insert finished.
     */
    private void submit(KafkaConsumer<byte[], byte[]> consumer, List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
        }
        while (inFlight.size() >= PIPELINE) {
            completeInFlight(consumer);
        }
        inFlight.addLast(new Pending(inserter.submit(() -> insertInOrder(batch, offsets)), offsets));
    }

    /**
     * Runs on the insert thread. After a failed batch the later ones are skipped, not inserted: their offsets
     * are never committed, so they are read again, and nothing is inserted twice.
     */
    private int insertInOrder(List<ConsumerRecord<byte[], byte[]>> batch, Map<TopicPartition, OffsetAndMetadata> ends) {
        if (failed.get()) {
            throw new IllegalStateException("skipped: an earlier batch failed");
        }
        try {
            List<byte[]> rows = prepare(batch);
            landedLog.note("intent", ends, rows.size());
            int n = insertAll(rows, batch);
            landedLog.note("landed", ends, n);
            dcm.infra.Failpoint.reached("sync-after-insert");
            return n;
        } catch (RuntimeException e) {
            failed.set(true);
            throw e;
        }
    }

    private void completeInFlight(KafkaConsumer<byte[], byte[]> consumer) {
        int inserted;
        Pending head = inFlight.peekFirst();
        try {
            inserted = head.insert().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            // drop this and the later batches uncommitted; the consumer is recreated and reads them again
            inFlight.forEach(p -> p.insert().cancel(false));
            inFlight.clear();
            awaitQuiet();
            failed.set(false);
            throw new IllegalStateException("insert failed: " + e.getCause().getMessage(), e.getCause());
        }
        while (true) {
            try {
                consumer.commitSync(head.offsets(), Duration.ofSeconds(10));
                break;
            } catch (KafkaException e) {
                lastError = "commit (will retry): " + e.getMessage();
                if (!running) {
                    break;
                }
                sleep(500);
            }
        }
        rows.addAndGet(inserted);
        batches.incrementAndGet();
        inFlight.removeFirst();
        lastError = "";
    }

    private List<TopicPartition> assign(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (!consumer.assignment().containsAll(parts)) {
            consumer.assign(parts);
        }
        return parts;
    }

    private void updateLag(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts) {
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
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            updateLag(c, parts);
            return lag;
        }
    }

    /**
     * After a crash between a batch's insert and its commit, the landed log is ahead of the committed offsets:
     * skip (and commit) what already landed. An intent beyond the last landed batch is a batch whose insert may or
     * may not have happened: it is reported as possible duplicates.
     */
    private void recover(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts) {
        landedLog.ensure();
        Map<Integer, Long> landed = landedLog.landed();
        Map<Integer, Long> intended = landedLog.intended();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(parts),
                Duration.ofSeconds(10));
        Map<TopicPartition, OffsetAndMetadata> skip = new HashMap<>();
        long skipped = 0;
        boolean unknown = false;
        for (TopicPartition tp : parts) {
            long at = committed.get(tp) == null ? -1 : committed.get(tp).offset();
            long done = landed.getOrDefault(tp.partition(), -1L);
            if (done > at) {
                skip.put(tp, new OffsetAndMetadata(done));
                skipped += done - Math.max(0, at);
            }
            if (intended.getOrDefault(tp.partition(), -1L) > Math.max(done, at)) {
                unknown = true;
            }
        }
        if (!skip.isEmpty()) {
            skip.forEach((tp, o) -> consumer.seek(tp, o.offset()));
            consumer.commitSync(skip, Duration.ofSeconds(10));
        }
        recovery = (skipped > 0 ? "after a crash, skipped " + skipped + " record offset(s) already in the table. " : "")
                + (unknown ? "possible duplicates: up to " + landedLog.lastIntentRows() + " row(s) of one batch whose"
                + " insert was cut off by a crash" : "");
    }

    /** What recovery found at the last start, or empty. */
    String recovery() {
        return recovery;
    }

    /** Refreshes the lease every few seconds; a sync that lost it (stalled past its expiry) stops at once. */
    private void keepLease() {
        if (System.currentTimeMillis() - leaseRefreshed < LEASE_TTL_MS / 5) {
            return;
        }
        dcm.clickhouse.Lease leases = new dcm.clickhouse.Lease(ch);
        try {
            if (!leases.holds(lease, owner)) {
                lastError = "stopped: another process took over this table's sync";
                running = false;
                return;
            }
            leases.refresh(lease, owner, LEASE_TTL_MS);
            leaseRefreshed = System.currentTimeMillis();
        } catch (ClickHouseException e) {
            lastError = "lease (will retry): " + e.getMessage();
        }
    }

    /** Waits until the insert thread has finished whatever it was running. */
    private void awaitQuiet() {
        try {
            inserter.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException ignored) {
            // an empty task cannot fail
        }
    }

    /**
     * The rows to insert: records our own ingest produced for this schema (tagged with its fingerprint) go as they
     * are; others are validated, and those that do not fit go to the dead-letter topic.
     */
    private List<byte[]> prepare(List<ConsumerRecord<byte[], byte[]>> batch) {
        List<byte[]> good = new ArrayList<>(batch.size());
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            org.apache.kafka.common.header.Header h = r.headers().lastHeader(Schema.HEADER);
            if (h != null && java.util.Arrays.equals(h.value(), fingerprint)) {
                good.add(r.value());
                continue;
            }
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
        return good;
    }

    /** Inserts rows, retrying while ClickHouse is away; splits on a data error to isolate bad rows. */
    private int insertAll(List<byte[]> good, List<ConsumerRecord<byte[], byte[]>> batch) {
        if (good.isEmpty()) {
            return 0;
        }
        while (true) {
            try {
                ch.insertJsonEachRow(table, join(good));
                return good.size();
            } catch (ClickHouseException e) {
                if (!DATA_ERRORS.contains(e.code())) {
                    if (!running) {
                        throw new IllegalStateException("stopped while ClickHouse refused the batch: " + e.getMessage(), e);
                    }
                    lastError = "insert (will retry): " + e.getMessage();
                    sleep(500);
                    continue;
                }
                if (good.size() == 1) {
                    deadLetterRaw(good.get(0), "ClickHouse refused it: " + e.getMessage());
                    return 0;
                }
                // a data error: split to find the records the table cannot take
                int mid = good.size() / 2;
                return insertAll(new ArrayList<>(good.subList(0, mid)), batch)
                        + insertAll(new ArrayList<>(good.subList(mid, good.size())), batch);
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

    private void deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
        deadLetterRaw(r.value(), reason + " (from " + r.topic() + "/" + r.partition() + "@" + r.offset() + ")");
    }

    private void deadLetterRaw(byte[] value, String reason) {
        deadLetterSink.send(value, reason);
        deadLetters.incrementAndGet();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.broker());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.min(maxRows, 50_000)));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        // the sync never reads keys, and ClickHouse checks what it stores: skip key decoding and CRC checks
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.CHECK_CRCS_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(256 * 1024));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
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
