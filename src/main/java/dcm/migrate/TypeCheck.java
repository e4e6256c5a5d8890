package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.core.plan.Operation.ModifyColumn;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Before a type change runs as a mutation (which would fail part-way and leave a half-converted table), counts
 * the rows whose value does not convert and refuses with a few of them.
 */
final class TypeCheck {
    private static final Pattern CONVERTIBLE = Pattern.compile(
            "(U?Int(8|16|32|64)|Float(32|64)|Date|DateTime|UUID|Decimal(32|64|128)?\\(.*\\))");

    private TypeCheck() {}

    static void requireConvertible(ClickHouse ch, ModifyColumn m) {
        String target = m.newType();
        boolean nullable = false;
        Matcher n = Pattern.compile("Nullable\\((.*)\\)").matcher(target);
        if (n.matches()) {
            target = n.group(1);
            nullable = true;
        }
        if (!CONVERTIBLE.matcher(target).matches()) {
            return;
        }
        String fn = conversion(target, "toString(" + Sql.id(m.column()) + ")");
        String bad = "isNotNull(" + Sql.id(m.column()) + ") AND isNull(" + fn + ")";
        if (target.matches("U?Int(8|16|32|64)")) {
            // to<Int>OrNull wraps out-of-range values instead of failing: compare the value before and after
            bad = "isNotNull(" + Sql.id(m.column()) + ") AND (isNull(" + fn + ") OR toFloat64OrZero(toString("
                    + Sql.id(m.column()) + ")) != toFloat64(assumeNotNull(" + fn + ")))";
        }
        String table = Sql.table(ch.database(), m.table());
        Rows count = ch.query("SELECT count() AS n FROM " + table + " WHERE " + bad, false);
        long failing = Long.parseLong(String.valueOf(count.get(0, "n")));
        if (m.oldType().startsWith("Nullable(") && !nullable) {
            Rows nulls = ch.query("SELECT count() AS n FROM " + table + " WHERE isNull(" + Sql.id(m.column()) + ")",
                    false);
            failing += Long.parseLong(String.valueOf(nulls.get(0, "n")));
        }
        if (failing == 0) {
            return;
        }
        Rows sample = ch.query("SELECT toString(" + Sql.id(m.column()) + ") AS v FROM " + table + " WHERE " + bad
                + " LIMIT 5", false);
        List<String> evidence = sample.rows().stream().map(r -> "live value: " + (r.get(0) == null ? "NULL"
                : "'" + r.get(0) + "'") + " does not convert to " + m.newType()).toList();
        throw new ApplyException(failing + " row(s) of " + m.table() + "." + m.column() + " do not convert from "
                + m.oldType() + " to " + m.newType() + "; nothing was changed", evidence,
                "fix or delete those rows, or keep the type " + m.oldType() + " in the model");
    }

    private static String conversion(String type, String expr) {
        if (type.startsWith("Decimal")) {
            return "toFloat64OrNull(" + expr + ")";
        }
        if (type.equals("UUID")) {
            return "if(match(" + expr + ", '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'),"
                    + " 1, NULL)";
        }
        return "to" + type + "OrNull(" + expr + ")";
    }
}
