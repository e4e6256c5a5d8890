package dcm.sync;

import dcm.clickhouse.ClickHouseException;

/**
 * What a sync does when ClickHouse fails an insert, by the failure's kind: a data error (a value the table cannot
 * take) splits the batch to dead-letter its bad rows; everything else is retried with the batch as it is (the
 * server away, a table briefly missing or changing during a rebuild's swap (schema errors), too many parts,
 * memory), a failure without an answer is retried knowing the server may have stored the rows, and an insert a
 * view refused (the table stored the rows, a later version's view did not take them) is never sent again.
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
        RETRY_UNSURE,
        /**
         * The table stored the rows but one of its views refused them (a later version's mapping): sending them
         * again would store them twice. They count as landed (their offsets are committed as for any insert) and
         * go to the dead letters with the reason: they are missing from the later versions' tables. Sound because
         * every insert of a sync is one block (see {@link dcm.clickhouse.ClickHouse#insertJsonEachRow(String,
         * java.io.InputStream, int)}): all of its rows were stored, none passed the refusing view.
         */
        STORED_REFUSED_BY_VIEW
    }

    private InsertErrors() {}

    static Action action(ClickHouseException.Kind kind) {
        return switch (kind) {
            case DATA -> Action.SPLIT;
            case NO_ANSWER -> Action.RETRY_UNSURE;
            case VIEW_REFUSED -> Action.STORED_REFUSED_BY_VIEW;
            case CONNECTION, TIMEOUT, CANCELLED, SCHEMA, SYNTAX, OTHER -> Action.RETRY;
        };
    }

    /** Whether a TSV insert that failed this way says the table may have changed (its columns are read again). */
    static boolean tableMayHaveChanged(ClickHouseException.Kind kind) {
        return kind == ClickHouseException.Kind.DATA;
    }
}
