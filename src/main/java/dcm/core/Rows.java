package dcm.core;

import java.util.List;

/**
 * A result table: column names, their types (as the source reports them, may be empty strings), and rows of
 * plain values (String, Number, Boolean, null, or nested lists).
 */
public record Rows(List<String> columns, List<String> types, List<List<Object>> rows) {
    public Rows {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r))).toList();
    }

    /** The value in row {@code r} of the named column. */
    public Object get(int r, String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return rows.get(r).get(c);
    }

    public int size() {
        return rows.size();
    }
}
