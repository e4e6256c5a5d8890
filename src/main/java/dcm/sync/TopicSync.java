package dcm.sync;

import dcm.clickhouse.ClickHouse;
import dcm.config.BrokerConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/**
 * Lands one topic in one table: poll, batch by size and by time ({@link FlushRule}), hand each batch to the
 * {@link BatchInserter}, and only once it landed count its offsets as committed ({@link InFlight}). Partitions are
 * assigned, not subscribed (no rebalance can rewind a batch), and a batch whose insert failed for a connection
 * reason is retried as it is, so restarts of the broker or ClickHouse lose nothing and duplicate nothing. The
 * consumer never commits itself (but at its start, see {@link SyncRecovery}): the inserter's mark writer does,
 * through {@link OffsetMarks}, so every commit goes one way, in order.
 */
final class TopicSync implements Runnable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TopicSync.class);
    /**
     * Batches handed to the inserter and not yet committed: the one being inserted, the next one waiting (so the
     * inserter never waits for the consumer), and one landed but not yet committed.
     */
    static final int PIPELINE = 3;
    /** A sync holds its table's lease while it runs, refreshed well before it expires. */
    static final long LEASE_TTL_MS = 30_000;

    private final SyncTarget target;
    private final dcm.kafka.KafkaClients clients;
    private final FlushRule flush;
    private final byte[] fingerprint;
    private final SyncRecovery recovery;
    private final DeadLetters deadLetterSink;
    private final OffsetMarks marks;
    private final BatchInserter inserter;
    private final LeaseKeeper lease;
    /** Its pauses: here ({@code sync pause}), and its table's in ClickHouse (a backfill; see {@link #held()}). */
    private final PauseGate gate;
    /** Offsets committed, or asked to be, per partition (consumer thread only; the mark writer commits). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final InFlight inFlight;
    /** Set on resume: the topic's id is checked before the next poll. */
    private volatile boolean checkTopic;
    private volatile boolean running = true;
    /** This sync's share of the process's memory budget (changes as syncs start); read by the consumer thread. */
    private volatile SyncBudget budget;
    /** Set when the share changed: the consumer is made again with the new fetch sizes. */
    private volatile boolean reconfigure;
    /** Set once a consumer was made (before, a new share needs no new consumer). */
    private volatile boolean consumerMade;
    /** The fetch size of the consumer in use. */
    private volatile int fetchBytes;
    private volatile String lastError = "";
    private volatile String lastDeadLetter = "";
    private volatile double rate;
    private volatile long lag = -1;
    private final QuietCommits quietCommits;
    // the batch being filled (consumer thread only): since when, and per partition the offset after its last record
    private RowBatch batch;
    private long batchStart;
    private Map<TopicPartition, OffsetAndMetadata> touched = new HashMap<>();
    private long rateRows;

    TopicSync(SyncTarget target, ClickHouse ch, BrokerConfig broker, FlushRule flush, SyncBudget budget,
              PauseWatch pauses) {
        this.target = target;
        this.budget = budget;
        this.clients = new dcm.kafka.KafkaClients(broker);
        this.flush = flush;
        this.fingerprint = target.schema().fingerprint().getBytes(StandardCharsets.UTF_8);
        // keyed by the topic's id as well: a topic deleted and created again under the same name starts afresh
        this.recovery = new SyncRecovery(ch, target.group(), target.topicId());
        this.deadLetterSink = new DeadLetters(broker, SyncManager.deadLetterTopic(target.topic()), target.table());
        this.marks = new OffsetMarks(broker, target.group(), recovery.landedLog(), this::error,
                OffsetMarks.BACKSTOP_MS, target.topicId());
        // a dead letter's reason stays the last error shown until another error comes (a good batch clears errors)
        this.inserter = new BatchInserter(target.topic(), target.table(), target.schema(), ch, marks, deadLetterSink,
                recovery::readingId, () -> running, e -> {
                    if (e.startsWith("dead letter: ")) {
                        lastDeadLetter = e;
                    } else {
                        error(e);
                    }
                });
        this.lease = new LeaseKeeper(ch, target.lease(), target.owner(), this::error);
        this.gate = new PauseGate(pauses, new dcm.clickhouse.SyncPause(ch), target.table(), target.owner(),
                this::error);
        this.quietCommits = new QuietCommits(inserter, marks, committed);
        this.inFlight = new InFlight(inserter, committed, this::keepLease, () -> lastError = "");
    }

    /** The error shown by `sync status`; logged when it is a new one (a retry loop logs it once, not each time). */
    private void error(String e) {
        if (!e.isEmpty() && !e.equals(lastError)) {
            LOG.warn("sync {} -> {}: {}", target.topic(), target.table(), e);
        }
        lastError = e;
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

    long tsvRows() { return inserter.tsvRows(); }
    long largestBatch() { return inFlight.largestBatch(); }
    long rows() { return inFlight.rows.get(); }

    /** What this sync may hold now: its consumer's fetch buffers and the batches of its share. */
    long memoryBytes() {
        SyncBudget share = budget;
        return share.heldBytes(consumerMade ? fetchBytes : share.fetchBytes());
    }

    String topic() { return target.topic(); }
    String group() { return target.group(); }
    String table() { return target.table(); }
    boolean paused() { return gate.pausedHere(); }
    void pause() { gate.pauseHere(); }

    /** Resumes at once. */
    void resume() {
        // the topic may have been deleted and created again while paused (a rebuild, a bump): look first
        checkTopic = true;
        gate.resumeHere();
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
                error(String.valueOf(e.getMessage()));
                BatchInserter.sleep(500);
            }
        }
        inserter.stop();
        inserter.awaitFinished(15_000);
        lease.release();
        deadLetterSink.close();
    }

    /**
     * Polls and batches until the sync stops, or the consumer must be made again (a new memory share, the topic
     * created again: what is batched goes first, and the batches in flight complete).
     */
    private void loop(KafkaConsumer<Void, ByteBuffer> consumer) {
        List<TopicPartition> parts = Partitions.assign(consumer, target.topic(), marks);
        recover(consumer, parts);
        long lastAssign = System.currentTimeMillis();
        batch = new RowBatch(budget.batchBytes());
        touched = new HashMap<>();
        long rateWindowStart = System.currentTimeMillis();
        rateRows = 0;
        try {
            while (running) {
                if (held()) {
                    continue;
                }
                if (reconfigure) {
                    // the in-flight batches complete below, then a new consumer starts from the committed offsets
                    reconfigure = false;
                    submitBatch(Partitions.positions(consumer));
                    return;
                }
                keepLease();
                if (checkTopic || System.currentTimeMillis() - lastAssign > 1_000) {
                    checkTopic = false;
                    if (recovery.topicCreatedAgain()) {
                        // what is batched goes first (it was read before the change was seen), with its own
                        // records' offsets (a position may be unset now); then a new consumer reads the new topic
                        // from its start
                        submitBatch(touched);
                        return;
                    }
                    parts = Partitions.assign(consumer, target.topic(), marks);
                    lastAssign = System.currentTimeMillis();
                    lag = Partitions.lag(consumer, parts);
                }
                inFlight.completeDone();
                boolean paused = gate.pausedHere();
                if (paused && batch.isEmpty()) {
                    quiet();
                    gate.await(100);
                    continue;
                }
                boolean idle = false;
                if (!paused) {
                    ConsumerRecords<Void, ByteBuffer> polled;
                    try {
                        polled = consumer.poll(Duration.ofMillis(inFlight.isEmpty() ? 50 : 5));
                    } catch (InvalidOffsetException e) {
                        // no reset by the consumer itself: an offset out of range may mean the topic was created
                        // again, and then nothing of the new one may be read before the sync starts over
                        if (recovery.topicCreatedAgain()) {
                            submitBatch(touched);
                            return;
                        }
                        // records removed by retention: read from the earliest still there
                        consumer.seekToBeginning(e.partitions());
                        continue;
                    }
                    idle = polled.isEmpty() && Partitions.caughtUp(consumer);
                    if (idle && batch.isEmpty() && inFlight.isEmpty()) {
                        quietCommits.commitSkipped(consumer);
                        quiet();
                    }
                    add(polled);
                }
                if (flush.due(batch.rows(), batch.bytes(), budget.batchBytes(), System.currentTimeMillis() - batchStart,
                        paused, idle, inFlight.isEmpty())) {
                    // the positions: what the batch holds is the rest of everything polled, so transaction
                    // markers are covered too
                    submitBatch(Partitions.positions(consumer));
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
            inFlight.completeAll();
        }
    }

    /**
     * Adds polled records to the batch; a batch that gets full in the middle of a poll goes at once, so no batch
     * outgrows the memory share, with the offsets of its own records (not the positions).
     */
    private void add(ConsumerRecords<Void, ByteBuffer> polled) {
        long cap = budget.batchBytes();
        for (TopicPartition tp : polled.partitions()) {
            long last = -1;
            for (ConsumerRecord<Void, ByteBuffer> r : polled.records(tp)) {
                if (batch.isEmpty()) {
                    batchStart = System.currentTimeMillis();
                }
                batch.add(r.value(), RecordValidator.trusted(r.headers(), fingerprint), r.partition(), r.offset());
                last = r.offset();
                if (flush.full(batch.rows(), batch.bytes(), cap)) {
                    touched.put(tp, new OffsetAndMetadata(last + 1));
                    submitBatch(touched);
                    last = -1;
                }
            }
            if (last >= 0) {
                touched.put(tp, new OffsetAndMetadata(last + 1));
            }
        }
    }

    /** Hands the batch being filled (if any) to the inserter with these offsets, and starts a new one. */
    private void submitBatch(Map<TopicPartition, OffsetAndMetadata> ends) {
        if (batch.isEmpty()) {
            return;
        }
        rateRows += batch.rows();
        inFlight.submit(batch, ends);
        touched = new HashMap<>();
        batch = new RowBatch(budget.batchBytes());
    }

    /** The sync went quiet (caught up, or paused, with nothing in flight): see {@link QuietCommits#backstop}. */
    private void quiet() {
        if (inFlight.isEmpty()) {
            quietCommits.backstop();
        }
    }

    /**
     * Recovers the consumer's start from the marks (see {@link SyncRecovery}); the marks go on from there. Called
     * with nothing in flight; the mark writer finishes what it was asked first (a late commit or backstop must not
     * cross recovery's commits).
     */
    private void recover(KafkaConsumer<Void, ByteBuffer> consumer, List<TopicPartition> parts) {
        inserter.reset();
        quietCommits.reset();
        recovery.recover(consumer, parts, committed);
        marks.seed(recovery.readingId(), committed, recovery.outstanding(), recovery.outstandingBatches());
        for (TopicPartition tp : parts) {
            if (!committed.containsKey(tp)) {
                marks.base(tp, consumer.position(tp, Duration.ofSeconds(10)));
            }
        }
    }

    /** What recovery found at the last start and the rows sent again after a dropped insert, or empty. */
    String recovery() {
        return recovery.found(inserter.resent());
    }

    /**
     * Whether a pause of the table ({@link dcm.clickhouse.SyncPause}) holds the sync. Looked at before anything
     * can be handed to the inserter in a round of the loop (so before every batch), and every round while held:
     * the batches handed over land and are committed as usual, then the pause is acknowledged, and nothing is
     * handed over until it is resumed. The batch being filled waits in memory with its offsets, the consumer
     * polls no more (its fetches stay what they were), the lease is kept: nothing is lost or inserted twice.
     */
    private boolean held() {
        if (!gate.paused()) {
            return false;
        }
        inFlight.completeAll();
        gate.acknowledge();
        rate = 0;
        keepLease();
        quiet();
        gate.await(PauseWatch.EVERY_MS / 3);
        return true;
    }

    /** Keeps the table's lease; a sync that lost it (stalled past its expiry) stops at once. */
    private void keepLease() {
        if (!lease.keep()) {
            running = false;
        }
    }

    private KafkaConsumer<Void, ByteBuffer> consumer() {
        consumerMade = true;
        SyncBudget share = budget;
        fetchBytes = share.fetchBytes();
        // values are views into the fetch buffer (copied once, into the batch); keys are never decoded
        return clients.syncConsumer(target.group(), Math.min(flush.maxRows(), SyncManager.MAX_POLL_RECORDS),
                share.fetchBytes(), share.partitionFetchBytes(), dcm.kafka.KafkaClients.SKIP_KEYS,
                new ByteBufferDeserializer());
    }
}
