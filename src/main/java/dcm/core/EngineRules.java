package dcm.core;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table engines this tool creates and the shape of their arguments: MergeTree-family engines in the modern
 * syntax (the keys are separate clauses), whose arguments name columns of the model.
 */
final class EngineRules {
    /** One engine: its name, the roles of its arguments, how many are required, and a usage example. */
    private record Rule(String name, List<String> roles, int required, String example) {}

    private static final List<Rule> RULES = List.of(
            new Rule("MergeTree", List.of(), 0, "MergeTree"),
            new Rule("ReplacingMergeTree", List.of("version", "is_deleted"), 0, "ReplacingMergeTree(updatedAt)"),
            new Rule("SummingMergeTree", List.of("columns to sum"), 0, "SummingMergeTree((clicks, views))"),
            new Rule("AggregatingMergeTree", List.of(), 0, "AggregatingMergeTree"),
            new Rule("CollapsingMergeTree", List.of("sign"), 1, "CollapsingMergeTree(sign)"),
            new Rule("VersionedCollapsingMergeTree", List.of("sign", "version"), 2,
                    "VersionedCollapsingMergeTree(sign, version)"));
    /** Other engines ClickHouse has, refused with a reason rather than a "did you mean". */
    private static final Set<String> OTHER = Set.of("Memory", "Log", "TinyLog", "StripeLog", "Kafka", "Distributed",
            "Buffer", "Null", "Set", "Join", "View", "MaterializedView", "Dictionary", "File", "URL", "MySQL",
            "PostgreSQL", "S3", "HDFS", "JDBC", "ODBC", "Merge", "GenerateRandom", "EmbeddedRocksDB");
    private static final Pattern SHAPE = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\((.*)\\))?\\s*",
            Pattern.DOTALL);
    private static final Pattern COLUMN = Pattern.compile("`?([A-Za-z_][A-Za-z0-9_]*)`?");
    private static final Pattern VERSION_TYPE = Pattern.compile("U?Int(8|16|32|64|128|256)|Date|Date32"
            + "|DateTime(\\(.*\\))?|DateTime64\\(.*\\)");

    private EngineRules() {}

    /** The names of the engines this tool creates. */
    static List<String> names() {
        return RULES.stream().map(Rule::name).toList();
    }

    /**
     * Checks an engine; with {@code columns} (name to type) its arguments must also be columns of fitting types.
     * Returns what is wrong, or null.
     */
    static String check(String text, Map<String, String> columns) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            return "is not an engine name with optional arguments in parentheses; write e.g. ReplacingMergeTree(ver)";
        }
        String name = m.group(1);
        Rule rule = RULES.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
        if (rule == null) {
            return unknown(name);
        }
        List<String> args = m.group(2) == null ? List.of() : Sql.splitTopLevel(m.group(2));
        if (args == null) {
            return "has unbalanced parentheses in its arguments; write e.g. " + rule.example();
        }
        if (args.size() < rule.required() || args.size() > rule.roles().size()) {
            int most = rule.roles().size();
            String takes = most == 0 ? "no arguments" : (rule.required() == most ? "" : "at most ") + most
                    + " (" + String.join(", ", rule.roles()) + ")";
            return "has " + args.size() + " argument" + (args.size() == 1 ? "" : "s") + "; " + name + " takes "
                    + takes + " (the keys go in orderBy/partitionBy, not here): write e.g. " + rule.example();
        }
        for (int i = 0; i < args.size(); i++) {
            String problem = argument(rule, rule.roles().get(i), args.get(i), columns);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String unknown(String name) {
        if (name.startsWith("Replicated")) {
            return "names the replication itself; write " + name.substring("Replicated".length()) + ": on a cluster"
                    + " ([[clickhouse_config.clusters]] in moose.config.toml) every table is created as its Replicated"
                    + " twin, with its ZooKeeper path and replica name";
        }
        if (name.equals("GraphiteMergeTree")) {
            return "needs a graphite_rollup section in the server's configuration, which this tool does not manage;"
                    + " use one of " + names();
        }
        if (OTHER.contains(name)) {
            return "is not a MergeTree-family engine; this tool creates tables with one of " + names();
        }
        String near = names().stream().min(Comparator.comparingInt(n -> Names.distance(
                n.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)))).orElseThrow();
        boolean close = Names.distance(near.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)) <= 3;
        return "is not an engine this tool creates" + (close ? ": did you mean " + near + "?" : "; use one of "
                + names());
    }

    private static String argument(Rule rule, String role, String arg, Map<String, String> columns) {
        if (role.equals("columns to sum") && arg.startsWith("(") && arg.endsWith(")")) {
            List<String> inner = Sql.splitTopLevel(arg.substring(1, arg.length() - 1));
            for (String column : inner == null ? List.of(arg) : inner) {
                String problem = argument(rule, "sum", column, columns);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        Matcher m = COLUMN.matcher(arg);
        if (!m.matches() || arg.startsWith("`") != arg.endsWith("`")) {
            return "has '" + arg + "' as its " + role + " argument, which is not a column name; write e.g. "
                    + rule.example();
        }
        if (columns == null) {
            return null;
        }
        String column = m.group(1);
        String type = columns.get(column);
        if (type == null) {
            return "names " + column + " as its " + role + " column, but the schema has no such field; fields are "
                    + columns.keySet();
        }
        if (role.equals("sign") && !type.equals("Int8")) {
            return "needs its sign column " + column + " to be Int8 (1 or -1), but it is " + type
                    + "; declare it as byte";
        }
        if (role.equals("version") && !VERSION_TYPE.matcher(type).matches()) {
            return "needs its version column " + column + " to be an integer, Date or DateTime, but it is "
                    + type;
        }
        if (role.equals("is_deleted") && !type.equals("UInt8")) {
            return "needs its is_deleted column " + column + " to be UInt8, but it is " + type
                    + "; declare it as boolean";
        }
        return null;
    }
}
