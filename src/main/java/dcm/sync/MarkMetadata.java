package dcm.sync;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * The codec of the metadata a sync's commits carry ({@link OffsetMarks}): {@code dcm-topic=<id>} names the topic
 * (by id) the offset is for, and {@code dcm-intent=<offset>} says that records up to there may be in the table
 * beyond the committed offset; {@code dcm-batches=<hash>@<end>@<at>,...} names the batches in flight that hold
 * records of this partition (the hash of their insert's query id, the offset after their last record here, and
 * when they were handed over, in epoch seconds), so a restart can ask ClickHouse's query log whether each landed;
 * joined by {@code ;}, the topic first. About 50 bytes a batch, at most {@value TopicSync#PIPELINE} batches: far
 * below Kafka's limit of 4096 bytes of metadata. Metadata written by others (or none) reads as no topic, no intent
 * and no batches.
 */
final class MarkMetadata {
    /** The metadata of an intent: {@code dcm-intent=<offset after the last record that may land>}. */
    static final String INTENT = "dcm-intent=";
    /**
     * The metadata naming the topic (by id) a commit is for: after a topic was deleted and created again under the
     * same name, the group may still hold offsets of the old one (a broker that keeps them; Kafka 4.1 drops them,
     * but a late commit of the old topic's last batch can land on the new one), and those must not be taken for
     * offsets of the new topic.
     */
    static final String TOPIC = "dcm-topic=";

    /** The batches in flight with records in the partition. */
    static final String BATCHES = "dcm-batches=";

    /**
     * A batch in flight, as a partition's metadata names it: the hash of its query id ({@link InsertJob#queryId()}),
     * the offset after its last record in that partition, and when it was handed to the inserter (epoch seconds).
     */
    record Pending(String hash, long end, long at) {}

    private MarkMetadata() {}

    /**
     * The most metadata a commit carries with its batches: Kafka refuses a commit whose metadata is longer than
     * {@code offset.metadata.max.bytes} (4096 by default).
     */
    static final int MAX_LENGTH = 2048;

    /**
     * {@link #encode(String, long)} with the batches in flight in the partition (none: no field). Batches that a
     * run of crashes without progress piled up beyond {@link #MAX_LENGTH} are left out: the intent still bounds
     * them, so a restart inserts them again and reports them as possible duplicates, but the commit goes through.
     */
    static String encode(String topicId, long intent, java.util.Collection<Pending> batches) {
        String head = encode(topicId, intent);
        if (batches.isEmpty()) {
            return head;
        }
        StringBuilder b = new StringBuilder(head);
        b.append(head.isEmpty() ? "" : ";").append(BATCHES);
        String sep = "";
        for (Pending p : batches) {
            b.append(sep).append(p.hash()).append('@').append(p.end()).append('@').append(p.at());
            sep = ",";
        }
        return b.length() > MAX_LENGTH ? head : b.toString();
    }

    /** The batches in flight metadata names (none when it names none, or they do not parse). */
    static java.util.List<Pending> batches(OffsetAndMetadata o) {
        String v = o == null ? null : field(o.metadata(), BATCHES);
        if (v == null || v.isEmpty()) {
            return java.util.List.of();
        }
        java.util.List<Pending> out = new java.util.ArrayList<>();
        for (String e : v.split(",")) {
            String[] f = e.split("@");
            try {
                if (f.length != 3 || !f[0].matches("[0-9a-f]{1,64}")) {
                    return java.util.List.of();
                }
                out.add(new Pending(f[0], Long.parseLong(f[1]), Long.parseLong(f[2])));
            } catch (NumberFormatException x) {
                return java.util.List.of();
            }
        }
        return out;
    }

    /** The metadata of a commit for the topic with this id (may be empty), with an intent if {@code intent >= 0}. */
    static String encode(String topicId, long intent) {
        String topic = topicId == null || topicId.isEmpty() ? "" : TOPIC + topicId;
        return intent < 0 ? topic : (topic.isEmpty() ? "" : topic + ";") + INTENT + intent;
    }

    /** The intent metadata carries, or -1 (none, or not a number). */
    static long intent(String metadata) {
        String v = field(metadata, INTENT);
        try {
            return v == null ? -1 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The topic id metadata names, or null. */
    static String topicId(String metadata) {
        return field(metadata, TOPIC);
    }

    /** The intent a committed offset carries, or -1. */
    static long intent(OffsetAndMetadata o) {
        return o == null ? -1 : intent(o.metadata());
    }

    /** The id of the topic an offset was committed for, or null (committed by an earlier version, or by others). */
    static String topicId(OffsetAndMetadata o) {
        return o == null ? null : topicId(o.metadata());
    }

    private static String field(String metadata, String name) {
        if (metadata == null) {
            return null;
        }
        for (String part : metadata.split(";")) {
            if (part.startsWith(name)) {
                return part.substring(name.length());
            }
        }
        return null;
    }
}
