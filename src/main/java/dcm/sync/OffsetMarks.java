package dcm.sync;

import dcm.clickhouse.ClickHouseException;
import dcm.config.BrokerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a sync makes its progress durable: the group's committed offsets at the broker, one commit per batch.
 * Before a batch is inserted, a commit carries its intent (in the offset's metadata, {@link MarkMetadata}: the
 * records up to there may be in the table beyond the committed offset); once it landed, a commit moves the offsets
 * past it, with the intents of the batches queued behind. A commit costs the broker a few records; a note in a
 * MergeTree table cost ClickHouse a part of a dozen files (measured here: 12-20 ms of CPU each, mostly the kernel
 * creating the files, merges included), so the landed log in ClickHouse is now written only now and
 * then: every {@value #BACKSTOP_MS} ms while busy, and when the sync goes quiet or stops. It is the
 * backstop for offsets the broker forgets (a group's offsets expire after days without a commit) so a sync that
 * was idle that long does not read its topic from the start again.
 *
 * <p>Used by the note thread only, except {@link #seed} (called by the consumer thread while the note thread is
 * idle), {@link #base} and {@link #behind()}.
 */
final class OffsetMarks implements AutoCloseable {
    static final long BACKSTOP_MS = 10_000;
    private final BrokerConfig broker;
    private final String group;
    private final LandedLog backstop;
    private final Consumer<String> error;
    /** How old the backstop may get while busy ({@value #BACKSTOP_MS} ms in a sync). */
    private final long backstopMs;
    /** Per partition, the offset last committed (or the start a partition never committed is read from). */
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    /**
     * Per partition, the furthest intent noted (batches land in order, so it is outstanding while beyond the
     * committed offset). Each commit replaces a partition's metadata: every commit carries it again.
     */
    private final Map<TopicPartition, Long> intents = new ConcurrentHashMap<>();
    /**
     * Per partition, the batches in flight with records there (by hash), named in every commit's metadata until a
     * commit passes their end.
     */
    private final Map<TopicPartition, Map<String, MarkMetadata.Pending>> pending = new ConcurrentHashMap<>();
    /** Per partition, what the landed log in ClickHouse holds. */
    private final Map<TopicPartition, Long> backstopped = new ConcurrentHashMap<>();
    private long lastBackstop = System.currentTimeMillis();
    /** The id of the topic the marks are for: the one the current consumer reads (set by {@link #seed}). */
    private volatile String topicId = "";
    /** The topic's id as the broker has it now ("" when it has none, or the topic is gone). */
    private final java.util.function.Supplier<String> liveTopicId;
    private KafkaConsumer<byte[], byte[]> committer;

    OffsetMarks(BrokerConfig broker, String group, LandedLog backstop, Consumer<String> error, long backstopMs,
                java.util.function.Supplier<String> liveTopicId) {
        this.liveTopicId = liveTopicId;
        this.backstopMs = backstopMs;
        this.broker = broker;
        this.group = group;
        this.backstop = backstop;
        this.error = error;
    }

    /**
     * What recovery found (a new consumer starts there): the committed offsets, and the intents still outstanding
     * (a batch read again may have landed before the restart: its intent is carried on until the commits pass it,
     * or a second crash would be reported with a smaller bound). Replaces what was known; the landed log is
     * written again in full at the next backstop (it may be keyed anew).
     */
    void seed(String topicId, Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> outstanding) {
        seed(topicId, offsets, outstanding, Map.of());
    }

    /** {@link #seed(String, Map, Map)} with the batches still in flight that recovery could not decide. */
    void seed(String topicId, Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> outstanding,
              Map<TopicPartition, List<MarkMetadata.Pending>> batches) {
        this.topicId = topicId;
        committed.clear();
        committed.putAll(offsets);
        intents.clear();
        intents.putAll(outstanding);
        pending.clear();
        batches.forEach((tp, l) -> l.forEach(b -> pendingOf(tp).put(b.hash(), b)));
        backstopped.clear();
    }

    /** The offset a partition that never committed is read from (an intent-only commit needs an offset). */
    void base(TopicPartition tp, long offset) {
        committed.putIfAbsent(tp, offset);
    }

    /**
     * Commits, and waits for, what landed (may be empty) and what may land next: per partition the landed end, or
     * the last commit where nothing landed, with the intent as metadata where one goes beyond it. Throws when the
     * broker does not confirm it; the caller retries.
     */
    void note(Map<TopicPartition, OffsetAndMetadata> landed, Map<TopicPartition, OffsetAndMetadata> intent) {
        note(landed, intent, Map.of());
    }

    /**
     * {@link #note(Map, Map)}, the commit naming per partition the batches about to be inserted ({@code batches},
     * with those still in flight), so a restart can ask the query log which of them landed.
     */
    void note(Map<TopicPartition, OffsetAndMetadata> landed, Map<TopicPartition, OffsetAndMetadata> intent,
              Map<TopicPartition, List<MarkMetadata.Pending>> batches) {
        batches.forEach((tp, l) -> l.forEach(b -> pendingOf(tp).put(b.hash(), b)));
        intent.forEach((tp, o) -> intents.merge(tp, o.offset(), Math::max));
        java.util.Set<TopicPartition> touched = new java.util.HashSet<>(landed.keySet());
        touched.addAll(intent.keySet());
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : touched) {
            long at = landed.containsKey(tp) ? landed.get(tp).offset() : committedAt(tp);
            commit.put(tp, withIntent(tp, at));
        }
        commit(commit);
    }

    private long committedAt(TopicPartition tp) {
        Long at = committed.get(tp);
        if (at == null) {
            // every assigned partition gets its committed offset or its start (base) before a batch is read
            throw new IllegalStateException("no committed offset or start known for " + tp);
        }
        return at;
    }

    /**
     * True when the topic the marks are for was deleted and created again: its offsets must not be committed any
     * more. Asks the broker; called after a commit failed.
     */
    boolean topicGone() {
        // no id: the topic is missing, or the broker away (retried until it answers, or the topic is back)
        return SyncRecovery.anotherTopic(liveTopicId.get(), topicId);
    }

    /** Writes the backstop when the last one is old enough (after a landed commit). */
    void backstopIfDue() {
        if (System.currentTimeMillis() - lastBackstop >= backstopMs) {
            backstop();
        }
    }

    /** True when the landed log holds less than what is committed (a backstop would write something). */
    boolean behind() {
        return !unbackstopped().isEmpty();
    }

    /** The committed offsets the landed log does not hold yet. */
    private Map<TopicPartition, OffsetAndMetadata> unbackstopped() {
        Map<TopicPartition, OffsetAndMetadata> ahead = new HashMap<>();
        committed.forEach((tp, o) -> {
            if (!o.equals(backstopped.get(tp))) {
                ahead.put(tp, new OffsetAndMetadata(o));
            }
        });
        return ahead;
    }

    private Map<String, MarkMetadata.Pending> pendingOf(TopicPartition tp) {
        return pending.computeIfAbsent(tp, k -> new java.util.LinkedHashMap<>());
    }

    /**
     * An offset to commit, with the partition's outstanding intent as metadata if one goes beyond it, and the
     * batches in flight that end beyond it (those it passes landed, and are forgotten).
     */
    private OffsetAndMetadata withIntent(TopicPartition tp, long at) {
        long may = intents.getOrDefault(tp, -1L);
        Map<String, MarkMetadata.Pending> mine = pendingOf(tp);
        mine.values().removeIf(b -> b.end() <= at);
        return new OffsetAndMetadata(at, MarkMetadata.encode(topicId, may > at ? may : -1,
                List.copyOf(mine.values())));
    }

    /** Commits offsets past records that are not batched (transaction markers), waiting for the broker. */
    void skip(Map<TopicPartition, OffsetAndMetadata> positions) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        positions.forEach((tp, o) -> commit.put(tp, withIntent(tp, o.offset())));
        commit(commit);
    }

    /** Commits, waiting for the broker; throws when it does not confirm. */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        if (committer == null) {
            committer = committer();
        }
        committer.commitSync(offsets, java.time.Duration.ofSeconds(10));
        offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    }

    /**
     * Writes the committed offsets to the landed log in ClickHouse when it holds less; false (and the error
     * reported) when ClickHouse did not take it: it is written again at the next landed commit or quiet spell.
     */
    boolean backstop() {
        lastBackstop = System.currentTimeMillis();
        Map<TopicPartition, OffsetAndMetadata> ahead = unbackstopped();
        if (ahead.isEmpty()) {
            return true;
        }
        try {
            backstop.note(ahead);
            ahead.forEach((tp, o) -> backstopped.put(tp, o.offset()));
            return true;
        } catch (ClickHouseException e) {
            error.accept("landed log (written again later): " + e.getMessage());
            return false;
        }
    }

    private KafkaConsumer<byte[], byte[]> committer() {
        // never polls: it only commits for the sync's consumer, which reads without joining the group
        return new dcm.kafka.KafkaClients(broker).committer(group, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        if (committer != null) {
            try {
                committer.close(java.time.Duration.ofSeconds(2));
            } catch (KafkaException e) {
                // the broker is away: nothing is left to commit
            }
            committer = null;
        }
    }
}
