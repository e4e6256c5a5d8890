package dcm.api;

import dcm.core.LifeCycle;
import java.util.List;

/**
 * An ingest route, a topic and a table for one schema, wired together, as Moose's {@code IngestPipeline<T>}:
 * {@code new IngestPipeline<>("UserEvents", UserEvent.class).orderBy("userId", "at");}
 * Records posted to {@code /ingest/UserEvents/<version>} go to the topic, and the topic is synced into the table.
 *
 * @param <T> the schema record
 */
public final class IngestPipeline<T extends Record> extends Resource<T> {
    private boolean table = true;
    private boolean stream = true;
    private List<String> orderBy = List.of();
    private int partitions = 1;

    public IngestPipeline(String name, Class<T> schema) {
        super(name, schema);
    }

    /** Whether the pipeline lands in a table (default true). */
    public IngestPipeline<T> table(boolean enabled) {
        this.table = enabled;
        return this;
    }

    /** Whether the pipeline has a topic (default true). */
    public IngestPipeline<T> stream(boolean enabled) {
        this.stream = enabled;
        return this;
    }

    /** ORDER BY of the table. */
    public IngestPipeline<T> orderBy(String... fields) {
        this.orderBy = List.of(fields);
        return this;
    }

    /** Partitions of the topic. */
    public IngestPipeline<T> partitions(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        this.partitions = partitions;
        return this;
    }

    public IngestPipeline<T> lifeCycle(LifeCycle lifeCycle) {
        setLifeCycle(lifeCycle);
        return this;
    }

    public boolean hasTable() {
        return table;
    }

    public boolean hasStream() {
        return stream;
    }

    public List<String> orderByFields() {
        return orderBy;
    }

    public int partitionCount() {
        return partitions;
    }
}
