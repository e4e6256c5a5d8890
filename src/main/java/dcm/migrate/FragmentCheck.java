package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.core.SqlFragments;
import dcm.core.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks ClickHouse whether the hand-written SQL of models is valid before anything is applied: each column type, each
 * DEFAULT (in the context of the table's columns, cast to its column's type, as CREATE TABLE checks it) and the
 * PARTITION BY expression. One read-only query per table, run with {@code readonly=2} on zero rows, works on 18.16
 * (which has no EXPLAIN) and on current servers; only when it fails, one query per fragment finds which. Fragments
 * are first checked locally ({@link SqlFragments}); a table with a local problem is not sent to the server.
 */
public final class FragmentCheck {
    /** What kind of fragment a problem is in. */
    public enum Kind {
        /** A column type ({@code @ClickHouseType} or a mapped type). */
        TYPE,
        /** A {@code @Default} expression. */
        DEFAULT,
        /** The {@code partitionBy} expression. */
        PARTITION,
        /** The {@code engine}. */
        ENGINE,
        /** The table's fragments together, when each passes alone (should not happen; reported rather than lost). */
        TABLE
    }

    /**
     * A fragment ClickHouse (or the local check) refuses.
     *
     * @param model    the model name, e.g. {@code Users}
     * @param version  the model version, e.g. {@code 1.0}
     * @param field    the record component (column) at fault, or null for the table as a whole
     * @param kind     what kind of fragment
     * @param fragment the fragment's text
     * @param code     ClickHouse's error code, or 0 when the local check refused it
     * @param message  ClickHouse's message without the code (first line), or the local check's
     * @param hint     how to fix it when known (e.g. a type that needs a newer server), or null
     */
    public record Problem(String model, String version, String field, Kind kind, String fragment, int code,
                          String message, String hint) {
        /** One line: {@code Users@1.0 at: type DateTime64(3): Unknown data type family: ... (code 50); hint}. */
        public String describe() {
            return model + "@" + version + (field == null ? "" : " " + field) + ": "
                    + kind.name().toLowerCase(Locale.ROOT) + " " + fragment + ": " + message + (code == 0 ? "" : " (code " + code + ")")
                    + (hint == null ? "" : "; " + hint);
        }
    }

    /** Type families newer servers know, with the release that brought them where we know it. */
    private static final Map<String, String> NEWER_TYPES = Map.ofEntries(Map.entry("DateTime64", "20.1"),
            Map.entry("Map", "21.1"), Map.entry("IPv4", ""), Map.entry("IPv6", ""), Map.entry("Int128", ""),
            Map.entry("Int256", ""), Map.entry("UInt128", ""), Map.entry("UInt256", ""), Map.entry("Decimal256", ""),
            Map.entry("Bool", ""), Map.entry("Date32", ""), Map.entry("SimpleAggregateFunction", ""),
            Map.entry("Object", ""), Map.entry("JSON", ""), Map.entry("Variant", ""), Map.entry("Dynamic", ""),
            Map.entry("Point", ""), Map.entry("Ring", ""), Map.entry("Polygon", ""), Map.entry("MultiPolygon", ""));
    private static final Pattern UNKNOWN_FAMILY = Pattern.compile("Unknown data type family: (\\w+)");
    private static final Pattern CODE_PREFIX = Pattern.compile("^Code:? ?\\d+[:.,]\\s*");
    private static final Pattern ARRAY_HEAD = Pattern.compile("\\s*Array\\s*\\(");
    private static final String CHECK = "dcm_check_";
    /** ClickHouse's code for a statement or setting refused in readonly mode. */
    private static final int READONLY = 164;

    private final ClickHouse clickhouse;

    public FragmentCheck(ClickHouse clickhouse) {
        this.clickhouse = clickhouse;
    }

    /**
     * The problems in the tables of these models, in model and column order; empty when ClickHouse accepts all.
     * Throws {@link ClickHouseException} when the server does not answer.
     */
    public List<Problem> check(List<ModelSpec> models) {
        List<Problem> out = new ArrayList<>();
        clickhouse.dialect(); // read once, so the settings 18.16 needs are sent with the checks
        for (ModelSpec m : models) {
            if (m.table() != null) {
                List<Problem> local = local(m);
                out.addAll(local.isEmpty() ? server(m) : local);
            }
        }
        return out;
    }

    private static List<Problem> local(ModelSpec m) {
        TableSpec t = m.table();
        List<Problem> out = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (ColumnSpec c : t.columns()) {
            types.put(c.name(), c.type());
            SqlFragments.type(c.type()).ifPresent(f -> out.add(local(m, c.name(), Kind.TYPE, c.type(), f)));
            if (c.defaultExpr() != null) {
                SqlFragments.expression(c.defaultExpr())
                        .ifPresent(f -> out.add(local(m, c.name(), Kind.DEFAULT, c.defaultExpr(), f)));
            }
        }
        if (t.partitionBy() != null) {
            SqlFragments.expression(t.partitionBy())
                    .ifPresent(f -> out.add(local(m, null, Kind.PARTITION, t.partitionBy(), f)));
        }
        SqlFragments.engine(t.engine(), types).ifPresent(f -> out.add(local(m, null, Kind.ENGINE, t.engine(), f)));
        return out;
    }

    private static Problem local(ModelSpec m, String field, Kind kind, String fragment, SqlFragments.Flaw f) {
        return new Problem(m.name(), m.version(), field, kind, fragment, 0, f.message(), null);
    }

    private List<Problem> server(ModelSpec m) {
        TableSpec t = m.table();
        List<String> checks = new ArrayList<>();
        for (ColumnSpec c : t.columns()) {
            if (c.defaultExpr() != null) {
                checks.add(defaultCheck(c));
            }
        }
        if (t.partitionBy() != null) {
            checks.add(partitionCheck(t));
        }
        Optional<ClickHouseException> all = ask(inContext(t.columns(), checks));
        if (all.isEmpty()) {
            return List.of();
        }
        List<Problem> out = new ArrayList<>();
        for (ColumnSpec c : t.columns()) {
            ask("SELECT " + column(c.type()) + " AS " + Sql.id(c.name()) + " FROM system.one FORMAT TabSeparated")
                    .ifPresent(e -> out.add(problem(m, c.name(), Kind.TYPE, c.type(), e)));
        }
        if (!out.isEmpty()) {
            return out; // the expressions are checked once the types are fixed: they need the columns' types
        }
        for (ColumnSpec c : t.columns()) {
            if (c.defaultExpr() != null) {
                ask(inContext(t.columns(), List.of(defaultCheck(c))))
                        .ifPresent(e -> out.add(problem(m, c.name(), Kind.DEFAULT, c.defaultExpr(), e)));
            }
        }
        if (t.partitionBy() != null) {
            ask(inContext(t.columns(), List.of(partitionCheck(t))))
                    .ifPresent(e -> out.add(problem(m, null, Kind.PARTITION, t.partitionBy(), e)));
        }
        if (out.isEmpty()) {
            out.add(problem(m, null, Kind.TABLE, String.join(", ", checks), all.get()));
        }
        return out;
    }

    /** The default, cast to its column's type as CREATE TABLE does. */
    private static String defaultCheck(ColumnSpec c) {
        return "CAST((" + c.defaultExpr() + ") AS " + c.type() + ") AS " + Sql.id(CHECK + c.name());
    }

    private static String partitionCheck(TableSpec t) {
        return "(" + t.partitionBy() + ") AS " + Sql.id(CHECK + "partition");
    }

    /**
     * A column of this type over zero rows, not a constant (so nothing is evaluated on made-up values):
     * {@code arrayJoin} of an empty array of the type. CAST from a string cannot make some types (AggregateFunction),
     * and 18.16 casts an empty array literal only to an array of as many dimensions, so the literal has as many as
     * the type and is emptied by arraySlice.
     */
    static String column(String type) {
        int dimensions = 1;
        String rest = type;
        for (Matcher m = ARRAY_HEAD.matcher(rest); m.lookingAt(); m = ARRAY_HEAD.matcher(rest)) {
            dimensions++;
            rest = rest.substring(m.end());
        }
        return "arrayJoin(arraySlice(CAST(" + "[".repeat(dimensions) + "]".repeat(dimensions) + " AS Array(" + type
                + ")), 2))";
    }

    /** A query over zero rows that has the table's columns, with their types, and computes {@code checks}. */
    private static String inContext(List<ColumnSpec> columns, List<String> checks) {
        List<String> inner = new ArrayList<>();
        List<String> outer = new ArrayList<>();
        for (ColumnSpec c : columns) {
            inner.add(column(c.type()) + " AS " + Sql.id(c.name()));
            outer.add(Sql.id(c.name()));
        }
        outer.addAll(checks);
        return "SELECT " + String.join(", ", outer) + " FROM (SELECT " + String.join(", ", inner)
                + " FROM system.one) LIMIT 0 FORMAT TabSeparated";
    }

    /** Runs a read-only query; the error it got, or empty when it ran. */
    private Optional<ClickHouseException> ask(String sql) {
        try {
            clickhouse.readOnlyText(sql);
            return Optional.empty();
        } catch (ClickHouseException e) {
            if (e.unreachable() || e.code() == READONLY) {
                throw e; // no answer, or a user who may not even set readonly=2: not a problem of the model
            }
            return Optional.of(e);
        }
    }

    private Problem problem(ModelSpec m, String field, Kind kind, String fragment, ClickHouseException e) {
        String message = firstLine(e.getMessage());
        return new Problem(m.name(), m.version(), field, kind, fragment, e.code(), message, hint(message));
    }

    private static String firstLine(String message) {
        String s = CODE_PREFIX.matcher(String.valueOf(message).strip()).replaceFirst("");
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private String hint(String message) {
        Matcher m = UNKNOWN_FAMILY.matcher(message);
        if (!m.find() || !NEWER_TYPES.containsKey(m.group(1))) {
            return null;
        }
        String since = NEWER_TYPES.get(m.group(1));
        return m.group(1) + " needs a newer ClickHouse server" + (since.isEmpty() ? "" : " (" + since + " or later)")
                + " than this one (" + clickhouse.dialect().version() + "): upgrade the server or use a type it has";
    }
}
