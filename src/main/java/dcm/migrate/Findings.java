package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.ColumnSpec;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.migrate.MappingReport.Finding;
import dcm.migrate.MappingReport.Kind;
import dcm.migrate.MappingReport.Row;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a mapping test's findings: the input scratch table joined with the output on the row number, the rules of
 * {@link Kinds} as columns; one query for the counts (all rows), one for the rows to show and list.
 */
final class Findings {
    private final ClickHouse ch;
    private final Kinds kinds;
    private final List<String> columns;
    private final String in;
    private final String out;

    Findings(ClickHouse ch, Kinds kinds, List<String> columns, String in, String out) {
        this.ch = ch;
        this.kinds = kinds;
        this.columns = columns;
        this.in = in;
        this.out = out;
    }

    /** The flagged join: input columns, {@code _dcm_p} (1: the row is in the output), outputs, flags per column. */
    private String joined() {
        List<String> items = new ArrayList<>(List.of("`_dcm_row`"));
        kinds.source().forEach(c -> items.add(Sql.id(c.name())));
        items.add("`_dcm_p`");
        List<String> right = new ArrayList<>(List.of("`_dcm_row`", "toUInt8(1) AS `_dcm_p`"));
        for (int i = 0; i < columns.size(); i++) {
            items.add(MappingRun.outCol(i));
            right.add(MappingRun.outCol(i));
            items.add(kinds.changed(i) + " AS `_dcm_c_" + i + "`");
            items.add("(`_dcm_p` = 1 AND " + kinds.defaulted(i) + ") AS `_dcm_d_" + i + "`");
            items.add("(`_dcm_p` = 1 AND " + kinds.truncated(i) + ") AS `_dcm_t_" + i + "`");
        }
        return "SELECT " + String.join(", ", items) + " FROM " + in + " ANY LEFT JOIN (SELECT "
                + String.join(", ", right) + " FROM " + out + ") USING `_dcm_row`";
    }

    MappingReport read(long rows, int show, List<Finding> failedValues, Map<Long, String> failed,
                       List<long[]> unlocated) {
        List<String> sums = new ArrayList<>(List.of("count() AS n", "sum(`_dcm_p`) AS kept"));
        for (int i = 0; i < columns.size(); i++) {
            sums.add("sum(`_dcm_d_" + i + "`) AS d" + i);
            sums.add("sum(`_dcm_t_" + i + "`) AS t" + i);
        }
        Rows c = ch.query("SELECT " + String.join(", ", sums) + " FROM (" + joined() + ")", false);
        long kept = num(c.get(0, "kept"));
        Map<Kind, Long> counts = MappingRun.zeroCounts();
        Map<Kind, Map<String, Long>> byColumn = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            byColumn.put(k, new LinkedHashMap<>());
        }
        for (int i = 0; i < columns.size(); i++) {
            long d = num(c.get(0, "d" + i)), t = num(c.get(0, "t" + i));
            byColumn.get(Kind.DEFAULTED).put(columns.get(i), d);
            byColumn.get(Kind.TRUNCATED).put(columns.get(i), t);
            counts.merge(Kind.DEFAULTED, d, Long::sum);
            counts.merge(Kind.TRUNCATED, t, Long::sum);
        }
        failedValues.forEach(f -> byColumn.get(Kind.FAILED).merge(String.valueOf(f.column()), 1L, Long::sum));
        counts.put(Kind.FAILED, (long) failedValues.size());
        counts.put(Kind.DROPPED, rows - kept);

        List<String> any = new ArrayList<>(List.of("`_dcm_row` <= " + show, "`_dcm_p` = 0"));
        for (int i = 0; i < columns.size(); i++) {
            any.add("`_dcm_d_" + i + "` = 1");
            any.add("`_dcm_t_" + i + "` = 1");
        }
        Rows r = ch.query("SELECT * FROM (" + joined() + ") WHERE " + String.join(" OR ", any)
                + " ORDER BY `_dcm_row` LIMIT " + (show + 3L * MappingRun.LISTED), false);
        List<Row> shown = new ArrayList<>();
        List<Finding> findings = new ArrayList<>(failedValues.stream().limit(MappingRun.LISTED).toList());
        List<Finding> defaulted = new ArrayList<>(), truncated = new ArrayList<>(), dropped = new ArrayList<>();
        int nIn = kinds.source().size();
        for (List<Object> v : r.rows()) {
            long row = num(v.get(0));
            Map<String, String> input = new LinkedHashMap<>();
            for (int k = 0; k < nIn; k++) {
                input.put(kinds.source().get(k).name(), text(v.get(1 + k)));
            }
            boolean present = num(v.get(1 + nIn)) == 1;
            List<String> outs = new ArrayList<>();
            List<Boolean> changed = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                int base = 2 + nIn + 4 * i;
                String value = text(v.get(base));
                outs.add(value);
                changed.add(present && num(v.get(base + 1)) == 1);
                String origin = kinds.origins().get(i);
                String from = origin == null ? null : input.get(origin);
                if (num(v.get(base + 2)) == 1 && defaulted.size() < MappingRun.LISTED) {
                    defaulted.add(new Finding(Kind.DEFAULTED, row, columns.get(i), from, value, null));
                }
                if (num(v.get(base + 3)) == 1 && truncated.size() < MappingRun.LISTED) {
                    truncated.add(new Finding(Kind.TRUNCATED, row, columns.get(i), from, value, null));
                }
            }
            if (!present && dropped.size() < MappingRun.LISTED) {
                dropped.add(new Finding(Kind.DROPPED, row, null, MappingRun.row(input), null, failed.containsKey(row)
                        ? failed.get(row) : "in a failing range not located row by row"));
            }
            if (shown.size() < show) {
                shown.add(new Row(row, List.copyOf(input.values()), present ? outs : null, changed));
            }
        }
        findings.addAll(defaulted);
        findings.addAll(truncated);
        findings.addAll(dropped);
        List<String> notes = new ArrayList<>();
        if (!unlocated.isEmpty()) {
            notes.add("more rows fail than " + MappingRun.MAX_FAILING_ROWS + " (or than the query budget finds):"
                    + " the rest of the failing ranges (" + String.join(", ", unlocated.stream().map(x -> x[0] + "-"
                    + x[1]).toList()) + ") were dropped whole, good rows in them included");
        }
        if (failed.size() > MappingRun.LISTED) {
            notes.add("values refused are attributed to their columns for the first " + MappingRun.LISTED
                    + " failing rows of " + failed.size());
        }
        return new MappingReport(kinds.source().stream().map(ColumnSpec::name).toList(), columns, rows, kept, shown,
                findings, counts, byColumn, null, notes);
    }

    /** A value as shown: NULL, '' for the empty text, else its text. */
    static String text(Object v) {
        if (v == null) {
            return "NULL";
        }
        String s = String.valueOf(v);
        return s.isEmpty() ? "''" : s;
    }

    private static long num(Object v) {
        return v == null ? 0 : Long.parseLong(String.valueOf(v));
    }
}
