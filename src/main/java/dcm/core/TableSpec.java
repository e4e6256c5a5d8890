package dcm.core;

import java.util.List;

/**
 * A ClickHouse table a model version wants: physical name, columns in order, engine, ORDER BY, optional
 * PARTITION BY, and its lifecycle.
 */
public record TableSpec(String name, List<ColumnSpec> columns, String engine, List<String> orderBy,
                        String partitionBy, LifeCycle lifeCycle) {
    public TableSpec {
        Names.requireIdentifier("table", name);
        columns = List.copyOf(columns);
        orderBy = List.copyOf(orderBy);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + name + " has no columns");
        }
        for (String field : orderBy) {
            if (columns.stream().noneMatch(c -> c.name().equals(field))) {
                throw new IllegalArgumentException("table " + name + ": ORDER BY field '" + field
                        + "' is not a column; columns are " + columns.stream().map(ColumnSpec::name).toList());
            }
        }
    }
}
