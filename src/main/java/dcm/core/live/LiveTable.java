package dcm.core.live;

import java.util.List;
import java.util.Optional;

/**
 * A table or view as ClickHouse reports it.
 *
 * @param name         table name
 * @param engine       engine name ({@code MergeTree}, {@code View}, {@code MaterializedView}, ...)
 * @param columns      columns in table order
 * @param sortingKey   ORDER BY expression as reported ({@code userId, at}), or empty
 * @param primaryKey   PRIMARY KEY expression, or empty
 * @param partitionKey PARTITION BY expression, or empty
 * @param query        for views: the CREATE statement, else empty
 */
public record LiveTable(String name, String engine, List<LiveColumn> columns, String sortingKey, String primaryKey,
                        String partitionKey, String query) {
    public LiveTable {
        columns = List.copyOf(columns);
    }

    /** True for plain and materialized views. */
    public boolean isView() {
        return engine.equals("View") || engine.equals("MaterializedView");
    }

    /** A column by name. */
    public Optional<LiveColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Column names in order. */
    public List<String> columnNames() {
        return columns.stream().map(LiveColumn::name).toList();
    }
}
