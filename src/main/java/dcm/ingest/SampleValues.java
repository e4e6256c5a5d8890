package dcm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sample records generated from a model version's schema, deterministic: the first {@link #NORMAL} rows hold
 * ordinary values, then each row holds the next edge value of every column that has one left (the others an
 * ordinary value): empty strings, zero, negative numbers, each integer type's min and max, NULL, the far and the
 * epoch dates, unicode, and for text the values that do not convert to a number or a date ({@code '-1'},
 * {@code '70000'}, {@code 'abc'}, {@code '2024-02-30'}, ...). More rows than that are ordinary ones. Every record
 * is valid for the version's schema (validated by {@link Schema}).
 */
public final class SampleValues {
    /** Ordinary rows before the edge values. */
    public static final int NORMAL = 3;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern WRAPPED = Pattern.compile("(\\w+)\\((.*)\\)");
    private static final Pattern INT = Pattern.compile("(U?)Int(8|16|32|64)");

    private SampleValues() {}

    /** The number of rows that cover every edge value of the version. */
    public static int edgeRows(ModelSpec model) {
        return NORMAL + model.columns().stream().mapToInt(c -> edges(c.type()).size()).max().orElse(0);
    }

    /** {@code n} records (or {@link #edgeRows} when {@code n} is 0), validated and normalized by the schema. */
    public static List<ObjectNode> generate(ModelSpec model, int n) {
        Schema schema = new Schema(model);
        int rows = n > 0 ? n : edgeRows(model);
        List<ObjectNode> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            ObjectNode o = F.objectNode();
            for (ColumnSpec c : model.columns()) {
                List<JsonNode> e = r >= NORMAL ? edges(c.type()) : List.of();
                int k = r - NORMAL;
                o.set(c.name(), k >= 0 && k < e.size() ? e.get(k) : normal(c.type(), r));
            }
            try {
                out.add(schema.validate(o, r));
            } catch (Schema.InvalidRecord bad) {
                // an edge the schema refuses (it should not happen): the row takes ordinary values
                ObjectNode plain = F.objectNode();
                int row = r;
                model.columns().forEach(c -> plain.set(c.name(), normal(c.type(), row)));
                out.add(schema.validate(plain, r));
            }
        }
        return out;
    }

    /** An ordinary value of the type for row {@code r}. */
    static JsonNode normal(String type, int r) {
        Matcher w = WRAPPED.matcher(type.strip());
        if (w.matches()) {
            String inner = w.group(2);
            switch (w.group(1)) {
                case "Nullable", "LowCardinality" -> {
                    return normal(inner, r);
                }
                case "Array" -> {
                    return F.arrayNode().add(normal(inner, r));
                }
                case "Enum8", "Enum16" -> {
                    List<String> names = dcm.core.Sql.enumNames(type);
                    return F.textNode(names.isEmpty() ? "" : names.get(r % names.size()));
                }
                case "DateTime" -> {
                    return F.textNode(String.format("2024-01-%02d 12:%02d:00", r % 28 + 1, r % 60));
                }
                case "FixedString" -> {
                    return F.textNode("t" + r % 10);
                }
                default -> {
                    if (w.group(1).startsWith("Decimal")) {
                        return F.textNode((r % 100) + ".25");
                    }
                    return F.textNode("x" + r);
                }
            }
        }
        String t = type.strip();
        if (INT.matcher(t).matches() || t.equals("Bool") || t.equals("Boolean")) {
            return F.numberNode(t.startsWith("Bool") ? r % 2 : r % 100 + 1);
        }
        return switch (t) {
            case "Float32", "Float64" -> F.numberNode(r % 100 + 0.5);
            case "Date" -> F.textNode(String.format("2024-01-%02d", r % 28 + 1));
            case "DateTime" -> F.textNode(String.format("2024-01-%02d 12:%02d:00", r % 28 + 1, r % 60));
            case "UUID" -> F.textNode(String.format("00000000-0000-4000-8000-%012d", r));
            default -> F.textNode(String.valueOf(r % 100 + 1)); // ordinary text that also reads as a number
        };
    }

    /** The type's edge values, each valid for it. */
    static List<JsonNode> edges(String type) {
        Matcher w = WRAPPED.matcher(type.strip());
        List<JsonNode> out = new ArrayList<>();
        if (w.matches()) {
            String inner = w.group(2);
            switch (w.group(1)) {
                case "Nullable" -> {
                    out.add(F.nullNode());
                    out.addAll(edges(inner));
                }
                case "LowCardinality" -> out.addAll(edges(inner));
                case "Array" -> {
                    out.add(F.arrayNode());
                    ArrayNode all = F.arrayNode();
                    edges(inner).stream().filter(e -> !e.isNull()).limit(4).forEach(all::add);
                    out.add(all);
                }
                case "Enum8", "Enum16" -> dcm.core.Sql.enumNames(type).forEach(n -> out.add(F.textNode(n)));
                case "DateTime" -> out.addAll(edges("DateTime"));
                case "FixedString" -> List.of("", "ü").forEach(s -> out.add(F.textNode(s)));
                default -> {
                    if (w.group(1).startsWith("Decimal")) {
                        List.of("0", "-1.5", "0.01").forEach(s -> out.add(F.textNode(s)));
                    }
                }
            }
            return out;
        }
        String t = type.strip();
        Matcher i = INT.matcher(t);
        if (i.matches()) {
            int bits = Integer.parseInt(i.group(2));
            boolean unsigned = !i.group(1).isEmpty();
            BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            out.add(F.numberNode(0));
            if (!unsigned) {
                out.add(F.numberNode(-1));
                out.add(F.numberNode(BigInteger.ONE.shiftLeft(bits - 1).negate()));
            }
            out.add(F.numberNode(max));
            out.add(F.numberNode(300));
            return out;
        }
        switch (t) {
            case "String" -> List.of("", "0", "-1", "300", "70000", "abc", " 12", "1.5", "2024-02-30",
                    "1970-01-01", "2149-06-06", "1970-01-01 00:00:00", "ünïcødé ✓ 日本語 🙂",
                    "18446744073709551616").forEach(s -> out.add(F.textNode(s)));
            case "Float32", "Float64" -> List.of(0.0, -1.5, 1.5, 300.0, -1e30, 1e30).forEach(d ->
                    out.add(F.numberNode(d)));
            case "Date" -> List.of("1970-01-01", "2149-06-06", "2000-02-29").forEach(s -> out.add(F.textNode(s)));
            case "DateTime" -> List.of("1970-01-01 00:00:00", "2106-02-07 06:28:15", "2000-02-29 23:59:59")
                    .forEach(s -> out.add(F.textNode(s)));
            case "UUID" -> out.add(F.textNode("00000000-0000-0000-0000-000000000000"));
            case "Bool", "Boolean" -> List.of(0, 1).forEach(b -> out.add(F.numberNode(b)));
            default -> { }
        }
        return out;
    }
}
