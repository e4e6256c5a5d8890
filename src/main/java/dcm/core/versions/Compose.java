package dcm.core.versions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Chains version-to-version mappings into one (1.0 -> 1.1 -> 1.2 as 1.0 -> 1.2) by substituting expressions: each
 * reference of the later step to a column of the middle version is replaced by the earlier step's expression for
 * it, in parentheses. 18.16's materialized views do not take a subquery's aliases, so a chain cannot be nested; and
 * they do not cascade, so a row entering 1.0 reaches 1.2 only through a view from 1.0 with the composed mapping.
 * A column's declared default refers to the new version's own columns (aliases of the same SELECT) and is kept.
 */
public final class Compose {
    private Compose() {}

    /** {@code second} after {@code first}: a mapping from {@code first}'s old version to {@code second}'s new one. */
    public static Mapping of(Mapping first, Mapping second) {
        if (!first.to().equals(second.from()) || !first.model().equals(second.model())) {
            throw new IllegalArgumentException("cannot chain " + first.model() + " " + first.from() + "->" + first.to()
                    + " with " + second.model() + " " + second.from() + "->" + second.to());
        }
        Map<String, String> middle = first.columns().stream().filter(c -> c.expression() != null)
                .collect(Collectors.toMap(Mapping.Column::name, c -> "(" + c.expression() + ")"));
        List<Mapping.Column> columns = new ArrayList<>();
        for (Mapping.Column c : second.columns()) {
            boolean overOldColumns = c.expression() != null && c.source() != Mapping.Source.DEFAULT;
            columns.add(overOldColumns ? new Mapping.Column(c.name(), c.type(), c.source(),
                    substitute(c.expression(), name -> middle.get(name))) : c);
        }
        List<String> notes = new ArrayList<>(first.notes());
        notes.addAll(second.notes());
        List<String> errors = new ArrayList<>(first.errors());
        errors.addAll(second.errors());
        Mapping.shadowed(columns).stream().filter(e -> !errors.contains(e)).forEach(errors::add);
        List<String> dropped = new ArrayList<>(first.dropped());
        // a middle column the second step drops loses the first version's column it passed on
        for (String d : second.dropped()) {
            first.columns().stream().filter(c -> c.name().equals(d) && (c.source() == Mapping.Source.SAME
                    || c.source() == Mapping.Source.RENAMED)).map(c -> c.expression().replace("`", ""))
                    .filter(n -> !dropped.contains(n)).forEach(dropped::add);
        }
        return new Mapping(first.model(), first.from(), second.to(), columns, dropped, notes, errors);
    }

    /** The column names an expression reads (backquoted or bare, as {@link #substitute} finds them), in order. */
    public static java.util.Set<String> references(String expr) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        substitute(expr, name -> {
            out.add(name);
            return null;
        });
        return out;
    }

    /**
     * Replaces each column reference in a ClickHouse expression for which {@code replacement} answers (null: keep):
     * a backquoted name, or a bare name that is not a function call, not a qualifier or qualified, and not the type after AS.
     * String literals are copied untouched.
     */
    static String substitute(String expr, Function<String, String> replacement) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        String previousWord = "";
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '\'') {
                int closed = dcm.core.SqlFragments.endOfString(expr, i);
                int end = closed < 0 ? expr.length() : closed;
                out.append(expr, i, end);
                i = end;
            } else if (c == '`') {
                int end = expr.indexOf('`', i + 1);
                String name = expr.substring(i + 1, end < 0 ? expr.length() : end);
                String r = replacement.apply(name);
                out.append(r != null ? r : expr.substring(i, end < 0 ? expr.length() : end + 1));
                i = end < 0 ? expr.length() : end + 1;
                previousWord = name;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < expr.length() && (Character.isLetterOrDigit(expr.charAt(end)) || expr.charAt(end) == '_')) {
                    end++;
                }
                String word = expr.substring(i, end);
                boolean call = next(expr, end) == '(';
                boolean qualified = i > 0 && expr.charAt(i - 1) == '.'
                        || end < expr.length() && expr.charAt(end) == '.';
                boolean typeName = previousWord.equalsIgnoreCase("AS");
                String r = call || qualified || typeName ? null : replacement.apply(word);
                out.append(r != null ? r : word);
                previousWord = word;
                i = end;
            } else if (Character.isDigit(c)) {
                int end = i;
                while (end < expr.length() && (Character.isLetterOrDigit(expr.charAt(end)) || expr.charAt(end) == '.')) {
                    end++;
                }
                out.append(expr, i, end);
                i = end;
            } else {
                out.append(c);
                if (!Character.isWhitespace(c)) {
                    previousWord = "";
                }
                i++;
            }
        }
        return out.toString();
    }

    private static char next(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i < s.length() ? s.charAt(i) : 0;
    }
}
