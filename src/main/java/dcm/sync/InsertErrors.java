package dcm.sync;

import dcm.clickhouse.ClickHouseException;

/**
 * What a sync does when ClickHouse fails an insert, by the failure's kind: a data error (a value the table cannot
 * take) splits the batch to dead-letter its bad rows; everything else is retried with the batch as it is (the
 * server away, a table briefly missing or changing during a rebuild's swap (schema errors), too many parts,
 * memory), and a failure without an answer is retried knowing the server may have stored the rows.
 */
final class InsertErrors {
    /** The sync's answer to a failed insert. */
    enum Action {
        /** The data does not fit: split the batch around the rows ClickHouse refuses (dead letters). */
        SPLIT,
        /** Send the same rows again after a pause: nothing was stored. */
        RETRY,
        /**
         * Send the same rows again, counting them as possible duplicates (the server may have stored them), and
         * never reuse their memory (the dropped request may still read it).
         */
        RETRY_UNSURE
    }

    private InsertErrors() {}

    static Action action(ClickHouseException.Kind kind) {
        return switch (kind) {
            case DATA -> Action.SPLIT;
            case NO_ANSWER -> Action.RETRY_UNSURE;
            case CONNECTION, TIMEOUT, CANCELLED, SCHEMA, SYNTAX, OTHER -> Action.RETRY;
        };
    }

    /** Whether a TSV insert that failed this way says the table may have changed (its columns are read again). */
    static boolean tableMayHaveChanged(ClickHouseException.Kind kind) {
        return kind == ClickHouseException.Kind.DATA;
    }
}
