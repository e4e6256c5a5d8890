package dcm.sync;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.config.BrokerConfig;
import dcm.ingest.Schema;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Lands one topic in one table: poll, batch by size and by time, insert into ClickHouse, and only then commit the
 * offsets. Partitions are assigned, not subscribed (no rebalance can rewind a batch), and a batch whose insert
 * failed for a connection reason is retried as it is, so restarts of the broker or ClickHouse lose nothing and
 * duplicate nothing. Records the table cannot take go to the dead-letter topic with the reason. The consumer never
 * commits itself (but at its start, see {@link SyncRecovery}): the inserter's note thread does, through
 * {@link OffsetMarks}, so every commit goes one way, in order.
 */
final class TopicSync implements Runnable {
    /**
     * Batches handed to the inserter and not yet committed: the one being inserted, the next one waiting (so the
     * inserter never waits for the consumer), and one landed but not yet committed.
     */
    static final int PIPELINE = 3;
    /** Keys are not needed to land a record: skip them without even copying their bytes. */
    private static final Deserializer<Void> SKIP_KEY = new Deserializer<>() {
        @Override
        public Void deserialize(String topic, byte[] data) {
            return null;
        }

        @Override
        public Void deserialize(String topic, org.apache.kafka.common.header.Headers headers, ByteBuffer data) {
            return null;
        }
    };
    /** A sync holds its table's lease while it runs, refreshed well before it expires. */
    static final long LEASE_TTL_MS = 30_000;

    private final String topic;
    private final String table;
    private final ClickHouse ch;
    private final BrokerConfig broker;
    private final String group;
    private final FlushRule flush;
    private final String lease;
    private final String owner;
    private final byte[] fingerprint;
    private final SyncRecovery recovery;
    /** Set on resume: the topic's id is checked before the next poll. */
    private volatile boolean checkTopic;
    private final DeadLetters deadLetterSink;
    private final BatchInserter inserter;
    /** Batches handed to the inserter, oldest first; each is committed once it landed. */
    private final java.util.ArrayDeque<InsertJob> inFlight = new java.util.ArrayDeque<>();
    private volatile boolean running = true;
    /** This sync's share of the process's memory budget (changes as syncs start); read by the consumer thread. */
    private volatile SyncBudget budget;
    /** Set when the share changed: the consumer is made again with the new fetch sizes. */
    private volatile boolean reconfigure;
    /** Set once a consumer was made (before, a new share needs no new consumer). */
    private volatile boolean consumerMade;
    /** The fetch size of the consumer in use. */
    private volatile int fetchBytes;
    /** The largest batch handed to the inserter so far, in bytes (for `sync status --json`). */
    private volatile long largestBatch;
    private volatile boolean paused;
    private volatile String lastError = "";
    private volatile String lastDeadLetter = "";
    private volatile double rate;
    private volatile long lag = -1;
    private long leaseRefreshed = System.currentTimeMillis();
    private final Object pauseMonitor = new Object();
    /** Offsets committed, or asked to be, per partition (consumer thread only; the note thread commits). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final OffsetMarks marks;
    /** When the sync, quiet, last asked for the landed log's backstop (consumer thread only). */
    private long quietBackstop;
    /** A commit past skipped records (transaction markers) asked of the note thread, and its offsets. */
    private java.util.concurrent.CompletableFuture<Void> skipping;
    private Map<TopicPartition, OffsetAndMetadata> skippingAt = Map.of();
    final AtomicLong rows = new AtomicLong();

    TopicSync(String topic, java.util.function.Supplier<String> topicId, String table, Schema schema, ClickHouse ch, BrokerConfig broker,
              String group, int maxRows, long maxDelayMs, String lease, String owner, SyncBudget budget) {
        this.budget = budget;
        this.lease = lease;
        this.owner = owner;
        this.topic = topic;
        this.table = table;
        this.ch = ch;
        this.broker = broker;
        this.group = group;
        this.flush = new FlushRule(maxRows, maxDelayMs);
        this.fingerprint = schema.fingerprint().getBytes(StandardCharsets.UTF_8);
        // keyed by the topic's id as well: a topic deleted and created again under the same name starts afresh
        this.recovery = new SyncRecovery(ch, group, topicId);
        this.deadLetterSink = new DeadLetters(broker, SyncManager.deadLetterTopic(topic), table);
        this.marks = new OffsetMarks(broker, group, recovery.landedLog(), e -> lastError = e, OffsetMarks.BACKSTOP_MS,
                topicId);
        // a dead letter's reason stays the last error shown until another error comes (a good batch clears errors)
        this.inserter = new BatchInserter(topic, table, schema, ch, marks, deadLetterSink, () -> running,
                e -> {
                    if (e.startsWith("dead letter: ")) {
                        lastDeadLetter = e;
                    } else {
                        lastError = e;
                    }
                });
    }

    long deadLetters() {
        return inserter.deadLettered();
    }

    /** Gives this sync a new share of the memory budget (batches at once; fetch sizes with a new consumer). */
    void budget(SyncBudget share) {
        SyncBudget was = budget;
        budget = share;
        if (consumerMade && (was.fetchBytes() != share.fetchBytes()
                || was.partitionFetchBytes() != share.partitionFetchBytes())) {
            reconfigure = true;
        }
    }

    long tsvRows() {
        return inserter.tsvRows();
    }

    long largestBatch() {
        return largestBatch;
    }

    /** What this sync may hold now: its consumer's fetch buffers and the batches of its share. */
    long memoryBytes() {
        SyncBudget share = budget;
        return share.heldBytes(consumerMade ? fetchBytes : share.fetchBytes());
    }

    String topic() { return topic; }
    String group() { return group; }
    String table() { return table; }
    boolean paused() { return paused; }
    void pause() { paused = true; }

    /** Resumes at once (a paused sync waits on this monitor, not in a sleep it would finish first). */
    void resume() {
        synchronized (pauseMonitor) {
            // the topic may have been deleted and created again while paused (a rebuild, a bump): look first
            checkTopic = true;
            paused = false;
            pauseMonitor.notifyAll();
        }
    }
    void stop() { running = false; }
    double rate() { return rate; }
    long lag() { return lag; }
    String lastError() { return lastError.isEmpty() ? lastDeadLetter : lastError; }

    @Override
    public void run() {
        while (running) {
            try (KafkaConsumer<Void, ByteBuffer> consumer = consumer()) {
                loop(consumer);
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                sleep(500);
            }
        }
        inserter.stop();
        inserter.awaitFinished(15_000);
        try {
            new dcm.clickhouse.Lease(ch).release(lease, owner);
        } catch (RuntimeException e) {
            // ClickHouse is away: the lease expires by itself
        }
        deadLetterSink.close();
    }

    private void loop(KafkaConsumer<Void, ByteBuffer> consumer) {
        List<TopicPartition> parts = assign(consumer);
        recover(consumer, parts);
        long lastAssign = System.currentTimeMillis();
        RowBatch batch = new RowBatch(budget.batchBytes());
        long batchStart = 0;
        long rateWindowStart = System.currentTimeMillis();
        long rateRows = 0;
        boolean idle = false;
        // per partition, the offset after the last record in the batch being filled
        Map<TopicPartition, OffsetAndMetadata> touched = new HashMap<>();
        try {
            while (running) {
                if (reconfigure) {
                    // what is batched goes first; the in-flight batches complete below, then a new consumer starts
                    // from the committed offsets
                    reconfigure = false;
                    if (!batch.isEmpty()) {
                        submit(consumer, batch, positions(consumer));
                    }
                    return;
                }
                keepLease();
                if (checkTopic || System.currentTimeMillis() - lastAssign > 1_000) {
                    checkTopic = false;
                    if (recovery.topicCreatedAgain()) {
                        // what is batched goes first (it was read before the change was seen), with its own
                        // records' offsets (a position may be unset now); then a new consumer reads the new topic
                        // from its start
                        if (!batch.isEmpty()) {
                            submit(consumer, batch, touched);
                        }
                        return;
                    }
                    parts = assign(consumer);
                    lastAssign = System.currentTimeMillis();
                    updateLag(consumer, parts);
                }
                while (!inFlight.isEmpty() && inFlight.peekFirst().done.isDone()) {
                    completeInFlight(consumer);
                }
                if (paused && batch.isEmpty()) {
                    quiet();
                    awaitResume(100);
                    continue;
                }
                if (!paused) {
                    org.apache.kafka.clients.consumer.ConsumerRecords<Void, ByteBuffer> polled;
                    try {
                        polled = consumer.poll(Duration.ofMillis(inFlight.isEmpty() ? 50 : 5));
                    } catch (org.apache.kafka.clients.consumer.InvalidOffsetException e) {
                        // no reset by the consumer itself: an offset out of range may mean the topic was created
                        // again, and then nothing of the new one may be read before the sync starts over
                        if (recovery.topicCreatedAgain()) {
                            if (!batch.isEmpty()) {
                                submit(consumer, batch, touched);
                            }
                            return;
                        }
                        // records removed by retention: read from the earliest still there
                        consumer.seekToBeginning(e.partitions());
                        continue;
                    }
                    idle = polled.isEmpty() && caughtUp(consumer);
                    if (idle && batch.isEmpty() && inFlight.isEmpty()) {
                        commitSkipped(consumer);
                        quiet();
                    }
                    long cap = budget.batchBytes();
                    for (TopicPartition tp : polled.partitions()) {
                        long last = -1;
                        for (ConsumerRecord<Void, ByteBuffer> r : polled.records(tp)) {
                            if (batch.isEmpty()) {
                                batchStart = System.currentTimeMillis();
                            }
                            batch.add(r.value(), trusted(r), r.partition(), r.offset());
                            last = r.offset();
                            if (flush.full(batch.rows(), batch.bytes(), cap)) {
                                // full in the middle of a poll: it goes now, so no batch outgrows the memory
                                // share; its offsets are those of its own records, not the positions
                                touched.put(tp, new OffsetAndMetadata(last + 1));
                                rateRows += batch.rows();
                                submit(consumer, batch, touched);
                                touched = new HashMap<>();
                                batch = new RowBatch(cap);
                                last = -1;
                            }
                        }
                        if (last >= 0) {
                            touched.put(tp, new OffsetAndMetadata(last + 1));
                        }
                    }
                }
                // full, old enough, or caught up with the topic (a quarter of the delay keeps inserts from being
                // tiny); and when the inserter has nothing to do, a sizeable batch goes at once rather than filling
                // up while ClickHouse waits (the next batch then fills during this insert)
                if (flush.due(batch.rows(), batch.bytes(), budget.batchBytes(), System.currentTimeMillis() - batchStart,
                        paused, idle, inFlight.isEmpty())) {
                    rateRows += batch.rows();
                    submit(consumer, batch, positions(consumer));
                    touched = new HashMap<>();
                    batch = new RowBatch(budget.batchBytes());
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
     * Whether our own ingest validated a record for this schema: it carries the schema's fingerprint (the first 16
     * hex digits of a SHA-256 of the schema) as the value of its {@value Schema#HEADER} header. Only values are
     * compared: decoding each record's header key into a string took about a tenth of the consumer thread (JFR),
     * and no header of another producer carries that value by chance.
     */
    private boolean trusted(ConsumerRecord<Void, ByteBuffer> r) {
        for (org.apache.kafka.common.header.Header h : r.headers()) {
            if (java.util.Arrays.equals(h.value(), fingerprint)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hands a batch to the insert thread, so the next batch is polled while this one is inserted. Its offsets
     * (what follows its last record per partition, or the positions when it holds the rest of everything polled,
     * so transaction markers are covered too) are committed only once its insert finished.
     */
    private void submit(KafkaConsumer<Void, ByteBuffer> consumer, RowBatch batch,
                        Map<TopicPartition, OffsetAndMetadata> ends) {
        largestBatch = Math.max(largestBatch, batch.bytes());
        while (inFlight.size() >= PIPELINE) {
            completeInFlight(consumer);
        }
        inFlight.addLast(inserter.submit(batch, ends));
    }

    /** The consumer's positions: the offsets after everything polled. */
    private static Map<TopicPartition, OffsetAndMetadata> positions(KafkaConsumer<Void, ByteBuffer> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
        }
        return offsets;
    }

    private void completeInFlight(KafkaConsumer<Void, ByteBuffer> consumer) {
        int inserted;
        InsertJob head = inFlight.peekFirst();
        try {
            while (true) {
                try {
                    inserted = head.done.get(1, java.util.concurrent.TimeUnit.SECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException e) {
                    // a broker or ClickHouse away holds the batch: the lease is kept meanwhile (it expires in 30 s,
                    // and then another shell could take the table while this one still inserts)
                    keepLease();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            // drop this and the later batches uncommitted; the consumer is recreated and reads them again
            inFlight.clear();
            inserter.reset();
            throw new IllegalStateException("insert failed: " + e.getCause().getMessage(), e.getCause());
        }
        // committed by the note thread before the batch completed
        head.ends().forEach((tp, o) -> committed.put(tp, o.offset()));
        rows.addAndGet(inserted);
        inFlight.removeFirst();
        lastError = "";
    }

    /**
     * With nothing polled, batched or in flight, a position beyond what was committed covers only records the
     * consumer never hands out (transaction markers, aborted records): commit it, or the lag would never reach 0.
     */
    private void commitSkipped(KafkaConsumer<Void, ByteBuffer> consumer) {
        if (skipping != null) {
            if (!skipping.isDone()) {
                return;
            }
            // confirmed: known as committed; failed: asked again below
            if (!skipping.isCompletedExceptionally()) {
                // offsets only grow within one topic: a batch may have landed since
                skippingAt.forEach((tp, o) -> committed.merge(tp, o.offset(), Math::max));
            }
            skipping = null;
        }
        Map<TopicPartition, OffsetAndMetadata> ahead = positions(consumer);
        // lower than the last commit only when the topic was deleted and created again: the position counts
        ahead.entrySet().removeIf(e -> e.getValue().offset() == committed.getOrDefault(e.getKey(), -1L));
        if (!ahead.isEmpty()) {
            // committed by the note thread: all commits go one way, in order
            skippingAt = ahead;
            skipping = inserter.skip(ahead);
        }
    }

    /**
     * The sync went quiet (caught up, or paused, with nothing in flight): the landed log's backstop is brought up
     * to the commits, so offsets the broker forgets later are still known.
     */
    private void quiet() {
        long now = System.currentTimeMillis();
        // asked again a second later if ClickHouse did not take it
        if (inFlight.isEmpty() && now - quietBackstop >= 1_000 && marks.behind()) {
            quietBackstop = now;
            inserter.backstop();
        }
    }

    /**
     * True when the consumer has read to the end of every partition as of its last fetch. An empty poll alone
     * does not say so: under a backlog it only means the next fetch is still on its way, and flushing the batch
     * then would make small inserts.
     */
    private static boolean caughtUp(KafkaConsumer<Void, ByteBuffer> consumer) {
        for (TopicPartition tp : consumer.assignment()) {
            java.util.OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent() && lag.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }

    private List<TopicPartition> assign(KafkaConsumer<Void, ByteBuffer> consumer) {
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (!consumer.assignment().containsAll(parts)) {
            java.util.Set<TopicPartition> added = new java.util.HashSet<>(parts);
            added.removeAll(consumer.assignment());
            consumer.assign(parts);
            // a partition this group never committed is read from its start (the consumer resets nothing itself)
            Map<TopicPartition, OffsetAndMetadata> at = consumer.committed(added, Duration.ofSeconds(10));
            List<TopicPartition> fresh = added.stream().filter(tp -> at.get(tp) == null).toList();
            if (!fresh.isEmpty()) {
                consumer.seekToBeginning(fresh);
            }
            // where a mark that carries only an intent puts a partition's offset: its last commit, or its start
            for (TopicPartition tp : added) {
                marks.base(tp, at.get(tp) != null ? at.get(tp).offset() : consumer.position(tp, Duration.ofSeconds(10)));
            }
        }
        return parts;
    }

    private void updateLag(KafkaConsumer<Void, ByteBuffer> consumer, List<TopicPartition> parts) {
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(2));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(parts),
                    Duration.ofSeconds(2));
            long total = 0;
            for (TopicPartition tp : parts) {
                OffsetAndMetadata c = committed.get(tp);
                // counted as `sync wait` counts it
                total += dcm.kafka.Broker.partitionLag(ends.getOrDefault(tp, 0L), c == null ? -1 : c.offset());
            }
            lag = total;
        } catch (KafkaException e) {
            lag = -1;
        }
    }

    /**
     * Recovers the consumer's start from the marks (see {@link SyncRecovery}); the marks go on from there. Called
     * with nothing in flight; the note thread finishes what it was asked first (a late commit or backstop must not
     * cross recovery's commits).
     */
    private void recover(KafkaConsumer<Void, ByteBuffer> consumer, List<TopicPartition> parts) {
        inserter.reset();
        skipping = null;
        recovery.recover(consumer, parts, committed);
        marks.seed(recovery.readingId(), committed, recovery.outstanding());
        for (TopicPartition tp : parts) {
            if (!committed.containsKey(tp)) {
                marks.base(tp, consumer.position(tp, Duration.ofSeconds(10)));
            }
        }
    }

    /** What recovery found at the last start and the rows sent again after a dropped insert, or empty. */
    String recovery() {
        long again = inserter.resent();
        String found = recovery.found();
        return again == 0 ? found : (found.isEmpty() ? "" : found + " ") + "possible duplicates: " + again
                + " row(s) sent again after ClickHouse dropped the connection in the middle of their insert";
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

    private KafkaConsumer<Void, ByteBuffer> consumer() {
        consumerMade = true;
        SyncBudget share = budget;
        fetchBytes = share.fetchBytes();
        // values are views into the fetch buffer (copied once, into the batch); keys are never decoded
        return new dcm.kafka.KafkaClients(broker).syncConsumer(group, Math.min(flush.maxRows(), SyncManager.MAX_POLL_RECORDS),
                share.fetchBytes(), share.partitionFetchBytes(), SKIP_KEY, new ByteBufferDeserializer());
    }

    private void awaitResume(long ms) {
        synchronized (pauseMonitor) {
            try {
                if (paused) {
                    pauseMonitor.wait(ms);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
