package dcm.core;

/**
 * One column a model wants: its name, ClickHouse type, whether it is part of the key, an optional default
 * expression and an optional former name (a declared rename).
 */
public record ColumnSpec(String name, String type, boolean key, String defaultExpr, String renamedFrom) {
    public ColumnSpec {
        Names.requireIdentifier("column", name);
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("column " + name + " has no type");
        }
        if (renamedFrom != null) {
            Names.requireIdentifier("former column name", renamedFrom);
        }
    }

    /** A plain column with no key flag, default or rename. */
    public static ColumnSpec of(String name, String type) {
        return new ColumnSpec(name, type, false, null, null);
    }
}
