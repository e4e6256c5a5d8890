package dcm.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local checks of the SQL text a model writes by hand and the generated DDL takes as written: a column type
 * ({@code @ClickHouseType}), an expression ({@code @Default}, {@code partitionBy}) and an engine. Each check makes
 * sure the fragment is one thing of its kind and cannot end early and smuggle in more of the statement (another
 * column, a clause, a second statement). Whether the server knows the functions and types it names is for the
 * server to say; see {@code dcm.migrate.FragmentCheck}.
 */
public final class SqlFragments {
    /**
     * What is wrong with a fragment.
     *
     * @param message what is wrong and where, in words ({@code expected ')' at column 7 ...}), with a fix when
     *                one is known
     * @param column  the 1-based column in the fragment where the problem is, or 0 for the fragment as a whole
     */
    public record Flaw(String message, int column) {}

    /**
     * Words that, outside parentheses, would end an expression and begin a clause or statement: what could follow
     * a DEFAULT or PARTITION BY expression in CREATE TABLE and ALTER TABLE, and more.
     */
    private static final Set<String> CLAUSE_WORDS = Set.of("AS", "WITH", "FROM", "WHERE", "FORMAT", "SETTINGS",
            "INTO", "OUTFILE", "ENGINE", "ORDER", "PARTITION", "PRIMARY", "SAMPLE", "TTL", "CODEC", "COMMENT",
            "AFTER", "FIRST", "ALIAS", "MATERIALIZED", "EPHEMERAL", "DEFAULT", "ON", "BY", "KEY", "UNION", "EXCEPT",
            "INTERSECT", "GROUP", "HAVING", "LIMIT", "OFFSET", "JOIN", "DROP", "ADD", "MODIFY", "ALTER", "CREATE",
            "INSERT", "DELETE", "UPDATE", "RENAME", "TRUNCATE", "ATTACH", "DETACH", "SYSTEM", "KILL", "GRANT",
            "REVOKE", "SET", "USE", "SHOW", "DESCRIBE", "EXPLAIN", "OPTIMIZE", "CLEAR", "REMOVE", "INDEX",
            "PROJECTION", "CONSTRAINT", "STATISTICS", "RESET", "CLUSTER", "IF");
    /** Clause words that are also functions: allowed when a '(' follows. */
    private static final Set<String> ALSO_FUNCTIONS = Set.of("FORMAT", "IF");
    private static final Pattern OPERATOR = Pattern.compile("[-+*/%=<>!.:?|,]");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern NUMBER = Pattern.compile(
            "0[xX][0-9A-Fa-f]+|0[bB][01]+|\\d+(\\.\\d*)?([eE][-+]?\\d+)?");

    private SqlFragments() {}

    /** Checks one ClickHouse type: {@code LowCardinality(String)}, {@code Enum8('a' = 1)}, {@code Decimal(38, 9)}. */
    public static Optional<Flaw> type(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(new Flaw("it is empty; write a type, e.g. String or LowCardinality(String)", 0));
        }
        try {
            TypeGrammar.parse(text);
            return Optional.empty();
        } catch (TypeGrammar.Failure f) {
            return Optional.of(new Flaw(f.getMessage(), f.at + 1));
        }
    }

    /** Checks an engine's name and argument shape, without knowing the columns. */
    public static Optional<Flaw> engine(String text) {
        return engine(text, null);
    }

    /**
     * Checks an engine: a MergeTree-family engine this tool creates, whose arguments are columns of {@code columns}
     * (name to ClickHouse type, in any order) of fitting types; a typo gets the nearest name.
     */
    public static Optional<Flaw> engine(String text, Map<String, String> columns) {
        String problem = text == null ? "is missing" : EngineRules.check(text, columns);
        return problem == null ? Optional.empty() : Optional.of(new Flaw(problem, 0));
    }

    /** The engines {@link #engine} accepts. */
    public static List<String> engines() {
        return EngineRules.names();
    }

    /**
     * Checks an expression for a DEFAULT or a PARTITION BY: not empty, quotes closed, brackets balanced, no
     * statement end, comment, subquery, top-level comma or clause keyword, and backticks only around plain names.
     */
    public static Optional<Flaw> expression(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(new Flaw("it is empty; write an expression, e.g. 0 or toYYYYMM(at)", 0));
        }
        Deque<Integer> open = new ArrayDeque<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            String flaw = null;
            int next = i + 1;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                next = i + 1;
            } else if (c >= '0' && c <= '9') {
                next = endOfWord(text, i, NUMBER);
                flaw = next < 0 ? "'" + text.substring(i, endOfWord(text, i, WORD)) + "' at column " + (i + 1)
                        + " is not a number" : null;
            } else if (c == '\'') {
                next = endOfString(text, i);
                flaw = next < 0 ? "the string opened at column " + (i + 1) + " is not closed" : null;
            } else if (c == '`' || c == '"') {
                next = text.indexOf(c, i + 1) + 1;
                flaw = quotedName(text, i, next);
            } else if (c == '(' || c == '[') {
                open.push(i);
            } else if (c == ')' || c == ']') {
                flaw = close(text, open, i);
            } else if (c == ';') {
                flaw = "';' at column " + (i + 1) + " would end the statement; write one expression, without ';'";
            } else if (c == '#' || text.startsWith("--", i) || text.startsWith("/*", i)) {
                flaw = "a comment starts at column " + (i + 1) + "; comments are not allowed in an expression";
            } else if (c == ',' && open.isEmpty()) {
                flaw = "',' at column " + (i + 1) + " is outside parentheses, where it would end the expression and"
                        + " start another column or clause; for a tuple write tuple(a, b) or (a, b)";
            } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_') {
                next = endOfWord(text, i, WORD);
                flaw = word(text, i, next, open.isEmpty());
            } else if (!OPERATOR.matcher(String.valueOf(c)).matches()) {
                flaw = "'" + c + "' at column " + (i + 1) + " is not part of an expression this tool accepts"
                        + " (outside strings: names, numbers, operators, parentheses, brackets)";
            }
            if (flaw != null) {
                return Optional.of(new Flaw(flaw, i + 1));
            }
            i = next;
        }
        if (!open.isEmpty()) {
            int at = open.peek();
            return Optional.of(new Flaw("'" + text.charAt(at) + "' at column " + (at + 1) + " is never closed",
                    at + 1));
        }
        return Optional.empty();
    }

    /** The index after a string literal starting at {@code start}, or -1 when it is not closed. */
    public static int endOfString(String text, int start) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                i += 2; // '' is a quote inside the string
            } else if (c == '\'') {
                return i + 1;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** The end of the {@code token} (a number or a name) at {@code start}; -1 when a name character follows it. */
    private static int endOfWord(String text, int start, Pattern token) {
        Matcher m = token.matcher(text).region(start, text.length());
        if (!m.lookingAt()) {
            return -1;
        }
        int end = m.end();
        return end < text.length() && WORD.matcher(text).region(end, end + 1).lookingAt() ? -1 : end;
    }

    private static String quotedName(String text, int start, int end) {
        char q = text.charAt(start);
        if (end <= 0) {
            return "the " + q + " at column " + (start + 1) + " is not closed";
        }
        String name = text.substring(start + 1, end - 1);
        return PLAIN_NAME.matcher(name).matches() ? null : q + name + q + " at column " + (start + 1)
                + " is not a quoted column name; " + q + " may only quote a name of letters, digits and underscores";
    }

    private static String close(String text, Deque<Integer> open, int at) {
        char c = text.charAt(at);
        if (open.isEmpty()) {
            return "'" + c + "' at column " + (at + 1) + " closes nothing; the brackets are unbalanced";
        }
        int from = open.pop();
        char want = text.charAt(from) == '(' ? ')' : ']';
        return c == want ? null : "'" + c + "' at column " + (at + 1) + " does not match the '" + text.charAt(from)
                + "' at column " + (from + 1);
    }

    private static String word(String text, int start, int end, boolean topLevel) {
        String w = text.substring(start, end).toUpperCase(Locale.ROOT);
        if (w.equals("SELECT")) {
            return "SELECT at column " + (start + 1) + " starts a subquery; an expression here may only use the"
                    + " table's own columns, constants and functions";
        }
        if (!topLevel || !CLAUSE_WORDS.contains(w) || (ALSO_FUNCTIONS.contains(w) && callFollows(text,
                end))) {
            return null;
        }
        return w + " at column " + (start + 1) + " would end the expression and begin another clause; outside"
                + " parentheses an expression cannot contain it (if it names a column, quote it: `"
                + text.substring(start, end) + "`)";
    }

    private static boolean callFollows(String text, int end) {
        int i = end;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '(';
    }
}
