package dcm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.versions.ValueChecks;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model version's schema as a record validator: types, required fields (no default, not nullable), unknown
 * fields. Valid records come back normalized for ClickHouse's JSONEachRow.
 */
public final class Schema {
    /** Why one record was refused: its index in the request, the field, the reason. */
    public record Problem(int record, String field, String reason) {
        public String message() {
            return "record " + record + (field == null ? "" : ", field '" + field + "'") + ": " + reason;
        }
    }

    /** The record header our ingest sets: the schema fingerprint the record was validated against. */
    public static final String HEADER = "dcm.schema";
    private final ModelSpec model;
    private final Map<String, FieldType> fields = new LinkedHashMap<>();
    private final Map<String, ColumnSpec> columns = new LinkedHashMap<>();

    /**
     * The conversions later versions make of this version's values (see {@link ValueChecks}): a value one of them
     * would refuse is refused here, with the reason.
     */
    private final List<ValueChecks.Check> later;
    private volatile byte[] fingerprintBytes;

    public Schema(ModelSpec model) {
        this(model, List.of());
    }

    public Schema(ModelSpec model, List<ValueChecks.Check> later) {
        this.model = model;
        this.later = List.copyOf(later);
        for (ColumnSpec c : model.columns()) {
            fields.put(c.name(), FieldType.parse(c.type()));
            columns.put(c.name(), c);
        }
    }

    public ModelSpec model() {
        return model;
    }

    /** A short hash of the model version and its column names and types. */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder(model.ref());
        model.columns().forEach(c -> sb.append('|').append(c.name()).append(' ').append(c.type()).append(' ')
                .append(c.defaultExpr()));
        // records checked against other later versions' conversions are checked again
        later.forEach(c -> sb.append('|').append(c));
        return dcm.core.Digest.sha256Hex(sb.toString(), 8);
    }

    /** {@link #fingerprint()} as UTF-8, computed once (each produced record carries it). */
    public byte[] fingerprintBytes() {
        byte[] b = fingerprintBytes;
        if (b == null) {
            b = fingerprint().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            fingerprintBytes = b;
        }
        return b;
    }

    /** The field names, in order. */
    public List<String> fieldNames() {
        return List.copyOf(fields.keySet());
    }

    /** Validates a JSON record; returns the normalized record or throws {@link InvalidRecord}. */
    public ObjectNode validate(JsonNode record, int index) {
        if (!record.isObject()) {
            throw new InvalidRecord(new Problem(index, null, "expected a JSON object, got "
                    + record.getNodeType().name().toLowerCase()));
        }
        ObjectNode out = FieldType.object();
        for (Iterator<String> it = record.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.containsKey(name)) {
                throw new InvalidRecord(new Problem(index, name, "unknown field; the schema of " + model.ref()
                        + " has " + fields.keySet()));
            }
        }
        for (Map.Entry<String, FieldType> f : fields.entrySet()) {
            JsonNode v = record.get(f.getKey());
            if (v == null || v.isNull()) {
                if (f.getValue().nullable()) {
                    out.putNull(f.getKey());
                } else if (v == null && columns.get(f.getKey()).defaultExpr() != null) {
                    continue;
                } else {
                    throw new InvalidRecord(new Problem(index, f.getKey(), (v == null ? "missing" : "null")
                            + " (required " + f.getValue().name() + ")"));
                }
                continue;
            }
            try {
                out.set(f.getKey(), f.getValue().convert(v));
            } catch (IllegalArgumentException e) {
                throw new InvalidRecord(new Problem(index, f.getKey(), e.getMessage()));
            }
        }
        checkLater(out, index);
        return out;
    }

    /** Whether later versions convert some of this version's values (then the one-pass raw check does not do). */
    public boolean hasLaterChecks() {
        return !later.isEmpty();
    }

    private void checkLater(ObjectNode record, int index) {
        if (later.isEmpty()) {
            return;
        }
        Map<String, Object> values = new java.util.HashMap<>();
        for (ValueChecks.Check c : later) {
            Object v = values.containsKey(c.field()) ? values.get(c.field()) : value(record.get(c.field()));
            try {
                values.put(c.field(), ValueChecks.convert(c, v));
            } catch (IllegalArgumentException e) {
                throw new InvalidRecord(new Problem(index, c.field(), e.getMessage()));
            }
        }
    }

    private static Object value(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isNumber() ? v.decimalValue() : v.asText();
    }

    /** Validates a CSV row given the header; cells are typed by the schema. */
    public ObjectNode validateCsv(List<String> header, List<String> cells, int index) {
        if (cells.size() != header.size()) {
            throw new InvalidRecord(new Problem(index, null, "has " + cells.size() + " cells, the header has "
                    + header.size()));
        }
        ObjectNode raw = FieldType.object();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            FieldType type = fields.get(name);
            if (type == null) {
                throw new InvalidRecord(new Problem(index, name, "unknown column; the schema of " + model.ref()
                        + " has " + fields.keySet()));
            }
            try {
                raw.set(name, type.fromText(cells.get(i)));
            } catch (IllegalArgumentException e) {
                throw new InvalidRecord(new Problem(index, name, e.getMessage()));
            }
        }
        return validate(raw, index);
    }

    /** The record's key for partitioning: its key fields joined, or null. */
    public String key(ObjectNode record) {
        List<String> parts = new ArrayList<>();
        for (ColumnSpec c : model.columns()) {
            if (c.key() && record.has(c.name())) {
                parts.add(record.get(c.name()).asText());
            }
        }
        return parts.isEmpty() ? null : String.join("|", parts);
    }

    /** A record that does not fit the schema. */
    public static final class InvalidRecord extends RuntimeException {
        private final transient Problem problem;

        public InvalidRecord(Problem problem) {
            super(problem.message());
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }
}
