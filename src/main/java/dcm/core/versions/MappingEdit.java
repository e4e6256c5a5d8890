package dcm.core.versions;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.plan.Normalize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a user changed in the generated mapping of one step between versions, and where: a mapping file
 * ({@link MappingFile}) gives every column of the new version its expression; a {@code Mapping} in a model script
 * renames some columns and sets the expressions of others. {@link #apply} lays the changes over the mapping generated
 * from the two schemas, so that whatever the user did not touch stays as generated.
 *
 * @param model    the model
 * @param from     the old version
 * @param to       the new version
 * @param origin   where the edit is, as a plan shows it: {@code migrations/Users__1_0__1_1.sql} or
 *                 {@code models/users.jsh:12}
 * @param at       where a problem with the edit as a whole is reported (a file: its FROM; a script: the statement)
 * @param complete whether every column of the new version must be given (a file: yes; a script: no)
 * @param renames  new columns that take an old column of another name
 * @param sets     expressions for new columns, in the order written
 * @param problems what is wrong with the text itself (a file that does not parse)
 */
public record MappingEdit(String model, String from, String to, String origin, At at, boolean complete,
                          List<Rename> renames, List<Assign> sets, List<Problem> problems) {
    public MappingEdit {
        renames = List.copyOf(renames);
        sets = List.copyOf(sets);
        problems = List.copyOf(problems);
    }

    /** A place in a file: 1-based line and column, each 0 when unknown. */
    public record At(String file, int line, int column) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "");
        }
    }

    /** What is wrong, and where. */
    public record Problem(At at, String message) {
        @Override
        public String toString() {
            return at + ": " + message;
        }
    }

    /** The new column {@code newName} is the old column {@code oldName} (converted when its type changed). */
    public record Rename(String oldName, String newName, At at) {}

    /** The new column {@code column} is computed by {@code expression} over the old version's columns. */
    public record Assign(String column, String expression, At at) {}

    /**
     * The mapping with the edit applied, and the edit's problems. A problem makes the mapping unusable (it is in its
     * errors), so that a broken edit is never replaced by the generated mapping without a word.
     *
     * @param mapping  the mapping (columns the edit sets are {@link Mapping.Source#EDITED} unless they equal the
     *                 generated expression)
     * @param problems the edit's problems, located; also in the mapping's errors, relative to {@link #origin}
     */
    public record Applied(Mapping mapping, List<Problem> problems) {
        public Applied {
            problems = List.copyOf(problems);
        }
    }

    /** Applies the edit to the step from {@code from} to {@code to} (their versions must be the edit's). */
    public Applied apply(ModelSpec from, ModelSpec to) {
        if (!from.name().equals(model) || !from.version().equals(this.from) || !to.version().equals(this.to)) {
            throw new IllegalArgumentException("the edit of " + model + " " + this.from + " -> " + this.to
                    + " does not map " + from.ref() + " to " + to.ref());
        }
        List<Problem> out = new ArrayList<>(problems);
        if (!problems.isEmpty()) {
            Mapping g = Mapping.generate(from, to);
            return new Applied(withErrors(g, g.columns(), g.notes(), g.dropped(), out), out);
        }
        Map<String, ColumnSpec> oldColumns = byName(from);
        Map<String, ColumnSpec> newColumns = byName(to);
        Map<String, ColumnSpec> renamed = new LinkedHashMap<>();
        for (Rename r : renames) {
            if (!newColumns.containsKey(r.newName())) {
                out.add(new Problem(r.at(), "rename(\"" + r.oldName() + "\", \"" + r.newName() + "\"): "
                        + unknown(r.newName(), to)));
            } else if (!oldColumns.containsKey(r.oldName())) {
                out.add(new Problem(r.at(), "rename(\"" + r.oldName() + "\", \"" + r.newName() + "\"): "
                        + unknown(r.oldName(), from)));
            } else if (renamed.containsKey(r.newName())) {
                out.add(new Problem(r.at(), r.newName() + " is renamed twice: keep one rename"));
            } else {
                ColumnSpec c = newColumns.get(r.newName());
                renamed.put(r.newName(), new ColumnSpec(c.name(), c.type(), c.key(), c.defaultExpr(), r.oldName()));
            }
        }
        List<ColumnSpec> target = to.columns().stream().map(c -> renamed.getOrDefault(c.name(), c)).toList();
        Mapping g = Mapping.generate(from, new ModelSpec(to.name(), to.version(), target, to.table(), to.topic(),
                to.ingest(), to.source()));
        Map<String, Assign> set = new LinkedHashMap<>();
        for (Assign s : sets) {
            if (!newColumns.containsKey(s.column())) {
                out.add(new Problem(s.at(), unknown(s.column(), to)));
            } else if (set.containsKey(s.column())) {
                out.add(new Problem(s.at(), s.column() + " is given twice (also at " + set.get(s.column()).at()
                        + "): keep one"));
            } else if (renamed.containsKey(s.column())) {
                out.add(new Problem(s.at(), s.column() + " is renamed and also set: keep one of the two"));
            } else {
                set.put(s.column(), s);
            }
        }
        List<Mapping.Column> columns = new ArrayList<>();
        Set<String> edited = new LinkedHashSet<>();
        for (Mapping.Column c : g.columns()) {
            Assign s = set.get(c.name());
            if (s == null) {
                if (complete) {
                    out.add(new Problem(at, "column " + c.name() + " (" + c.type() + ") of " + model + " "
                            + this.to + " is missing: add \"" + (c.expression() == null ? "<expression>"
                            : c.expression()) + " AS " + dcm.core.Sql.id(c.name()) + "\" to the SELECT"));
                }
                columns.add(c);
            } else if (c.expression() != null && Normalize.expression(c.expression())
                    .equals(Normalize.expression(s.expression()))) {
                columns.add(c);
            } else {
                columns.add(new Mapping.Column(c.name(), c.type(), Mapping.Source.EDITED, s.expression()));
                edited.add(c.name());
            }
        }
        List<String> notes = g.notes().stream().filter(n -> columnOf(n, newColumns.keySet()) != null
                && !edited.contains(columnOf(n, newColumns.keySet()))).collect(Collectors.toList());
        List<String> dropped = dropped(from, columns);
        dropped.forEach(d -> notes.add(Mapping.droppedNote(d, this.from, this.to)));
        return new Applied(withErrors(g, columns, notes, dropped, out), out);
    }

    /** The mapping with these columns, and as errors the problems plus what still makes it unusable. */
    private Mapping withErrors(Mapping g, List<Mapping.Column> columns, List<String> notes, List<String> dropped,
                               List<Problem> problems) {
        List<String> errors = new ArrayList<>();
        problems.forEach(p -> errors.add(relative(p)));
        if (problems.isEmpty()) {
            columns.stream().filter(c -> c.expression() == null)
                    .forEach(c -> errors.add(Mapping.missing(c.name(), c.type())));
            errors.addAll(Mapping.shadowed(columns));
        }
        return new Mapping(g.model(), g.from(), g.to(), columns, dropped, notes, errors);
    }

    /** A problem as an error of the mapping, whose origin is already said: {@code line 7, column 5: ...}. */
    private String relative(Problem p) {
        if (!p.at().file().equals(at.file())) {
            return p.toString();
        }
        if (p.at().line() == 0 || origin.endsWith(":" + p.at().line())) {
            return p.message();
        }
        return "line " + p.at().line() + (p.at().column() > 0 ? ", column " + p.at().column() : "") + ": "
                + p.message();
    }

    /** The old columns no expression reads (a default reads the new columns, not the old ones). */
    private static List<String> dropped(ModelSpec from, List<Mapping.Column> columns) {
        Set<String> read = new LinkedHashSet<>();
        Function<String, String> collect = name -> {
            read.add(name);
            return null;
        };
        columns.stream().filter(c -> c.expression() != null && c.source() != Mapping.Source.DEFAULT)
                .forEach(c -> Compose.substitute(c.expression(), collect));
        return from.columns().stream().map(ColumnSpec::name).filter(n -> !read.contains(n)).toList();
    }

    /** The new column a generated note is about ({@code score: String -> UInt64: ...}), or null. */
    private static String columnOf(String note, Set<String> columns) {
        int colon = note.indexOf(": ");
        String name = colon < 0 ? null : note.substring(0, colon);
        return name != null && columns.contains(name) ? name : null;
    }

    private static Map<String, ColumnSpec> byName(ModelSpec m) {
        Map<String, ColumnSpec> out = new LinkedHashMap<>();
        m.columns().forEach(c -> out.put(c.name(), c));
        return out;
    }

    /** {@code agee is not a column of Users 1.1 (did you mean age?); its columns: id, name, age}. */
    static String unknown(String name, ModelSpec m) {
        List<String> names = m.columns().stream().map(ColumnSpec::name).toList();
        // a swap of two letters (nmae) is two edits: allowed from four letters on
        List<String> near = names.stream().filter(n -> Names.distance(n.toLowerCase(java.util.Locale.ROOT),
                name.toLowerCase(java.util.Locale.ROOT)) <= (n.length() >= 4 ? 2 : 1)).toList();
        return name + " is not a column of " + m.name() + " " + m.version() + (near.isEmpty() ? ""
                : " (did you mean " + String.join(" or ", near) + "?)") + "; its columns: " + String.join(", ", names);
    }
}
