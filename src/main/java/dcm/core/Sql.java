package dcm.core;

/**
 * Quoting for generated SQL. Every identifier goes through {@link #id}, which rejects names that cannot be quoted
 * safely instead of escaping them; string literals go through {@link #str}.
 */
public final class Sql {
    /** A quoted name in an enum type, before its {@code =}: {@code 'it\'s' =}. */
    private static final java.util.regex.Pattern ENUM_NAME = java.util.regex.Pattern.compile(
            "'((?:[^'\\\\]|\\\\.)*)'\\s*=");

    private Sql() {}

    /** A quoted identifier: {@code `Users_1_0`}. */
    public static String id(String name) {
        return "`" + Names.requireIdentifier("identifier", name) + "`";
    }

    /** A database-qualified, quoted table name: {@code `local`.`Users_1_0`}. */
    public static String table(String database, String table) {
        return id(database) + "." + id(table);
    }

    /** The names of an enum type ({@code Enum8('a' = 1, 'it\'s' = 2)}), unescaped: as ClickHouse has them. */
    public static java.util.List<String> enumNames(String type) {
        java.util.regex.Matcher m = ENUM_NAME.matcher(type);
        java.util.List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).replaceAll("\\\\(.)", "$1"));
        }
        return out;
    }

    /** A single-quoted string literal with backslash and quote escaped. */
    public static String str(String value) {
        StringBuilder out = new StringBuilder("'");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\0");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
