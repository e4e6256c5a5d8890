package dcm.api;

import dcm.core.ColumnSpec;
import dcm.core.Dialect;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.SqlFragments;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the DSL resources a script created into {@link ModelSpec}s: resources with the same model name merge (a
 * table and a stream of {@code Users} are one model), names get their version suffix, columns their ClickHouse types.
 */
public final class ModelAssembler {
    /** One resource and where it was created ({@code models/users.jsh:4}). */
    public record Definition(Resource<?> resource, String source) {}

    /** Settings that shape the physical names and defaults. */
    public record Settings(String version, String namespace, long defaultRetentionMs, Dialect dialect) {}

    private ModelAssembler() {}

    /** Assembles one model from the resources sharing its name. */
    public static ModelSpec assembleOne(List<Definition> group, Settings s) {
        Definition first = group.get(0);
        String name = first.resource().name();
        Class<?> schema = first.resource().schema();
        if (schema.getRecordComponents().length == 0) {
            throw new ModelProblem("model " + name + ": record " + schema.getSimpleName() + " has no fields; a model"
                    + " needs at least one, e.g. record " + schema.getSimpleName() + "(String id) {}");
        }
        OlapTable<?> table = null;
        Stream<?> stream = null;
        IngestPipeline<?> pipeline = null;
        for (Definition d : group) {
            if (d.resource().schema() != first.resource().schema()) {
                throw conflict(name, "uses schema " + d.resource().schema().getSimpleName() + " at " + d.source()
                        + " but " + first.resource().schema().getSimpleName() + " at " + first.source());
            }
            Resource<?> r = d.resource();
            if (r instanceof OlapTable<?> t) {
                table = once(table, t, name, "an OlapTable", d, group);
            } else if (r instanceof Stream<?> st) {
                stream = once(stream, st, name, "a Stream", d, group);
            } else if (r instanceof IngestPipeline<?> p) {
                pipeline = once(pipeline, p, name, "an IngestPipeline", d, group);
            } else {
                // a new kind of resource would otherwise be registered and then silently left out of the model
                throw new IllegalStateException("unhandled resource: " + r);
            }
        }
        if (pipeline != null && (table != null || stream != null)) {
            throw conflict(name, "has an IngestPipeline and also a separate OlapTable or Stream; an IngestPipeline"
                    + " already includes both");
        }
        List<ColumnSpec> columns = TypeMapper.columns(first.resource().schema(), s.dialect());
        String physical = Names.versioned(name, s.version());
        TableSpec tableSpec = null;
        TopicSpec topicSpec = null;
        if (table != null) {
            checkEngine(name, table.engine(), columns);
            tableSpec = new TableSpec(physical, columns, table.engine(), orderBy(table.orderByFields(), columns),
                    table.partitionBy(), table.lifeCycle());
        } else if (pipeline != null && pipeline.hasTable()) {
            tableSpec = new TableSpec(physical, columns, "MergeTree", orderBy(pipeline.orderByFields(), columns),
                    null, pipeline.lifeCycle());
        }
        if (stream != null) {
            long retention = stream.retention() == null ? s.defaultRetentionMs() : stream.retention();
            topicSpec = new TopicSpec(Names.topic(s.namespace(), name, s.version()), stream.partitionCount(),
                    retention, stream.lifeCycle());
        } else if (pipeline != null && pipeline.hasStream()) {
            topicSpec = new TopicSpec(Names.topic(s.namespace(), name, s.version()), pipeline.partitionCount(),
                    s.defaultRetentionMs(), pipeline.lifeCycle());
        }
        return new ModelSpec(name, s.version(), columns, tableSpec, topicSpec, pipeline != null, first.source());
    }

    /** The same model with the names of the settings' version: table and topic {@code Model_<version>}. */
    public static ModelSpec rename(ModelSpec m, Settings s) {
        TableSpec t = m.table();
        TopicSpec p = m.topic();
        return new ModelSpec(m.name(), s.version(), m.columns(), t == null ? null : new TableSpec(Names.versioned(
                m.name(), s.version()), t.columns(), t.engine(), t.orderBy(), t.partitionBy(), t.lifeCycle()),
                p == null ? null : new TopicSpec(Names.topic(s.namespace(), m.name(), s.version()), p.partitions(),
                p.retentionMs(), p.lifeCycle()), m.ingest(), m.source());
    }

    /** The engine's arguments must be columns of fitting types (its name and shape were checked when declared). */
    private static void checkEngine(String model, String engine, List<ColumnSpec> columns) {
        Map<String, String> types = new LinkedHashMap<>();
        columns.forEach(c -> types.put(c.name(), c.type()));
        SqlFragments.engine(engine, types).ifPresent(f -> {
            throw new ModelProblem("model " + model + ": engine " + TypeMapper.javaString(engine) + " " + f.message());
        });
    }

    private static <R> R once(R existing, R next, String name, String what, Definition d, List<Definition> group) {
        if (existing != null) {
            throw conflict(name, "has " + what + " twice (" + group.get(0).source() + " and " + d.source() + ")");
        }
        return next;
    }

    private static List<String> orderBy(List<String> declared, List<ColumnSpec> columns) {
        if (!declared.isEmpty()) {
            return declared;
        }
        List<String> keys = columns.stream().filter(ColumnSpec::key).map(ColumnSpec::name).toList();
        return keys.isEmpty() ? List.of(columns.get(0).name()) : keys;
    }

    private static IllegalArgumentException conflict(String name, String what) {
        return new IllegalArgumentException("model " + name + " " + what);
    }
}
