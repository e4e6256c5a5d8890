package dcm.core.versions;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.core.plan.Normalize;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How rows of one version of a model become rows of the next: one expression per column of the new version, over
 * the old version's columns. Generated from the two schemas (then owned by the user): columns match by name and by
 * declared renames ({@code @RenamedFrom}); a changed type gets a typed conversion that never fails silently (a value that
 * does not convert is refused when it is inserted, never turned into a zero or NULL); a new column takes the new schema's declared default (computed in the mapping: 18.16's views fill no
 * default), or NULL when Nullable, and is an error otherwise (no value is invented); a removed column is listed as dropped.
 *
 * @param model   the model name
 * @param from    the old version
 * @param to      the new version
 * @param columns the new version's columns the mapping produces, in order
 * @param dropped the old version's columns that no new column reads
 * @param notes   what a reviewer must know (conversions that may refuse rows, dropped columns)
 * @param errors  what makes the mapping unusable as generated (a new column with no value)
 */
public record Mapping(String model, String from, String to, List<Column> columns, List<String> dropped,
                      List<String> notes, List<String> errors) {
    public Mapping {
        columns = List.copyOf(columns);
        dropped = List.copyOf(dropped);
        notes = List.copyOf(notes);
        errors = List.copyOf(errors);
    }

    /** How one new column is produced. */
    public enum Source {
        /** The same column, same type. */
        SAME,
        /** A column of another name ({@code @RenamedFrom}), same type. */
        RENAMED,
        /** An old column converted to the new type. */
        CONVERTED,
        /** The column's declared default, computed over the new columns. */
        DEFAULT,
        /** NULL of the column's type (a new Nullable column without a default). */
        NULL,
        /** Nothing to produce it from, and no default: the mapping must be written by hand. */
        MISSING,
        /** An expression the user wrote (a mapping file, or {@code set} in a model script). */
        EDITED
    }

    /**
     * One column of the new version.
     *
     * @param name       the new column
     * @param type       its type
     * @param source     how it is produced
     * @param expression the SQL expression over the old columns, or null when there is none (MISSING)
     */
    public record Column(String name, String type, Source source, String expression) {}

    /** Generates the mapping from one version's schema to the next one's. */
    public static Mapping generate(ModelSpec from, ModelSpec to) {
        List<Column> columns = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> read = new ArrayList<>();
        for (ColumnSpec c : to.columns()) {
            Optional<ColumnSpec> same = column(from, c.name());
            Optional<ColumnSpec> renamed = c.renamedFrom() == null ? Optional.empty() : column(from, c.renamedFrom());
            Optional<ColumnSpec> old = same.or(() -> renamed);
            if (old.isPresent()) {
                ColumnSpec o = old.get();
                read.add(o.name());
                if (sameType(o.type(), c.type())) {
                    columns.add(new Column(c.name(), c.type(), same.isPresent() ? Source.SAME : Source.RENAMED,
                            Sql.id(o.name())));
                } else {
                    columns.add(new Column(c.name(), c.type(), Source.CONVERTED, convert(o, c)));
                    notes.add(c.name() + ": " + o.type() + " -> " + c.type() + ": a value that does not convert is"
                            + " refused when it is inserted (never stored as a default); edit the mapping to decide"
                            + " otherwise");
                }
            } else if (c.defaultExpr() != null) {
                // 18.16 fills no default for a column a materialized view leaves out ("Expected column"): the
                // declared default is computed in the mapping, where it sees the new columns by their aliases
                columns.add(new Column(c.name(), c.type(), Source.DEFAULT, "CAST((" + c.defaultExpr() + ") AS "
                        + c.type() + ")"));
            } else if (c.type().startsWith("Nullable(")) {
                // typed: a bare NULL is Nullable(Nothing), which 18.16 refuses in a view writing to a table
                columns.add(new Column(c.name(), c.type(), Source.NULL, "CAST(NULL AS " + c.type() + ")"));
            } else {
                columns.add(new Column(c.name(), c.type(), Source.MISSING, null));
                errors.add(missing(c.name(), c.type()));
            }
        }
        errors.addAll(shadowed(columns));
        List<String> dropped = from.columns().stream().map(ColumnSpec::name).filter(n -> !read.contains(n)).toList();
        dropped.forEach(d -> notes.add(droppedNote(d, from.version(), to.version())));
        return new Mapping(to.name(), from.version(), to.version(), columns, dropped, notes, errors);
    }

    /** The error of a new column nothing produces. */
    static String missing(String column, String type) {
        return column + " (" + type + ") is new, has no @Default and is not Nullable: declare @Default(\"...\") on"
                + " it, or write its expression in the mapping";
    }

    /** The note of an old column no new column reads. */
    static String droppedNote(String column, String from, String to) {
        return column + " is not in version " + to + ": its values stay in " + from + " only";
    }

    /**
     * References a view would misread: in ClickHouse's SELECT an output alias hides the source column of the same
     * name, qualified or not (18.16 included), so an expression reading old column {@code x} gets the new column
     * {@code x} instead whenever the new {@code x} is not the old one passed through.
     */
    static List<String> shadowed(List<Column> columns) {
        java.util.Map<String, Column> byName = new java.util.HashMap<>();
        columns.forEach(c -> byName.put(c.name(), c));
        List<String> out = new ArrayList<>();
        for (Column c : columns) {
            if (c.expression() == null || c.source() == Source.DEFAULT) {
                continue;
            }
            java.util.Set<String> refs = new java.util.TreeSet<>();
            Compose.substitute(c.expression(), name -> {
                refs.add(name);
                return null;
            });
            for (String r : refs) {
                Column other = byName.get(r);
                boolean passedThrough = other != null && other.source() == Source.SAME && other.expression() != null;
                if (other != null && other != c && !passedThrough) {
                    out.add(c.name() + " reads the old column " + r + ", but the new version's own " + r + " hides it"
                            + " in a view's SELECT: do the rename and the new " + r + " in two versions, or write"
                            + " the mapping by hand");
                }
            }
        }
        return out;
    }

    private static Optional<ColumnSpec> column(ModelSpec m, String name) {
        return m.columns().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static boolean sameType(String a, String b) {
        return Normalize.type(a, false).equals(Normalize.type(b, false));
    }

    /**
     * A conversion that never invents a value and yields exactly the new type (a materialized view refuses a
     * Nullable result for a non-Nullable column): {@code CAST}, which refuses text that does not parse; from a number,
     * guarded by {@code throwIf} so that a value that does not survive the conversion (a negative into UInt, a
     * fraction into an integer, an overflow) is refused instead of wrapped (18.16 has no accurateCast).
     */
    static String convert(ColumnSpec from, ColumnSpec to) {
        String src = Sql.id(from.name());
        String cast = "CAST(" + src + " AS " + to.type() + ")";
        if (to.type().equals("String")) {
            return "toString(" + src + ")";
        }
        boolean number = NUMBER.matcher(from.type()).matches() && NUMBER.matcher(to.type()).matches();
        // from text, CAST refuses what does not parse but wraps what overflows ('70000' as UInt16 is 4464) and
        // turns a bad date into 0000-00-00: the value must read back as the text it came from
        boolean text = STRING.matcher(from.type()).matches() && EXACT_FROM_TEXT.matcher(to.type()).matches();
        if (!number && !text) {
            return cast;
        }
        // if() evaluates both branches on 18.16: the guard runs for every row, and either branch is the value
        String original = text ? src : "toString(" + src + ")";
        return "if(throwIf(toString(" + cast + ") != " + original + ") = 0, " + cast + ", " + cast + ")";
    }

    private static final Pattern STRING = Pattern.compile("(Nullable\\()?(LowCardinality\\()?String\\)?\\)?");
    private static final Pattern EXACT_FROM_TEXT = Pattern.compile("(Nullable\\()?(U?Int(8|16|32|64)|Date|DateTime)\\)?");

    private static final Pattern NUMBER = Pattern.compile("(Nullable\\()?(U?Int(8|16|32|64)|Float(32|64))\\)?");

    /** True when the mapping can run as generated. */
    public boolean usable() {
        return errors.isEmpty();
    }

    /** The new columns the mapping writes. */
    public List<String> written() {
        return columns.stream().filter(c -> c.expression() != null).map(Column::name).toList();
    }

    /** {@code SELECT <expr> AS `col`, ... FROM <source>}: the mapping as SQL, over any source table or subquery. */
    public String select(String source) {
        List<String> parts = columns.stream().filter(c -> c.expression() != null)
                .map(c -> c.expression() + " AS " + Sql.id(c.name())).toList();
        return "SELECT " + String.join(", ", parts) + " FROM " + source;
    }
}
