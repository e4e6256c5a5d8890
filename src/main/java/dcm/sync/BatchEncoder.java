package dcm.sync;

import dcm.clickhouse.ClickHouse;

/**
 * One insert format of a sync's batches: the JSON rows as they were polled ({@link JsonLines}, JSONEachRow), or
 * rewritten ({@link TsvRows}, TabSeparatedWithNames: less work for ClickHouse). Every batch is JSON rows first; a
 * rewrite may refuse a batch (a row it cannot carry exactly), and then the batch goes as JSON.
 */
interface BatchEncoder {
    /**
     * The rows in this format: the batch itself when the format is its JSON, else a new batch the caller releases;
     * null when a row does not qualify.
     */
    RowBatch encode(RowBatch rows);

    /**
     * Inserts rows [from, to) of a batch this encoder made, as one insert of one block, under {@code queryId}
     * (logged in {@code system.query_log}: after a crash it tells whether the block was stored).
     */
    void insert(ClickHouse ch, String table, RowBatch encoded, int from, int to, String queryId);
}
