package dcm.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.core.plan.Normalize;
import dcm.core.versions.Desired;
import dcm.core.versions.MigrationView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Has ClickHouse type-check every mapping between versions that the desired state uses (each step's, each view's)
 * before anything is applied: the mapping's SELECT runs over its source with {@code LIMIT 0} and {@code readonly=2}
 * (the source table when it exists, else a subquery of zero rows with the source version's columns and types), and
 * each column's type is compared with the type the target version declares. A materialized view whose column
 * differs from its table's fails every insert on 18.16 (a Nullable(T) for a T column included), so a mismatch is an
 * error here, not a surprise at the first insert. What ClickHouse refuses (an unknown column, a function that does
 * not exist, a syntax error) is an error too, at the column it is in when one alone fails.
 */
public final class MappingCheck {
    /** What kind of problem. */
    public enum Kind {
        /** The column's expression yields another type than the target declares. */
        TYPE,
        /** It yields Nullable(T) where the target declares T. */
        NULLABLE,
        /** ClickHouse refuses the SQL. */
        SQL
    }

    /**
     * A mapping ClickHouse does not accept as it is.
     *
     * @param view    the step or view whose mapping it is (model, versions, origin)
     * @param column  the target column at fault, or null for the mapping as a whole
     * @param kind    what kind of problem
     * @param message what is wrong: the types, or ClickHouse's message (first line)
     * @param code    ClickHouse's error code, 0 for a type mismatch
     * @param hint    how to fix it
     */
    public record Problem(MigrationView view, String column, Kind kind, String message, int code, String hint) {
        /** {@code Users 1.0 -> 1.1 (migrations/...sql), column age: yields Nullable(Int32), ...; hint}. */
        public String describe() {
            return view.model() + " " + view.from() + " -> " + view.to() + " (" + view.origin() + ")"
                    + (column == null ? "" : ", column " + column) + ": " + message + (code == 0 ? ""
                    : " (ClickHouse code " + code + ")") + "; " + hint;
        }
    }

    private static final Pattern CODE_PREFIX = Pattern.compile("^Code:? ?\\d+[:.,]\\s*");
    /** ClickHouse's code for a statement or setting refused in readonly mode. */
    private static final int READONLY = 164;
    private final ClickHouse clickhouse;

    public MappingCheck(ClickHouse clickhouse) {
        this.clickhouse = clickhouse;
    }

    /**
     * The problems of the mappings the desired state uses: every step, then every view that is not a step already
     * checked (a composed view is skipped when a step of its model failed: that step's problem says it). Empty when
     * ClickHouse accepts them all; throws {@link ClickHouseException} when the server does not answer.
     */
    public List<Problem> check(Desired desired) {
        Map<String, ModelSpec> byTable = new LinkedHashMap<>();
        desired.all().stream().filter(m -> m.table() != null).forEach(m -> byTable.putIfAbsent(m.table().name(), m));
        List<Problem> out = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        Set<String> failed = new HashSet<>();
        List<MigrationView> all = new ArrayList<>(desired.steps());
        all.addAll(desired.views());
        for (MigrationView v : all) {
            boolean composed = v.origin().equals("composed");
            if (!checked.add(v.source() + "\n" + v.target() + "\n" + v.key())
                    || composed && failed.contains(v.model())) {
                continue;
            }
            ModelSpec source = byTable.get(v.source());
            ModelSpec target = byTable.get(v.target());
            if (source == null || target == null) {
                throw new IllegalArgumentException("the desired state has no table " + (source == null ? v.source()
                        : v.target()) + " for " + v.name());
            }
            List<Problem> found = check(v, source.table().columns(), target.table().columns());
            if (!found.isEmpty() && !composed) {
                failed.add(v.model());
            }
            out.addAll(found);
        }
        return out;
    }

    /** The problems of one mapping from a table with {@code source}'s columns to one with {@code target}'s. */
    public List<Problem> check(MigrationView v, List<ColumnSpec> source, List<ColumnSpec> target) {
        Map<String, String> declared = new LinkedHashMap<>();
        target.forEach(c -> declared.put(c.name(), c.type()));
        String from = clickhouse.tableExists(v.source()) ? Sql.table(clickhouse.database(), v.source())
                : zeroRows(source);
        Map<String, String> yielded;
        try {
            yielded = types(ask("SELECT " + v.selectList() + " FROM " + from));
        } catch (ClickHouseException e) {
            return refused(v, from, declared, e);
        }
        List<Problem> out = new ArrayList<>();
        for (String column : v.columns()) {
            String want = declared.get(column);
            String got = yielded.get(column);
            if (want == null) {
                out.add(new Problem(v, column, Kind.SQL, "the target " + v.target() + " has no column " + column, 0,
                        "map only the columns of version " + v.to()));
            } else if (got != null && !Normalize.type(got, false).equals(Normalize.type(want, false))) {
                out.add(mismatch(v, column, want, got));
            }
        }
        return out;
    }

    private static Problem mismatch(MigrationView v, String column, String want, String got) {
        String expr = v.expressions().get(v.columns().indexOf(column));
        String message = "the mapping yields " + got + ", the table of " + v.to() + " has " + want
                + " (a materialized view with another type than its table fails every insert)";
        if (Normalize.type(got, false).equals("Nullable(" + Normalize.type(want, false) + ")")) {
            return new Problem(v, column, Kind.NULLABLE, message, 0, "wrap it: assumeNotNull(" + expr + ") when it is"
                    + " never NULL, or ifNull(" + expr + ", <value>) to choose the value for NULL; or make " + column
                    + " Nullable in the model");
        }
        return new Problem(v, column, Kind.TYPE, message, 0, "convert it: CAST(" + expr + " AS " + want + ")"
                + " (refuses a value that does not convert), or change the column's type in the model");
    }

    /** Which column ClickHouse refuses: each alone, the others replaced by zero rows of their declared types. */
    private List<Problem> refused(MigrationView v, String from, Map<String, String> declared, ClickHouseException all) {
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < v.columns().size(); i++) {
            List<String> items = new ArrayList<>();
            for (int j = 0; j < v.columns().size(); j++) {
                String c = v.columns().get(j);
                String type = declared.getOrDefault(c, "String");
                items.add((i == j ? v.expressions().get(j) : FragmentCheck.column(type)) + " AS " + Sql.id(c));
            }
            int column = i;
            try {
                ask("SELECT " + String.join(", ", items) + " FROM " + from);
            } catch (ClickHouseException e) {
                out.add(sqlProblem(v, v.columns().get(column), e));
            }
        }
        if (out.isEmpty()) {
            out.add(sqlProblem(v, null, all));
        }
        return out;
    }

    private Problem sqlProblem(MigrationView v, String column, ClickHouseException e) {
        if (e.unreachable() || e.code() == READONLY) {
            throw e; // no answer, or a user who may not even set readonly=2: not a problem of the mapping
        }
        return new Problem(v, column, Kind.SQL, "ClickHouse refuses " + (column == null ? "the mapping"
                : "the expression") + ": " + firstLine(e.getMessage()), e.code(), "fix the expression (it reads the"
                + " columns of version " + v.from() + ")");
    }

    private static final java.util.regex.Pattern LOW_CARDINALITY = java.util.regex.Pattern.compile(
            "LowCardinality\\((.+)\\)");

    /** Runs a SELECT with LIMIT 0, read-only; its JSONCompact answer. */
    private String ask(String select) {
        return clickhouse.readOnlyText(select + " LIMIT 0 FORMAT JSONCompact");
    }

    /** The result's column types by name, from a JSONCompact answer's meta. */
    private static Map<String, String> types(String json) {
        try {
            JsonNode root = PlanJson.MAPPER.readTree(json);
            Map<String, String> out = new LinkedHashMap<>();
            root.path("meta").forEach(m -> out.put(m.path("name").asText(), m.path("type").asText()));
            return out;
        } catch (IOException e) {
            throw new ClickHouseException(0, "unreadable answer from ClickHouse: " + e.getMessage(), e);
        }
    }

    /**
     * A subquery of zero rows with these columns and types. An array of LowCardinality(T) unrolls to plain T on
     * 18.16: such a column is cast back, or a mapping passing it through would seem to yield T.
     */
    static String zeroRows(List<ColumnSpec> columns) {
        List<String> items = new ArrayList<>();
        for (ColumnSpec c : columns) {
            java.util.regex.Matcher lc = LOW_CARDINALITY.matcher(c.type());
            String column = lc.matches() ? "CAST(" + FragmentCheck.column(lc.group(1)) + " AS " + c.type() + ")"
                    : FragmentCheck.column(c.type());
            items.add(column + " AS " + Sql.id(c.name()));
        }
        return "(SELECT " + String.join(", ", items) + " FROM system.one)";
    }

    private static String firstLine(String message) {
        String s = CODE_PREFIX.matcher(String.valueOf(message).strip()).replaceFirst("");
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
