package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.core.ColumnSpec;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.core.versions.Compose;
import dcm.core.versions.MigrationView;
import dcm.migrate.MappingReport.Finding;
import dcm.migrate.MappingReport.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a mapping (a step's or a chain's view) over sample rows in ClickHouse, in two scratch tables
 * ({@link ScratchTables}: the input with a row number, the output with the target's types) that are dropped
 * whatever happens. The mapping runs as the view would: one {@code INSERT ... SELECT}. When ClickHouse refuses it
 * (a {@code throwIf} guard, a CAST that does not parse: one bad value aborts the whole statement), the failing rows
 * are found by bisecting the row range, each failing value's column by running each column's expression alone on
 * those rows, and the mapping runs again without them: they are the rows the view would refuse ({@link Kind#DROPPED}).
 * The findings are then read by joining input and output on the row number; see {@link Kinds} for the rules.
 */
public final class MappingRun {
    /** Failing rows located at most; past it (or the query budget) the remaining failing ranges are dropped whole. */
    static final int MAX_FAILING_ROWS = 1000;
    static final int QUERY_BUDGET = 4000;
    /** Findings listed per kind (the counts are always complete). */
    public static final int LISTED = 200;

    /** The sample: JSON lines (each with {@code _dcm_row}) or the last rows of a live table. */
    public record Input(byte[] jsonLines, String liveTable, List<String> liveOrder, int liveRows) {
        public static Input lines(byte[] jsonLines) {
            return new Input(jsonLines, null, List.of(), 0);
        }

        public static Input live(String table, List<String> orderBy, int rows) {
            return new Input(null, table, orderBy, rows);
        }
    }

    private final ClickHouse ch;
    private final MigrationView view;
    private final List<ColumnSpec> source;
    private final List<ColumnSpec> target;
    private final Kinds kinds;
    private int queries;

    /**
     * @param view   the mapping (its columns and expressions over {@code source})
     * @param source the old version's columns
     * @param target the new version's columns (types of the view's columns)
     */
    public MappingRun(ClickHouse ch, MigrationView view, List<ColumnSpec> source, List<ColumnSpec> target) {
        this.ch = ch;
        this.view = view;
        this.source = List.copyOf(source);
        this.target = List.copyOf(target);
        List<String> names = source.stream().map(ColumnSpec::name).toList();
        List<String> origins = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 0; i < view.columns().size(); i++) {
            List<String> refs = Compose.references(view.expressions().get(i)).stream().filter(names::contains)
                    .toList();
            origins.add(refs.size() == 1 ? refs.get(0) : null);
            types.add(typeOf(target, view.columns().get(i)));
        }
        this.kinds = new Kinds(source, origins, types);
    }

    /**
     * Runs the mapping over the input and reports. {@code show} rows are shown; {@code output} asks for every
     * output row as a JSON line. {@code stop} is asked between statements (Ctrl-C): when true the run ends with
     * an {@link IllegalStateException}, the scratch tables dropped.
     */
    public MappingReport run(Input input, int show, boolean output, BooleanSupplier stop, Consumer<String> progress) {
        ScratchTables.sweep(ch);
        try (ScratchTables scratch = new ScratchTables(ch)) {
            List<String> inDefs = new ArrayList<>(List.of("`_dcm_row` UInt64"));
            source.forEach(c -> inDefs.add(Sql.id(c.name()) + " " + c.type()));
            String in = scratch.create("in", inDefs);
            List<String> outDefs = new ArrayList<>(List.of("`_dcm_row` UInt64"));
            for (int i = 0; i < view.columns().size(); i++) {
                outDefs.add(outCol(i) + " " + kinds.types().get(i));
            }
            String out = scratch.create("out", outDefs);
            check(stop);
            long rows = fill(in, input);
            progress.accept("sample: " + rows + " row(s) in " + in);
            check(stop);
            Map<Long, String> failed = new TreeMap<>();
            List<long[]> unlocated = new ArrayList<>();
            try {
                insert(in, out, "");
            } catch (ClickHouseException e) {
                rethrowIfNotRowLevel(e);
                progress.accept("the mapping refuses some rows: locating them");
                ch.execute("TRUNCATE TABLE " + t(out));
                locate(in, 1, rows, e, failed, unlocated, stop);
                insert(in, out, excluding(failed, unlocated));
            }
            check(stop);
            List<Finding> findings = new ArrayList<>(attribute(in, failed, stop));
            // a dropped row's reason: its first refused value, by column
            findings.forEach(f -> failed.computeIfPresent(f.row(), (k, v) -> v.startsWith("\u0000") ? v
                    : "\u0000" + f.column() + ": " + f.reason()));
            failed.replaceAll((k, v) -> v.startsWith("\u0000") ? v.substring(1) : v);
            MappingReport report = new Findings(ch, kinds, view.columns(), t(in), t(out)).read(rows, show, findings,
                    failed, unlocated);
            List<String> lines = output ? outputLines(out) : null;
            return new MappingReport(report.inColumns(), report.outColumns(), report.rows(), report.outRows(),
                    report.shown(), report.findings(), report.counts(), report.byColumn(), lines, report.notes());
        }
    }

    private long fill(String in, Input input) {
        List<String> cols = source.stream().map(c -> Sql.id(c.name())).toList();
        if (input.jsonLines() != null) {
            ch.insertJsonEachRow(in, input.jsonLines());
        } else {
            String order = input.liveOrder().isEmpty() ? "" : " ORDER BY " + String.join(", ", input.liveOrder()
                    .stream().map(o -> Sql.id(o) + " DESC").toList());
            ch.execute("INSERT INTO " + t(in) + " (`_dcm_row`, " + String.join(", ", cols) + ") SELECT"
                    + " rowNumberInAllBlocks() + 1, " + String.join(", ", cols) + " FROM (SELECT "
                    + String.join(", ", cols) + " FROM " + t(input.liveTable()) + order + " LIMIT "
                    + input.liveRows() + ")");
        }
        return Long.parseLong(String.valueOf(ch.query("SELECT count() AS n FROM " + t(in), false).get(0, "n")));
    }

    private void insert(String in, String out, String where) {
        List<String> cols = new ArrayList<>(List.of("`_dcm_row`"));
        for (int i = 0; i < view.columns().size(); i++) {
            cols.add(outCol(i));
        }
        queries++;
        ch.execute("INSERT INTO " + t(out) + " (" + String.join(", ", cols) + ") SELECT `_dcm_row`, "
                + view.selectList() + " FROM " + t(in) + where);
    }

    /** Bisects a failing range [a, b] down to its failing rows (within the budgets). */
    private void locate(String in, long a, long b, ClickHouseException failure, Map<Long, String> failed,
                        List<long[]> unlocated, BooleanSupplier stop) {
        check(stop);
        if (a == b) {
            failed.put(a, reason(failure, null));
            return;
        }
        if (queries >= QUERY_BUDGET || failed.size() >= MAX_FAILING_ROWS) {
            unlocated.add(new long[] {a, b});
            return;
        }
        long mid = a + (b - a) / 2;
        boolean any = false;
        for (long[] half : new long[][] {{a, mid}, {mid + 1, b}}) {
            ClickHouseException e = attempt("SELECT `_dcm_row`, " + view.selectList() + " FROM " + t(in)
                    + " WHERE `_dcm_row` BETWEEN " + half[0] + " AND " + half[1]);
            if (e != null) {
                any = true;
                locate(in, half[0], half[1], e, failed, unlocated, stop);
            }
        }
        if (!any) {
            throw new IllegalStateException("the mapping fails over rows " + a + " to " + b + " but over neither"
                    + " half: not a refused value (" + reason(failure, null) + ")");
        }
    }

    /** Which columns fail on the failing rows: each column's expression alone, on those rows, then on each row. */
    private List<Finding> attribute(String in, Map<Long, String> failed, BooleanSupplier stop) {
        if (failed.isEmpty()) {
            return List.of();
        }
        List<Long> rows = failed.keySet().stream().limit(LISTED).toList();
        Map<Long, Map<String, String>> inputs = inputs(in, rows);
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < view.columns().size(); i++) {
            String select = "SELECT " + view.expressions().get(i) + " AS " + Sql.id(view.columns().get(i)) + " FROM "
                    + t(in) + " WHERE `_dcm_row` ";
            ClickHouseException all = attempt(select + "IN (" + join(rows) + ")");
            if (all == null || all.code() == 47) {
                continue; // passes on every failing row, or reads another new column (a default): not this one
            }
            for (Long r : rows) {
                check(stop);
                ClickHouseException e = rows.size() == 1 ? all : attempt(select + "= " + r);
                if (e != null) {
                    String origin = kinds.origins().get(i);
                    out.add(new Finding(Kind.FAILED, r, view.columns().get(i), origin == null ? row(inputs.get(r))
                            : inputs.get(r).get(origin), null, reason(e, kinds.types().get(i))));
                }
            }
        }
        return out;
    }

    private Map<Long, Map<String, String>> inputs(String in, List<Long> rows) {
        Rows r = ch.query("SELECT * FROM " + t(in) + " WHERE `_dcm_row` IN (" + join(rows) + ")", false);
        Map<Long, Map<String, String>> out = new LinkedHashMap<>();
        for (List<Object> values : r.rows()) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int c = 1; c < values.size(); c++) {
                m.put(r.columns().get(c), Findings.text(values.get(c)));
            }
            out.put(Long.parseLong(String.valueOf(values.get(0))), m);
        }
        return out;
    }

    static String row(Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + v));
        String s = String.join(", ", parts);
        return s.length() > 160 ? s.substring(0, 159) + "…" : s;
    }

    private ClickHouseException attempt(String select) {
        queries++;
        try {
            ch.text(select + " FORMAT Null", false);
            return null;
        } catch (ClickHouseException e) {
            rethrowIfNotRowLevel(e);
            return e;
        }
    }

    private static void rethrowIfNotRowLevel(ClickHouseException e) {
        if (e.unreachable() || e.code() == 394 || Thread.currentThread().isInterrupted()) {
            throw e; // no server, or the statement was cancelled (Ctrl-C): not a value the mapping refuses
        }
    }

    private static String excluding(Map<Long, String> failed, List<long[]> unlocated) {
        List<String> not = new ArrayList<>();
        if (!failed.isEmpty()) {
            not.add("`_dcm_row` NOT IN (" + join(new ArrayList<>(failed.keySet())) + ")");
        }
        unlocated.forEach(r -> not.add("NOT (`_dcm_row` BETWEEN " + r[0] + " AND " + r[1] + ")"));
        return not.isEmpty() ? "" : " WHERE " + String.join(" AND ", not);
    }

    private List<String> outputLines(String out) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < view.columns().size(); i++) {
            items.add(outCol(i) + " AS " + Sql.id(view.columns().get(i)));
        }
        String text = ch.text("SELECT " + String.join(", ", items) + " FROM " + t(out) + " ORDER BY `_dcm_row`"
                + " FORMAT JSONEachRow", false);
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    /** ClickHouse's reason, first line, without the code and the exception's class; a guard's refusal said plainly. */
    static String reason(ClickHouseException e, String type) {
        String m = String.valueOf(e.getMessage()).strip();
        m = m.replaceFirst("^(Code:? ?\\d+[:.,]\\s*)?(e\\.displayText\\(\\) = )?(DB::Exception: )?", "");
        int cut = m.indexOf(", e.what()");
        m = cut < 0 ? m : m.substring(0, cut);
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        if (m.contains("throwIf")) {
            return "does not convert exactly" + (type == null ? "" : " to " + type) + ": the mapping's guard"
                    + " (throwIf) refuses it";
        }
        return m.length() > 200 ? m.substring(0, 199) + "…" : m;
    }

    private static void check(BooleanSupplier stop) {
        if (stop.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("stopped (Ctrl-C): the mapping test's scratch tables are dropped");
        }
    }

    private static String typeOf(List<ColumnSpec> cs, String name) {
        return cs.stream().filter(c -> c.name().equals(name)).map(ColumnSpec::type).findFirst().orElseThrow(() ->
                new IllegalArgumentException("the new version has no column " + name));
    }

    static String outCol(int i) {
        return "`_dcm_o_" + i + "`";
    }

    private String t(String table) {
        return Sql.table(ch.database(), table);
    }

    private static String join(List<Long> rows) {
        return String.join(", ", rows.stream().map(String::valueOf).toList());
    }

    /** The per-kind counts as an ordered map with every kind. */
    static Map<Kind, Long> zeroCounts() {
        Map<Kind, Long> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            m.put(k, 0L);
        }
        return m;
    }
}
