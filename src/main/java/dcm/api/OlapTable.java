package dcm.api;

import dcm.core.LifeCycle;
import dcm.core.SqlFragments;
import java.util.List;
import java.util.Optional;

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

    /**
     * The table engine, e.g. {@code ReplacingMergeTree(updatedAt)} (default {@code MergeTree}): one of
     * {@link SqlFragments#engines()}, whose arguments name fields of the schema.
     */
    public OlapTable<T> engine(String engine) {
        refuse("engine", engine, SqlFragments.engine(engine));
        this.engine = engine.strip();
        return this;
    }

    /** A PARTITION BY expression, e.g. {@code toYYYYMM(timestamp)}. */
    public OlapTable<T> partitionBy(String expression) {
        refuse("partitionBy", expression, SqlFragments.expression(expression).map(f -> new SqlFragments.Flaw(
                "is not one expression: " + f.message(), f.column())));
        this.partitionBy = expression;
        return this;
    }

    private void refuse(String method, String fragment, Optional<SqlFragments.Flaw> flaw) {
        if (flaw.isPresent()) {
            throw new ModelProblem("table " + name() + ": " + method + "("
                    + (fragment == null ? "null" : TypeMapper.javaString(fragment)) + ") " + flaw.get().message());
        }
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
