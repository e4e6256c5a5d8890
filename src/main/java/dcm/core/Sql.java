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

    /**
     * A comma-separated SQL list split at its top-level commas ({@code a, f(b, c), 'x,y'} is three parts), each part
     * stripped; an empty last part is kept when a comma precedes it. Null when brackets do not balance or a string
     * is not closed.
     */
    public static java.util.List<String> splitTopLevel(String text) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                int end = SqlFragments.endOfString(text, i);
                if (end < 0) {
                    return null;
                }
                i = end - 1;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if ((c == ')' || c == ']') && --depth < 0) {
                return null;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (depth != 0) {
            return null;
        }
        String last = text.substring(start).strip();
        if (!last.isEmpty() || !out.isEmpty()) {
            out.add(last);
        }
        return out;
    }
}
