package dcm.api;

import dcm.core.LifeCycle;

/**
 * A broker topic carrying records of a schema, as Moose's {@code Stream<T>}:
 * {@code new Stream<>("UserEvents", UserEvent.class).partitions(3);}
 *
 * @param <T> the schema record
 */
public final class Stream<T extends Record> extends Resource<T> {
    private int partitions = 1;
    private Long retentionMs;

    public Stream(String name, Class<T> schema) {
        super(name, schema);
    }

    /** Number of partitions (default 1). */
    public Stream<T> partitions(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        this.partitions = partitions;
        return this;
    }

    /** Retention in milliseconds (default: {@code [redpanda_config] retention_ms}). */
    public Stream<T> retentionMs(long retentionMs) {
        this.retentionMs = retentionMs;
        return this;
    }

    public Stream<T> lifeCycle(LifeCycle lifeCycle) {
        setLifeCycle(lifeCycle);
        return this;
    }

    public int partitionCount() {
        return partitions;
    }

    /** The explicit retention, or null for the configured default. */
    public Long retention() {
        return retentionMs;
    }
}
