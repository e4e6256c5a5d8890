package dcm.core.plan;

import java.util.List;

/**
 * Canonical spellings, so that equivalent definitions never show as a change: whitespace and backticks outside
 * string literals go, {@code tuple()} is an empty key, and optionally {@code LowCardinality(T)} equals {@code T}.
 */
public final class Normalize {
    private Normalize() {}

    /** A type with no insignificant whitespace; LowCardinality unwrapped when asked. */
    public static String type(String type, boolean ignoreLowCardinality) {
        String t = squeeze(type);
        if (ignoreLowCardinality) {
            t = t.replaceAll("LowCardinality\\(([^()]*(\\([^()]*\\))?)\\)", "$1");
        }
        return t;
    }

    /** A default expression, or empty for none. */
    public static String expression(String expr) {
        return expr == null ? "" : squeeze(expr);
    }

    /**
     * A column's default as the server reports it, compared with the model's: a default whose type is not the
     * column's is stored wrapped in {@code CAST(expr, 'Type')} (the column's type), which is the model's
     * {@code expr}.
     */
    public static String expression(String expr, String columnType) {
        String e = expression(expr);
        String suffix = ",'" + squeeze(columnType) + "')";
        if (e.startsWith("CAST(") && e.endsWith(suffix) && balanced(e.substring(5, e.length() - suffix.length()))) {
            return e.substring(5, e.length() - suffix.length());
        }
        return e;
    }

    /** A key (ORDER BY, PARTITION BY) from the model's field list. */
    public static String key(List<String> fields) {
        return squeeze(String.join(",", fields));
    }

    /** A key as ClickHouse reports it ({@code userId, at}, {@code tuple()}). */
    public static String key(String reported) {
        String k = squeeze(reported == null ? "" : reported);
        if (k.equals("tuple()")) {
            return "";
        }
        if (k.startsWith("(") && k.endsWith(")") && balanced(k.substring(1, k.length() - 1))) {
            k = k.substring(1, k.length() - 1);
        }
        return k;
    }

    /** The engine's name without parameters. */
    public static String engineName(String engine) {
        int p = engine.indexOf('(');
        return (p < 0 ? engine : engine.substring(0, p)).strip();
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /** Drops whitespace and backticks outside single-quoted literals. */
    static String squeeze(String s) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (quoted || (!Character.isWhitespace(c) && c != '`')) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
