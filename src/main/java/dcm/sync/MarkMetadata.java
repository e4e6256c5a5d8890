package dcm.sync;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * The codec of the metadata a sync's commits carry ({@link OffsetMarks}): {@code dcm-topic=<id>} names the topic
 * (by id) the offset is for, and {@code dcm-intent=<offset>} says that records up to there may be in the table
 * beyond the committed offset; joined by {@code ;}, the topic first. Metadata written by others (or none) reads as
 * no topic and no intent.
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

    private MarkMetadata() {}

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
