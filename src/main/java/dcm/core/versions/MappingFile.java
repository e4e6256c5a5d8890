package dcm.core.versions;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.Sql;
import dcm.core.SqlFragments;
import dcm.core.versions.MappingEdit.Assign;
import dcm.core.versions.MappingEdit.At;
import dcm.core.versions.MappingEdit.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a mapping file, {@code migrations/<Model>__<from>__<to>.sql} (versions with underscores:
 * {@code Users__1_0__1_1.sql}): a header of comments (what the file is, when it was generated, how to edit it, the
 * two schemas), then one {@code SELECT} with one {@code <expression> AS `column`} per column of the new version
 * (over the old version's columns), ending with {@code FROM {source}}. Comments ({@code --}, {@code /* *}{@code /})
 * may go anywhere. Written once from the generated mapping, then the user's: it is read, never rewritten.
 */
public final class MappingFile {
    /** What the file's FROM names: the old version's table, put in by whoever runs the mapping. */
    public static final String SOURCE = "{source}";
    /** The expression of a column nothing can produce yet: the user writes it. */
    public static final String TODO = "TODO";
    private static final Pattern NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)__(\\d+(?:_\\d+)*)__(\\d+(?:_\\d+)*)"
            + "\\.sql");
    private static final Pattern ITEM = Pattern.compile("(?is)(.*\\S)\\s+AS\\s+(`[^`]*`|\\S+)\\s*");
    private static final Pattern AT_COLUMN = Pattern.compile(" at column \\d+");
    private static final int ALIGN = 48;

    private MappingFile() {}

    /** One step a file name denotes. */
    public record Step(String model, String from, String to) {}

    /** {@code Users__1_0__1_1.sql}. */
    public static String name(String model, String from, String to) {
        return Names.requireIdentifier("model", model) + "__" + Names.versionSuffix(from) + "__"
                + Names.versionSuffix(to) + ".sql";
    }

    /** The step a file name denotes, or empty when it is not a mapping file's name. */
    public static Optional<Step> step(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? Optional.of(new Step(m.group(1), m.group(2).replace('_', '.'), m.group(3)
                .replace('_', '.'))) : Optional.empty();
    }

    /**
     * The file for a mapping: the header (with {@code generatedOn}, e.g. {@code 2026-12-01}), then the SELECT with
     * what each column does as a comment. A column with no expression gets {@link #TODO}, which the parser refuses
     * until it is written.
     */
    public static String render(Mapping m, ModelSpec from, ModelSpec to, String generatedOn) {
        StringBuilder s = new StringBuilder();
        s.append("-- ").append(m.model()).append(": how a row of version ").append(m.from())
                .append(" becomes a row of version ").append(m.to()).append(".\n");
        s.append("-- Generated on ").append(generatedOn).append(", and yours from now on: dcm reads this file instead of")
                .append(" generating\n-- the mapping (a Mapping for the same versions in the model's script wins")
                .append(" over it). Edit the expressions;\n-- keep one `<expression> AS `column`` per column of ")
                .append(m.to()).append(" and FROM {source} at the end (no WHERE:\n-- every row maps to one row).")
                .append(" Expressions read the columns of ").append(m.from()).append(". `mapping ").append(m.model())
                .append(' ').append(m.from()).append(' ').append(m.to()).append("`\n-- shows what is in force;")
                .append(" `plan` has ClickHouse check each column's type.\n");
        s.append("-- ").append(m.from()).append(": ").append(schema(from)).append('\n');
        s.append("-- ").append(m.to()).append(": ").append(schema(to)).append('\n');
        m.notes().forEach(n -> s.append("-- note: ").append(n).append('\n'));
        s.append("SELECT\n");
        s.append(selectList(m, "    ", true));
        s.append("FROM ").append(SOURCE).append('\n');
        return s.toString();
    }

    /**
     * The SELECT list, one column per line with its trailing comma, and (with {@code comments}) what each column
     * does: {@code -- same}, {@code -- renamed from name}, {@code -- converted from Int32}, ...
     */
    public static String selectList(Mapping m, String indent, boolean comments) {
        StringBuilder s = new StringBuilder();
        List<Mapping.Column> cs = m.columns();
        List<String> items = new ArrayList<>();
        int width = 0;
        for (int i = 0; i < cs.size(); i++) {
            Mapping.Column c = cs.get(i);
            String item = (c.expression() == null ? TODO : c.expression()) + " AS " + Sql.id(c.name())
                    + (i < cs.size() - 1 ? "," : "");
            items.add(item);
            width = Math.max(width, item.length() <= ALIGN ? item.length() : 0);
        }
        for (int i = 0; i < cs.size(); i++) {
            s.append(indent).append(items.get(i));
            if (comments) {
                s.append(" ".repeat(Math.max(1, width - items.get(i).length() + 2))).append("-- ")
                        .append(does(cs.get(i), m));
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** What a column does, in a word or a few: same, renamed from x, converted from T, default, null, edited. */
    public static String does(Mapping.Column c, Mapping m) {
        return switch (c.source()) {
            case SAME -> "same";
            case RENAMED -> "renamed from " + c.expression().replace("`", "");
            case CONVERTED -> "converted: " + m.notes().stream().filter(n -> n.startsWith(c.name() + ": "))
                    .map(n -> n.substring(c.name().length() + 2, n.indexOf(':', c.name().length() + 2)))
                    .findFirst().orElse("to " + c.type());
            case DEFAULT -> "default (new in " + m.to() + ")";
            case NULL -> "null (new in " + m.to() + ", Nullable)";
            case MISSING -> "missing: new in " + m.to() + ", no @Default, not Nullable; write its expression";
            case EDITED -> "edited";
        };
    }

    private static String schema(ModelSpec m) {
        List<String> out = new ArrayList<>();
        for (ColumnSpec c : m.columns()) {
            out.add(Sql.id(c.name()) + " " + c.type() + (c.defaultExpr() == null ? "" : " DEFAULT " + c.defaultExpr()));
        }
        return String.join(", ", out);
    }

    /**
     * Reads a mapping file: every item of the SELECT as an expression for its column, located at its line and
     * column. What is not {@code SELECT <expression> AS <column>, ... FROM {source}} is a problem at its place; the
     * columns are checked against the schemas when the edit is applied ({@link MappingEdit#apply}).
     *
     * @param file the file, as reported ({@code migrations/Users__1_0__1_1.sql})
     */
    public static MappingEdit parse(String file, String model, String from, String to, String text) {
        MappingFileText t = new MappingFileText(file, text);
        List<Problem> problems = new ArrayList<>();
        List<Assign> sets = new ArrayList<>();
        At end = t.at(t.code.stripTrailing().length());
        int start = t.skipBlanks(0);
        if (start >= t.code.length()) {
            problems.add(new Problem(new At(file, 1, 0), "the file is empty: write `SELECT <expression> AS"
                    + " `column`, ... FROM " + SOURCE + "`, or delete the file to use the generated mapping"));
            return new MappingEdit(model, from, to, file, end, true, List.of(), sets, problems);
        }
        String first = t.word(start);
        int listStart = start + first.length();
        int fromAt = t.topLevelWord(listStart, "FROM");
        if (!first.equalsIgnoreCase("SELECT")) {
            problems.add(new Problem(t.at(start), "not a SELECT (it starts with `" + first + "`): a mapping file is one"
                    + " `SELECT <expression> AS `column`, ... FROM " + SOURCE + "`"));
        } else if (t.word(t.skipBlanks(listStart)).equalsIgnoreCase("DISTINCT")) {
            problems.add(new Problem(t.at(t.skipBlanks(listStart)), "SELECT DISTINCT: a mapping turns each row into"
                    + " one row; remove DISTINCT"));
        } else if (fromAt < 0) {
            int open = t.unclosed(listStart);
            problems.add(open >= 0 ? new Problem(t.at(open), "this '" + t.code.charAt(open) + "' is never closed, so"
                    + " the SELECT does not end with `FROM " + SOURCE + "`") : new Problem(end, "no `FROM " + SOURCE
                    + "` after the columns: end the SELECT with it"));
        }
        if (!problems.isEmpty()) {
            return new MappingEdit(model, from, to, file, end, true, List.of(), sets, problems);
        }
        String tail = t.code.substring(fromAt + 4).strip();
        tail = tail.endsWith(";") ? tail.substring(0, tail.length() - 1).strip() : tail;
        if (!tail.equals(SOURCE)) {
            int tailAt = t.skipBlanks(fromAt + 4);
            problems.add(new Problem(t.at(tailAt), "only `FROM " + SOURCE + "` may follow the columns (found `"
                    + abbreviate(tail) + "`): a mapping turns each row of the old version into one row of the new"
                    + " one, with no WHERE, JOIN, GROUP BY or other clause"));
        }
        for (int[] item : t.items(listStart, fromAt)) {
            item(t, item[0], item[1], sets, problems);
        }
        return new MappingEdit(model, from, to, file, t.at(fromAt), true, List.of(), sets, problems);
    }

    private static void item(MappingFileText t, int start, int end, List<Assign> sets, List<Problem> problems) {
        String raw = t.code.substring(start, end);
        int at = t.skipBlanks(start);
        if (raw.isBlank()) {
            problems.add(new Problem(t.at(Math.min(at, end)), "an empty item: a comma too many?"));
            return;
        }
        Matcher m = ITEM.matcher(raw);
        if (!m.matches() || Sql.splitTopLevel(m.group(1)) == null) {
            problems.add(new Problem(t.at(at), "`" + abbreviate(raw.strip()) + "` is not `<expression> AS <column>`:"
                    + " each item names the column of the new version it computes, e.g. `upper(name) AS `name``"));
            return;
        }
        String name = m.group(2).replace("`", "");
        if (!Names.isValidIdentifier(name)) {
            problems.add(new Problem(t.at(start + m.start(2)), "`" + m.group(2) + "` is not a column name"));
            return;
        }
        int exprAt = t.skipBlanks(start + m.start(1));
        String expr = squeeze(m.group(1).strip());
        if (expr.equals(TODO)) {
            problems.add(new Problem(t.at(exprAt), name + " has no expression yet (" + TODO + "): write the expression"
                    + " that computes it from the old version's columns"));
            return;
        }
        Optional<SqlFragments.Flaw> flaw = SqlFragments.expression(expr);
        if (flaw.isPresent()) {
            int col = flaw.get().column();
            int offset = col > 0 ? t.offsetOf(exprAt, expr, col - 1) : exprAt;
            problems.add(new Problem(t.at(offset), name + ": " + AT_COLUMN.matcher(flaw.get().message())
                    .replaceAll("")));
            return;
        }
        sets.add(new Assign(name, expr, t.at(exprAt)));
    }

    /** Runs of blanks outside string literals become one space (an expression may span lines). */
    static String squeeze(String expr) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '\'') {
                int e = SqlFragments.endOfString(expr, i);
                e = e < 0 ? expr.length() : e;
                out.append(expr, i, e);
                i = e;
            } else if (Character.isWhitespace(c)) {
                while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
                    i++;
                }
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        String one = squeeze(s);
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }
}
