package dcm.sync;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/** What a sync's consumer knows of its topic's partitions: assignment, positions, whether it caught up, the lag. */
final class Partitions {
    private Partitions() {}

    /**
     * Assigns every partition of the topic (partitions added since are picked up). A partition this group never
     * committed is read from its start (the consumer resets nothing itself), and the marks learn where each new
     * partition starts (an intent-only commit needs an offset).
     */
    static List<TopicPartition> assign(KafkaConsumer<Void, ByteBuffer> consumer, String topic, OffsetMarks marks) {
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (!consumer.assignment().containsAll(parts)) {
            Set<TopicPartition> added = new HashSet<>(parts);
            added.removeAll(consumer.assignment());
            consumer.assign(parts);
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

    /** The consumer's positions: the offsets after everything polled. */
    static Map<TopicPartition, OffsetAndMetadata> positions(KafkaConsumer<Void, ByteBuffer> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
        }
        return offsets;
    }

    /**
     * True when the consumer has read to the end of every partition as of its last fetch. An empty poll alone does
     * not say so: under a backlog it only means the next fetch is still on its way, and flushing the batch then
     * would make small inserts.
     */
    static boolean caughtUp(KafkaConsumer<Void, ByteBuffer> consumer) {
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent() && lag.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }

    /** The records of these partitions not yet committed by the group, counted as `sync wait` counts them; -1 unknown. */
    static long lag(KafkaConsumer<Void, ByteBuffer> consumer, List<TopicPartition> parts) {
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(2));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(parts),
                    Duration.ofSeconds(2));
            long total = 0;
            for (TopicPartition tp : parts) {
                OffsetAndMetadata c = committed.get(tp);
                total += dcm.kafka.Broker.partitionLag(ends.getOrDefault(tp, 0L), c == null ? -1 : c.offset());
            }
            return total;
        } catch (KafkaException e) {
            return -1;
        }
    }
}
