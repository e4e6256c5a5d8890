package dcm.sync;

import dcm.clickhouse.ClickHouse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a sync's consumer starts: from the group's committed offsets, or from the landed log in ClickHouse where
 * that is further (the broker forgot the offsets: what already landed is skipped); an intent beyond both (in the
 * committed offset's metadata, see {@link OffsetMarks}) is a batch that may have landed: reported. After its
 * topic was deleted and created again, from the new topic's start. Keeps the
 * landed log keyed by the topic's current id, and what it found for {@code sync status}. Used by the consumer
 * thread only, except {@link #found()}.
 */
final class SyncRecovery {
    private final String group;
    private final LandedLog landedLog;
    /** The topic's current id, asked every second (the topic may be deleted and created again under a sync). */
    private final Supplier<String> topicId;
    /** The id of the topic the sync reads; "" when the broker gave none. */
    private String readingId;
    /** Set when the topic was found created again: the next consumer starts from the new topic's start. */
    private boolean fromStart;
    /** Per partition, the intents found beyond where the consumer starts (carried on by the marks). */
    private Map<TopicPartition, Long> outstanding = Map.of();
    /** Per partition, the batches in flight at the last stop the query log could not decide (carried on). */
    private Map<TopicPartition, List<MarkMetadata.Pending>> outstandingBatches = Map.of();
    private final QueryLogCheck queryLog;
    /** What the last recovery found; kept across later reconnects. */
    private volatile String found = "";

    SyncRecovery(ClickHouse ch, String group, Supplier<String> topicId) {
        this.group = group;
        this.topicId = topicId;
        this.queryLog = new QueryLogCheck(ch);
        this.readingId = topicId.get();
        // keyed by the topic's id as well: a topic deleted and created again under the same name starts afresh
        this.landedLog = new LandedLog(ch, readingId.isEmpty() ? group : group + "@" + readingId);
    }

    LandedLog landedLog() {
        return landedLog;
    }

    /** The id of the topic the sync reads ("" when the broker gave none). */
    String readingId() {
        return readingId;
    }

    /** Per partition, the intents the last recovery found beyond the consumer's start (may have landed). */
    Map<TopicPartition, Long> outstanding() {
        return outstanding;
    }

    /** Per partition, the batches in flight at the last stop whose landing the query log could not tell. */
    Map<TopicPartition, List<MarkMetadata.Pending>> outstandingBatches() {
        return outstandingBatches;
    }

    /** What recovery found (skipped records, possible duplicates, a topic created again), or empty. */
    String found() {
        return found;
    }

    /** What recovery found at the last start and the {@code resent} rows (after a dropped insert), or empty. */
    String found(long resent) {
        return resent == 0 ? found : (found.isEmpty() ? "" : found + " ") + "possible duplicates: " + resent
                + " row(s) sent again after ClickHouse dropped the connection in the middle of their insert";
    }

    /**
     * When the landed log is ahead of the committed offsets (the broker lost or expired them; or a crash between
     * a batch's landed note and its commit, with earlier versions): skip (and commit) what already landed (never past a partition's end: a landed mark beyond it belongs to an
     * earlier topic of the same name). An intent beyond the last landed mark is the batch whose insert may or may
     * not have happened: reported as possible duplicates.
     */
    void recover(KafkaConsumer<Void, ByteBuffer> consumer, List<TopicPartition> parts,
                 Map<TopicPartition, Long> committed) {
        landedLog.ensure();
        outstanding = Map.of();
        outstandingBatches = Map.of();
        if (fromStart) {
            startOver(consumer, parts, committed);
            // only now: if the broker was away, the next try starts over again (the group still holds offsets of
            // the topic deleted)
            fromStart = false;
            return;
        }
        Map<Integer, Long> landed = landedLog.landed();
        Map<Integer, Long> intended = landedLog.intended();
        Map<TopicPartition, OffsetAndMetadata> committedAt = consumer.committed(new java.util.HashSet<>(parts),
                Duration.ofSeconds(10));
        if (committedForAnotherTopic(committedAt)) {
            // the topic was deleted and created again, and the group still holds offsets of the old one (the shell
            // stopped before its sync saw the change, or while it committed the old one's last batches)
            startOver(consumer, parts, committed);
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(10));
        Map<TopicPartition, OffsetAndMetadata> skip = new HashMap<>();
        Map<TopicPartition, Long> open = new HashMap<>();
        Map<TopicPartition, List<MarkMetadata.Pending>> undecided = new HashMap<>();
        long skipped = 0;
        long uncertain = 0;
        boolean forgotten = false;
        InFlightBatches batches = new InFlightBatches(queryLog::check, committedAt, landed, ends);
        for (TopicPartition tp : parts) {
            long at = committedAt.get(tp) == null ? -1 : committedAt.get(tp).offset();
            long done = landed.getOrDefault(tp.partition(), -1L);
            if (done > ends.getOrDefault(tp, Long.MAX_VALUE)) {
                continue;
            }
            if (done > at) {
                skipped += done - Math.max(0, at);
                forgotten |= at < 0;
            }
            // offsets noted as about to be inserted but not as landed: their insert may or may not have happened
            // (noted in the committed offset's metadata; in the landed log by earlier versions); the batches the
            // metadata names are looked up in the query log: those that landed are skipped
            long intent = Math.max(MarkMetadata.intent(committedAt.get(tp)), intended.getOrDefault(tp.partition(), -1L));
            long start = Math.max(0, Math.max(done, at));
            InFlightBatches.Outcome o = batches.decide(tp, start);
            long from = o.from();
            if (o.decided() && intent <= o.lastEnd()) {
                // every batch in flight here is decided: what landed is skipped, the rest read again
                intent = -1;
            } else if (!o.rest().isEmpty()) {
                undecided.put(tp, o.rest());
            }
            uncertain += Math.max(0, intent - from);
            if (intent > from) {
                open.put(tp, intent);
            }
            // past what the landed log holds, or what the query log says landed
            if (from > at && (done > at || from > start)) {
                skip.put(tp, new OffsetAndMetadata(from));
            }
        }
        committed.clear();
        committedAt.forEach((tp, o) -> {
            if (o != null) {
                committed.put(tp, o.offset());
            }
        });
        if (!skip.isEmpty()) {
            skip.forEach((tp, o) -> consumer.seek(tp, o.offset()));
            // an intent beyond, and the batches not decided, stay in the metadata until the commits pass them
            skip.replaceAll((tp, o) -> new OffsetAndMetadata(o.offset(), MarkMetadata.encode(readingId,
                    open.getOrDefault(tp, -1L), undecided.getOrDefault(tp, List.of()))));
            consumer.commitSync(skip, Duration.ofSeconds(10));
            skip.forEach((tp, o) -> committed.put(tp, o.offset()));
        }
        outstanding = open;
        outstandingBatches = undecided;
        String found = (skipped > 0 ? "skipped " + skipped + " record offset(s) already in the table (the landed log is"
                + " ahead of the committed offsets). " : "")
                + (forgotten ? "the broker had no committed offsets for this sync (expired?): it starts where the"
                + " landed log says; that is written on stop, when quiet and every " + OffsetMarks.BACKSTOP_MS / 1000
                + " s while busy, so after a crash records that landed in its last seconds may land twice. " : "")
                + batches.report()
                + (uncertain > 0 ? "possible duplicates: up to " + uncertain + " record(s) noted as about to be"
                + " inserted when the sync stopped were read again (the batch being inserted may have landed"
                + batches.whyUnsure() + ")" : "");
        if (!found.isEmpty()) {
            // kept across later reconnects: a warning that disappeared on the next broker blip would be missed
            this.found = found;
        }
    }

    /** True when an offset was committed for a topic of another id than the one read (deleted since). */
    private boolean committedForAnotherTopic(Map<TopicPartition, OffsetAndMetadata> committedAt) {
        for (OffsetAndMetadata o : committedAt.values()) {
            if (anotherTopic(MarkMetadata.topicId(o), readingId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when two topic ids are both known and differ: the topic was deleted and created again. An unknown id
     * (null or "": the broker away, the topic missing, an offset committed without one) proves nothing.
     */
    static boolean anotherTopic(String id, String otherId) {
        return id != null && !id.isEmpty() && otherId != null && !otherId.isEmpty() && !id.equals(otherId);
    }

    /**
     * True when the topic now has another id than the one this sync reads: it was deleted and created again. The
     * consumer's positions and the group's offsets belong to the old topic (a position inside the new one would
     * silently skip its first records), and so do the landed marks: the next consumer starts over.
     */
    boolean topicCreatedAgain() {
        String id = topicId.get();
        if (!anotherTopic(id, readingId)) {
            if (readingId.isEmpty()) {
                readingId = id;
            }
            return false;
        }
        readingId = id;
        // the landed log is keyed anew only in startOver: the old topic's batches still in flight are committed,
        // and may be backstopped, under the old key
        fromStart = true;
        return true;
    }

    /** Reads a topic created again from its start: seeks there and commits that, as nothing of it landed yet. */
    private void startOver(KafkaConsumer<Void, ByteBuffer> consumer, List<TopicPartition> parts,
                           Map<TopicPartition, Long> committed) {
        landedLog.rekey(group + "@" + readingId);
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(parts, Duration.ofSeconds(10));
        Map<TopicPartition, OffsetAndMetadata> at = new HashMap<>();
        starts.forEach((tp, o) -> {
            consumer.seek(tp, o);
            at.put(tp, new OffsetAndMetadata(o, MarkMetadata.encode(readingId, -1)));
        });
        consumer.commitSync(at, Duration.ofSeconds(10));
        committed.clear();
        at.forEach((tp, o) -> committed.put(tp, o.offset()));
        found = "the topic was deleted and created again: reading it from its start (records polled from it before"
                + " that was seen, within a second, may land twice)";
    }
}
