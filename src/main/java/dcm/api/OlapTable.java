package dcm.api;

import dcm.core.LifeCycle;
import java.util.List;

/**
 * A ClickHouse table for a record schema, as Moose's {@code OlapTable<T>}:
 * {@code new OlapTable<>("Users", User.class).orderBy("id").lifeCycle(LifeCycle.DELETION_PROTECTED);}
 *
 * @param <T> the schema record
 */
public final class OlapTable<T extends Record> extends Resource<T> {
    private List<String> orderBy = List.of();
    private String engine = "MergeTree";
    private String partitionBy;

    public OlapTable(String name, Class<T> schema) {
        super(name, schema);
    }

    /** ORDER BY fields; without it the key fields, or the first field. */
    public OlapTable<T> orderBy(String... fields) {
        this.orderBy = List.of(fields);
        return this;
    }

    /** The table engine, e.g. {@code ReplacingMergeTree} (default {@code MergeTree}). */
    public OlapTable<T> engine(String engine) {
        if (!engine.matches("[A-Za-z]+(\\([A-Za-z0-9_, ]*\\))?")) {
            throw new IllegalArgumentException("engine '" + engine + "' is not an engine name like MergeTree");
        }
        this.engine = engine;
        return this;
    }

    /** A PARTITION BY expression, e.g. {@code toYYYYMM(timestamp)}. */
    public OlapTable<T> partitionBy(String expression) {
        this.partitionBy = expression;
        return this;
    }

    public OlapTable<T> lifeCycle(LifeCycle lifeCycle) {
        setLifeCycle(lifeCycle);
        return this;
    }

    public List<String> orderByFields() {
        return orderBy;
    }

    public String engine() {
        return engine;
    }

    public String partitionBy() {
        return partitionBy;
    }
}
