package dcm.migrate;

import dcm.core.ColumnSpec;
import dcm.core.Sql;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of a mapping test's findings, as SQL over the input joined with the output on the row number. Each
 * output column's <em>origin</em> is the one old column its expression reads (none when it reads no old column, a
 * default or NULL, or several). Only columns with an origin get DEFAULTED and TRUNCATED findings:
 * <ul>
 *   <li>changed: a column without origin always (it is new or computed); else its value as text differs from the
 *       origin's ({@code toString}, NULL equal only to NULL);</li>
 *   <li>DEFAULTED: the output is NULL while the origin is not; or the output equals its type's default
 *       ({@code defaultValueOfArgumentType}: 0, '', 0000-00-00, []) while the origin is not NULL, not its own type's
 *       default, and not the same text;</li>
 *   <li>TRUNCATED (not DEFAULTED): a numeric output (integer, float, decimal) whose origin reads as a number
 *       ({@code toFloat64OrNull(toString(...))}) of another value (Float32: beyond a relative 1e-6), e.g. 300
 *       through {@code toUInt8} as 44, '-1' as 255, 1.5 as 1; or a text output shorter than its text origin and
 *       contained in it (a {@code substring}, a cut).</li>
 * </ul>
 * FAILED and DROPPED are not SQL rules: a value ClickHouse refuses to convert, and a row with such a value.
 *
 * @param source  the old version's columns
 * @param origins for each output column, its origin, or null
 * @param types   for each output column, its type
 */
record Kinds(List<ColumnSpec> source, List<String> origins, List<String> types) {
    private static final Pattern NUMBER = Pattern.compile("U?Int(8|16|32|64)|Float(32|64)|Decimal(32|64|128)?\\(.*\\)");
    private static final Pattern TEXT = Pattern.compile("String|FixedString\\(\\d+\\)");
    private static final Pattern LOW_CARDINALITY = Pattern.compile("LowCardinality\\((.+)\\)");
    private static final Pattern NULLABLE = Pattern.compile("Nullable\\((.+)\\)");

    /** 1 when output column {@code i} differs from its input. */
    String changed(int i) {
        String o = origins.get(i);
        if (o == null) {
            return "1";
        }
        String a = Sql.id(o), b = MappingRun.outCol(i);
        return "(isNull(" + a + ") != isNull(" + b + ") OR ifNull(toString(" + a + ") != toString(" + b + "), 0))";
    }

    /** 1 when output column {@code i} became NULL or its type's default. */
    String defaulted(int i) {
        String o = origins.get(i);
        if (o == null) {
            return "0";
        }
        String inType = sourceType(o);
        String a = plain(Sql.id(o), inType), b = plain(MappingRun.outCol(i), types.get(i));
        String nullable = types.get(i).contains("Nullable(") ? "isNull(" + MappingRun.outCol(i) + ") OR " : "";
        return "(NOT isNull(" + Sql.id(o) + ") AND (" + nullable + "(NOT isNull(" + MappingRun.outCol(i) + ") AND "
                + isDefault(b) + " AND NOT " + isDefault(a) + " AND toString(" + b + ") != toString(" + a + "))))";
    }

    /** 1 when output column {@code i} is another number, or a shorter piece of its text. */
    String truncated(int i) {
        String o = origins.get(i);
        if (o == null) {
            return "0";
        }
        String outType = bare(types.get(i)), inType = bare(sourceType(o));
        String a = "toString(" + plain(Sql.id(o), sourceType(o)) + ")";
        String b = "toString(" + plain(MappingRun.outCol(i), types.get(i)) + ")";
        String notNull = "NOT isNull(" + Sql.id(o) + ") AND NOT isNull(" + MappingRun.outCol(i) + ") AND NOT "
                + defaulted(i);
        if (NUMBER.matcher(outType).matches()) {
            String x = "toFloat64OrNull(" + a + ")", y = "toFloat64OrNull(" + b + ")";
            String differs = outType.equals("Float32") ? "abs(" + x + " - " + y + ") > 1e-6 * greatest(abs(" + x
                    + "), 1)" : x + " != " + y;
            return "(" + notNull + " AND ifNull(" + differs + ", 0))";
        }
        if (TEXT.matcher(outType).matches() && TEXT.matcher(inType).matches()) {
            return "(" + notNull + " AND length(" + b + ") < length(" + a + ") AND position(" + a + ", " + b
                    + ") > 0)";
        }
        return "0";
    }

    private String sourceType(String column) {
        return source.stream().filter(c -> c.name().equals(column)).map(ColumnSpec::type).findFirst()
                .orElse("String");
    }

    private static String isDefault(String plain) {
        return "toString(" + plain + ") = toString(defaultValueOfArgumentType(" + plain + "))";
    }

    /**
     * The value without Nullable and LowCardinality (18.16's defaultValueOfArgumentType takes neither):
     * {@code assumeNotNull}, a CAST to the inner type.
     */
    static String plain(String expr, String type) {
        String e = expr, t = type;
        Matcher lc = LOW_CARDINALITY.matcher(t);
        if (lc.matches()) {
            t = lc.group(1);
            e = "CAST(" + e + " AS " + t + ")";
        }
        if (NULLABLE.matcher(t).matches()) {
            e = "assumeNotNull(" + e + ")";
        }
        return e;
    }

    static String bare(String type) {
        String t = type;
        for (Pattern p : List.of(LOW_CARDINALITY, NULLABLE, LOW_CARDINALITY)) {
            Matcher m = p.matcher(t);
            if (m.matches()) {
                t = m.group(1);
            }
        }
        return t;
    }
}
