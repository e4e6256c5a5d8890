package dcm.kafka;

/** One record read from a topic. */
public record TopicRecord(int partition, long offset, long timestamp, String key, String value) {}
