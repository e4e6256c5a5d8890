package dcm.core;

/**
 * Quoting for generated SQL. Every identifier goes through {@link #id}, which rejects names that cannot be quoted
 * safely instead of escaping them; string literals go through {@link #str}.
 */
public final class Sql {
    private Sql() {}

    /** A quoted identifier: {@code `Users_1_0`}. */
    public static String id(String name) {
        return "`" + Names.requireIdentifier("identifier", name) + "`";
    }

    /** A database-qualified, quoted table name: {@code `local`.`Users_1_0`}. */
    public static String table(String database, String table) {
        return id(database) + "." + id(table);
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
