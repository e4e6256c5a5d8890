package dcm.core.live;

/** A topic as the broker has it. */
public record LiveTopic(String name, int partitions, int replicationFactor, long retentionMs) {}
