package dcm.api;

import dcm.core.LifeCycle;
import dcm.core.Names;
import java.util.Objects;

/**
 * The common part of the model DSL's resources: a model name, a record schema, a lifecycle. Creating one registers
 * it with the loader that is evaluating the model script.
 *
 * @param <T> the record type that is the schema
 */
public abstract class Resource<T extends Record> {
    private final String name;
    private final Class<T> schema;
    private LifeCycle lifeCycle = LifeCycle.FULLY_MANAGED;

    protected Resource(String name, Class<T> schema) {
        this.name = Names.requireIdentifier("model", name);
        this.schema = Objects.requireNonNull(schema, "schema class");
        if (!schema.isRecord()) {
            throw new IllegalArgumentException(schema.getSimpleName() + " is not a record");
        }
        ModelRegistry.register(this);
    }

    /** The bare model name. */
    public String name() {
        return name;
    }

    /** The record class whose components are the columns / fields. */
    public Class<T> schema() {
        return schema;
    }

    /** Who owns the physical objects. */
    public LifeCycle lifeCycle() {
        return lifeCycle;
    }

    protected void setLifeCycle(LifeCycle lifeCycle) {
        this.lifeCycle = Objects.requireNonNull(lifeCycle, "lifeCycle");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + schema.getSimpleName() + ", " + lifeCycle + "]";
    }
}
