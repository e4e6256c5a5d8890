package dcm.api;

import dcm.core.Names;
import dcm.core.SqlFragments;
import dcm.core.versions.MappingEdit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How rows of one version of a model become rows of the next, written in the model's script. It starts from the
 * generated mapping (columns matched by name and {@code @RenamedFrom}, typed conversions, declared defaults) and
 * changes only what it says:
 * <pre>
 * new Mapping("Users", "1.0", "1.1")
 *         .rename("fullName", "name")          // 1.1's name is 1.0's fullName (converted if its type changed)
 *         .set("age", "toUInt16(age)");        // 1.1's age is this expression over 1.0's columns
 * </pre>
 * It wins over a mapping file ({@code migrations/Users__1_0__1_1.sql}); {@code mapping Users 1.0 1.1} shows the
 * mapping in force, and {@code plan} has ClickHouse check its types before anything is applied.
 */
public final class Mapping {
    private final String model;
    private final String from;
    private final String to;
    private final Map<String, String> renames = new LinkedHashMap<>();
    private final Map<String, String> sets = new LinkedHashMap<>();

    /** The mapping of {@code model} from version {@code from} to the next version, {@code to}. */
    public Mapping(String model, String from, String to) {
        this.model = Names.requireIdentifier("model", model);
        this.from = Names.requireVersion(from);
        this.to = Names.requireVersion(to);
        if (Names.compareVersions(from, to) >= 0) {
            throw new ModelProblem("Mapping(\"" + model + "\", \"" + from + "\", \"" + to + "\"): " + from + " is not"
                    + " before " + to + "; a mapping goes from one version to the next");
        }
        ModelRegistry.register(this);
    }

    /** The new version's column {@code newColumn} is the old version's {@code oldColumn} (converted if needed). */
    public Mapping rename(String oldColumn, String newColumn) {
        Names.requireIdentifier("column", oldColumn);
        Names.requireIdentifier("column", newColumn);
        if (renames.containsKey(newColumn) || sets.containsKey(newColumn)) {
            throw new ModelProblem(this + ": " + newColumn + " is already " + (sets.containsKey(newColumn) ? "set"
                    : "renamed") + "; give each column one rename or one set");
        }
        renames.put(newColumn, oldColumn);
        return this;
    }

    /**
     * The new version's {@code column} is {@code expression}, a ClickHouse expression over the old version's columns
     * (e.g. {@code "toUInt16(age)"}, {@code "concat(first, ' ', last)"}).
     */
    public Mapping set(String column, String expression) {
        Names.requireIdentifier("column", column);
        SqlFragments.expression(expression).ifPresent(f -> {
            throw new ModelProblem(this + ": set(\"" + column + "\", " + (expression == null ? "null"
                    : TypeMapper.javaString(expression)) + "): the expression " + f.message());
        });
        if (renames.containsKey(column) || sets.containsKey(column)) {
            throw new ModelProblem(this + ": " + column + " is already " + (sets.containsKey(column) ? "set"
                    : "renamed") + "; give each column one rename or one set");
        }
        sets.put(column, expression.strip());
        return this;
    }

    /** The model. */
    public String model() {
        return model;
    }

    /** The old version. */
    public String from() {
        return from;
    }

    /** The new version. */
    public String to() {
        return to;
    }

    /** The mapping as an edit of the generated one, defined at {@code file:line}. */
    public MappingEdit edit(String file, int line) {
        MappingEdit.At at = new MappingEdit.At(file, line, 0);
        List<MappingEdit.Rename> r = new ArrayList<>();
        renames.forEach((newName, oldName) -> r.add(new MappingEdit.Rename(oldName, newName, at)));
        List<MappingEdit.Assign> s = new ArrayList<>();
        sets.forEach((column, expression) -> s.add(new MappingEdit.Assign(column, expression, at)));
        return new MappingEdit(model, from, to, at.toString(), at, false, r, s, List.of());
    }

    @Override
    public String toString() {
        return "Mapping(\"" + model + "\", \"" + from + "\", \"" + to + "\")";
    }
}
