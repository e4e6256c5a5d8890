package dcm.core.versions;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.plan.Normalize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a new version of a model is compatible with the old one, in Schema Registry's sense: BACKWARD when readers
 * of the new version can read what producers still writing the old version send; FORWARD when readers of the old
 * version can read what the new version's producers send; FULL when both hold. The same fields break the table's
 * readers and the topic's, so one verdict serves both; each break names its field and why.
 *
 * @param model    the model
 * @param from     the old version
 * @param to       the new version
 * @param level    FULL, BACKWARD, FORWARD or NONE
 * @param backward what breaks readers of the new version reading old data (empty when BACKWARD holds)
 * @param forward  what breaks readers of the old version reading new data (empty when FORWARD holds)
 */
public record Compatibility(String model, String from, String to, Level level, List<String> backward,
                            List<String> forward) {
    public Compatibility {
        backward = List.copyOf(backward);
        forward = List.copyOf(forward);
    }

    /** The compatibility level, as Schema Registry names them. */
    public enum Level { FULL, BACKWARD, FORWARD, NONE }

    /** Lossless widenings: a reader of the wider type reads every value of the narrower one unchanged. */
    private static final Map<String, List<String>> WIDER = Map.of(
            "Int8", List.of("Int16", "Int32", "Int64", "Float32", "Float64"),
            "Int16", List.of("Int32", "Int64", "Float32", "Float64"),
            "Int32", List.of("Int64", "Float64"),
            "UInt8", List.of("UInt16", "UInt32", "UInt64", "Int16", "Int32", "Int64", "Float32", "Float64"),
            "UInt16", List.of("UInt32", "UInt64", "Int32", "Int64", "Float32", "Float64"),
            "UInt32", List.of("UInt64", "Int64", "Float64"),
            "Float32", List.of("Float64"),
            "Date", List.of("DateTime"));

    /** The verdict for going from one version's schema to the next one's. */
    public static Compatibility of(ModelSpec from, ModelSpec to) {
        List<String> backward = new ArrayList<>();
        List<String> forward = new ArrayList<>();
        for (ColumnSpec n : to.columns()) {
            Optional<ColumnSpec> o = column(from, n.name());
            if (o.isEmpty()) {
                String was = n.renamedFrom() != null && column(from, n.renamedFrom()).isPresent()
                        ? " (renamed from " + n.renamedFrom() + ": readers by name do not find it)" : "";
                if (!optional(n)) {
                    backward.add(n.name() + " is new and required (no default, not Nullable): old records lack it"
                            + was);
                } else if (!was.isEmpty()) {
                    backward.add(n.name() + was);
                }
                continue;
            }
            String a = Normalize.type(o.get().type(), false);
            String b = Normalize.type(n.type(), false);
            if (!a.equals(b)) {
                if (!reads(b, a)) {
                    backward.add(n.name() + ": " + o.get().type() + " -> " + n.type() + ": a reader of " + n.type()
                            + " cannot read every " + o.get().type());
                }
                if (!reads(a, b)) {
                    forward.add(n.name() + ": " + o.get().type() + " -> " + n.type() + ": a reader of "
                            + o.get().type() + " cannot read every " + n.type());
                }
            }
        }
        for (ColumnSpec o : from.columns()) {
            if (column(to, o.name()).isEmpty() && !optional(o)) {
                forward.add(o.name() + " is gone but required by the old version: new records lack it");
            }
        }
        Level level = backward.isEmpty() ? (forward.isEmpty() ? Level.FULL : Level.BACKWARD)
                : forward.isEmpty() ? Level.FORWARD : Level.NONE;
        return new Compatibility(to.name(), from.version(), to.version(), level, backward, forward);
    }

    /** True when a reader of type {@code reader} reads every value of type {@code written} unchanged. */
    static boolean reads(String reader, String written) {
        if (reader.equals(written)) {
            return true;
        }
        String r = unwrap(reader);
        String w = unwrap(written);
        if (reader.startsWith("Nullable(") || !written.startsWith("Nullable(")) {
            return r.equals(w) || WIDER.getOrDefault(w, List.of()).contains(r);
        }
        return false;   // a NULL written cannot be read as a non-Nullable value
    }

    /** The type inside {@code Nullable(...)} and {@code LowCardinality(...)}: {@code Nullable(Int32) -> Int32}. */
    static String unwrap(String t) {
        String s = t;
        for (String w : List.of("Nullable(", "LowCardinality(")) {
            if (s.startsWith(w) && s.endsWith(")")) {
                s = s.substring(w.length(), s.length() - 1);
            }
        }
        return s;
    }

    private static boolean optional(ColumnSpec c) {
        return c.defaultExpr() != null || c.type().startsWith("Nullable(");
    }

    private static Optional<ColumnSpec> column(ModelSpec m, String name) {
        return m.columns().stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
