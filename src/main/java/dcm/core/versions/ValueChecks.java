package dcm.core.versions;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conversions an old version's values go through on their way to every later version, checked when a record is
 * accepted (ingest, route, sync) instead of when a migration view refuses it: on 18.16 a view that refuses a row
 * fails the insert after the old table stored it (no rollback), so the sync would store it again on retry. Only the
 * generated conversions are modelled (text to an integer, a date or a date-time; a number to an integer), each
 * exactly as the view's guard decides; an expression the user wrote is not (the view decides).
 */
public final class ValueChecks {
    private ValueChecks() {}

    /**
     * One conversion of one field.
     *
     * @param field   the field in the version the check belongs to
     * @param column  the column it becomes
     * @param from    the type converted from
     * @param to      the type converted to
     * @param version the version whose table converts it
     */
    public record Check(String field, String column, String from, String to, String version) {}

    /** The checks of every model version (by {@link ModelSpec#ref()}), each version's in the order they apply. */
    public static Map<String, List<Check>> of(Desired desired) {
        Map<String, List<Check>> out = new LinkedHashMap<>();
        List<ModelSpec> all = desired.all();
        for (ModelSpec v : all) {
            if (v.table() == null) {
                continue;
            }
            List<Check> checks = new ArrayList<>();
            // each field of v: its name and type as it travels through the steps
            Map<String, String[]> travelling = new LinkedHashMap<>();
            v.columns().forEach(c -> travelling.put(c.name(), new String[] {c.name(), c.type()}));
            String table = v.table().name();
            for (MigrationView step = stepFrom(desired, table); step != null; step = stepFrom(desired, table)) {
                ModelSpec to = version(all, step.model(), step.to());
                if (to == null) {
                    break;
                }
                Map<String, String[]> next = new LinkedHashMap<>();
                for (int i = 0; i < step.columns().size(); i++) {
                    String col = step.columns().get(i);
                    String expr = step.expressions().get(i);
                    String type = to.columns().stream().filter(c -> c.name().equals(col)).map(ColumnSpec::type)
                            .findFirst().orElse(null);
                    for (Map.Entry<String, String[]> f : travelling.entrySet()) {
                        String name = f.getValue()[0];
                        String had = f.getValue()[1];
                        if (expr.equals(Sql.id(name))) {
                            next.put(f.getKey(), new String[] {col, had});
                        } else if (type != null && expr.equals(Mapping.convert(ColumnSpec.of(name, had),
                                ColumnSpec.of(col, type)))) {
                            if (modelled(had, type)) {
                                checks.add(new Check(f.getKey(), col, had, type, step.to()));
                                next.put(f.getKey(), new String[] {col, type});
                            }
                        }
                    }
                }
                travelling.clear();
                travelling.putAll(next);
                table = step.target();
            }
            out.put(v.ref(), List.copyOf(checks));
        }
        return out;
    }

    private static MigrationView stepFrom(Desired d, String table) {
        return d.steps().stream().filter(s -> s.source().equals(table)).findFirst().orElse(null);
    }

    private static ModelSpec version(List<ModelSpec> all, String model, String version) {
        return all.stream().filter(m -> m.name().equals(model) && m.version().equals(version)).findFirst()
                .orElse(null);
    }

    private static final Pattern INT = Pattern.compile("(U?)Int(8|16|32|64)");
    private static final Pattern NUMBER = Pattern.compile("U?Int(8|16|32|64)|Float(32|64)");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);

    /** Whether a conversion is one this class decides exactly as the view does. */
    static boolean modelled(String from, String to) {
        String f = Compatibility.unwrap(from), t = Compatibility.unwrap(to);
        boolean toExact = INT.matcher(t).matches() || t.equals("Date") || t.equals("DateTime");
        return f.equals("String") && toExact || NUMBER.matcher(f).matches() && INT.matcher(t).matches();
    }

    /**
     * The value after the check's conversion ({@code String} for text and dates, {@code BigDecimal} for numbers),
     * or an {@link IllegalArgumentException} saying why the view would refuse it. A null passes.
     */
    public static Object convert(Check c, Object value) {
        if (value == null) {
            return null;
        }
        String to = Compatibility.unwrap(c.to());
        Matcher integer = INT.matcher(to);
        if (integer.matches()) {
            BigInteger n;
            if (value instanceof String s) {
                try {
                    n = new BigInteger(s);
                } catch (NumberFormatException e) {
                    throw refused(c, s, "is not a whole number");
                }
                if (!n.toString().equals(s)) {
                    throw refused(c, s, "is not written as " + n + " (no sign, spaces or leading zeros)");
                }
            } else {
                BigDecimal d = new BigDecimal(value.toString());
                if (d.stripTrailingZeros().scale() > 0) {
                    throw refused(c, value, "is not a whole number");
                }
                n = d.toBigIntegerExact();
            }
            int bits = Integer.parseInt(integer.group(2));
            boolean unsigned = !integer.group(1).isEmpty();
            BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
            BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
                throw refused(c, value, "is out of the range of " + to + " (" + min + " to " + max + ")");
            }
            return new BigDecimal(n);
        }
        String s = value.toString();
        try {
            if (to.equals("Date")) {
                LocalDate d = LocalDate.parse(s, DATE);
                if (d.isBefore(LocalDate.of(1970, 1, 1)) || d.isAfter(LocalDate.of(2149, 6, 6))) {
                    throw refused(c, s, "is outside 1970-01-01 to 2149-06-06");
                }
            } else if (to.equals("DateTime")) {
                LocalDateTime t = LocalDateTime.parse(s, DATE_TIME);
                if (t.isBefore(LocalDateTime.of(1970, 1, 1, 0, 0)) || t.isAfter(LocalDateTime.of(2106, 2, 7, 6, 28, 15))) {
                    throw refused(c, s, "is outside 1970-01-01 00:00:00 to 2106-02-07 06:28:15");
                }
            }
        } catch (DateTimeParseException e) {
            throw refused(c, s, "is not a " + to + " written as " + (to.equals("Date") ? "YYYY-MM-DD"
                    : "YYYY-MM-DD hh:mm:ss"));
        }
        return s;
    }

    private static IllegalArgumentException refused(Check c, Object value, String why) {
        return new IllegalArgumentException("'" + value + "' " + why + ": version " + c.version() + " converts "
                + c.field() + " to " + c.column() + " " + c.to() + " and would refuse it; send it to a version whose"
                + " type takes it, or change the mapping (`mapping`)");
    }
}
