package dcm.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.api.Dcm;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.ingest.Ingestor;
import dcm.ingest.Schema;
import java.lang.reflect.RecordComponent;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Dcm} does in a running shell: rows of a model version's table as records or maps, records sent to a
 * version's topic through the ingest path, samples mapped between versions ({@link SampleMapping}).
 */
public final class JavaData implements Dcm.Backend {
    /** The shell's side: its project, the model versions in force, their schemas and the ingest producers. */
    public interface Live extends Project {
        /** Every model version in force (old versions from their snapshots, and the latest). */
        List<ModelSpec> models();

        /** The schema a version's records are validated against (with later versions' conversions). */
        Schema schema(ModelSpec model);

        /** The transactional producers ingest uses. */
        Ingestor ingestor();
    }

    private final Live live;
    private volatile ZoneId serverZone;

    public JavaData(Live live) {
        this.live = live;
    }

    @Override
    public List<?> rows(String ref, Class<?> type, String where, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be at least 1, got " + limit);
        }
        ModelSpec m = ref == null ? latest(modelOf(type)) : resolve(ref);
        if (m.table() == null) {
            throw new IllegalArgumentException("model " + m.ref() + " has no table (it is a " + m.kind() + ")");
        }
        List<String> columns = m.columns().stream().map(ColumnSpec::name).toList();
        if (type != null) {
            columns = components(type);
            List<String> missing = columns.stream().filter(c -> m.columns().stream().noneMatch(x -> x.name()
                    .equals(c))).toList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(m.ref() + " has no column " + String.join(", ", missing) + " for "
                        + type.getSimpleName() + "; its columns: " + m.columns().stream().map(ColumnSpec::name)
                        .toList());
            }
        }
        List<String> order = m.table().orderBy().stream().map(o -> Names.isValidIdentifier(o.replace("`", ""))
                ? Sql.id(o.replace("`", "")) : "(" + o + ")").toList();
        String sql = "SELECT " + String.join(", ", columns.stream().map(Sql::id).toList()) + " FROM "
                + Sql.table(live.config().clickhouse().dbName(), m.table().name())
                + (where == null || where.isBlank() ? "" : " WHERE (" + where + ")")
                + (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order)) + " LIMIT " + limit;
        return convert(live.clickhouse().query(sql, false), type);
    }

    /** Rows as records of {@code type} when given (and it fits), else as maps of plain values. */
    List<?> convert(Rows rows, Class<?> type) {
        JavaValues values = new JavaValues(zone());
        List<Object> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < rows.columns().size(); c++) {
                row.put(rows.columns().get(c), type != null ? rows.rows().get(r).get(c)
                        : values.plain(rows.rows().get(r).get(c), rows.types().get(c), r + 1, rows.columns().get(c)));
            }
            out.add(type != null ? values.record(type, row, r + 1) : java.util.Collections.unmodifiableMap(row));
        }
        return java.util.Collections.unmodifiableList(out);
    }

    private ZoneId zone() {
        if (serverZone == null) {
            serverZone = ZoneId.of(live.clickhouse().scalar("SELECT timezone() FORMAT TabSeparated").strip());
        }
        return serverZone;
    }

    @Override
    public int send(String ref, List<?> records) {
        if (records.isEmpty()) {
            return 0;
        }
        ModelSpec m;
        if (ref != null) {
            m = resolve(ref);
        } else {
            Class<?> type = records.get(0) == null ? null : records.get(0).getClass();
            records.forEach(r -> {
                if (r == null || r.getClass() != type) {
                    throw new IllegalArgumentException("Dcm.send(records) takes records of one model; got "
                            + (r == null ? "null" : r.getClass().getSimpleName()) + " after "
                            + type.getSimpleName() + ": send each model's records on their own");
                }
            });
            m = latest(modelOf(type));
        }
        if (m.topic() == null) {
            throw new IllegalArgumentException("model " + m.ref() + " has no topic to send to (it is a " + m.kind()
                    + "): records go to a Stream or an IngestPipeline");
        }
        Schema schema = live.schema(m);
        List<ObjectNode> valid = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            try {
                valid.add(schema.validate(JavaValues.json(records.get(i)), i + 1));
            } catch (Schema.InvalidRecord e) {
                refused.add(e.getMessage());
            } catch (IllegalArgumentException e) {
                refused.add("record " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(refused.size() + " of " + records.size() + " record(s) refused by "
                    + m.ref() + ", nothing sent: " + String.join("; ", refused));
        }
        live.ingestor().send(m.topic().name(), schema, valid);
        return valid.size();
    }

    @Override
    public List<?> map(String model, String from, String to, List<?> samples) {
        return new SampleMapping(live, this).run(model, from, to, samples);
    }

    @Override
    public Map<String, String> columns(String ref) {
        Map<String, String> out = new LinkedHashMap<>();
        resolve(ref).columns().forEach(c -> out.put(c.name(), c.type()));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The record type of the latest version of {@code model}, if its script declares one. */
    Class<?> recordType(String model) {
        return live.workspace().recordTypes().get(model);
    }

    static List<String> components(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getSimpleName() + " is not a record");
        }
        return java.util.Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    /** The model whose script declares {@code type} as its record. */
    private String modelOf(Class<?> type) {
        List<String> names = live.workspace().recordTypes().entrySet().stream().filter(e -> e.getValue() == type)
                .map(Map.Entry::getKey).toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no model has the record " + type.getSimpleName()
                    + " (as declared now); models: " + live.workspace().recordTypes().keySet()
                    + " (a record redeclared at the prompt is another class: use the model's name, e.g."
                    + " Dcm.rows(\"Users\", User.class, \"\", 100))");
        }
        throw new IllegalArgumentException("the models " + names + " share the record " + type.getSimpleName()
                + ": name one, e.g. Dcm.rows(\"" + names.get(0) + "\", " + type.getSimpleName() + ".class, \"\", 100)");
    }

    /** A model version in force by {@code Users} (the latest) or {@code Users@1.0}. */
    ModelSpec resolve(String ref) {
        int at = ref.indexOf('@');
        String name = at < 0 ? ref.strip() : ref.substring(0, at).strip();
        if (at < 0) {
            return latest(name);
        }
        String version = ref.substring(at + 1).strip();
        List<ModelSpec> versions = versions(name);
        return versions.stream().filter(m -> m.version().equals(version)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no version " + version + " of " + name + " in force; versions: "
                        + versions.stream().map(ModelSpec::version).toList()));
    }

    private ModelSpec latest(String name) {
        List<ModelSpec> versions = versions(name);
        return versions.get(versions.size() - 1);
    }

    /** The versions of a model in force, oldest first. */
    private List<ModelSpec> versions(String name) {
        List<ModelSpec> all = live.models();
        List<ModelSpec> out = all.stream().filter(m -> m.name().equals(name))
                .sorted(Comparator.comparing(ModelSpec::version, Names::compareVersions)).toList();
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no model named '" + name + "'; models: " + all.stream()
                    .map(ModelSpec::name).distinct().toList());
        }
        return out;
    }
}
