package dcm.kafka;

import java.util.Map;

/**
 * One record read from a topic.
 *
 * @param headers its headers as text (a dead letter's {@code dcm.reason} and {@code dcm.table}), in order
 */
public record TopicRecord(int partition, long offset, long timestamp, String key, String value,
                          Map<String, String> headers) {
    public TopicRecord {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }
}
