package dcm.sync;

import dcm.clickhouse.ClickHouse;

/** The batch as polled: JSON lines, inserted as JSONEachRow (any range of rows, for the split around bad rows). */
final class JsonLines implements BatchEncoder {
    static final JsonLines INSTANCE = new JsonLines();

    private JsonLines() {}

    @Override
    public RowBatch encode(RowBatch rows) {
        return rows;
    }

    @Override
    public void insert(ClickHouse ch, String table, RowBatch encoded, int from, int to, String queryId) {
        ch.insertJsonEachRow(table, encoded.stream(from, to), to - from, queryId);
    }

    @Override
    public String toString() {
        return "JSONEachRow";
    }
}
