package dcm.sync;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends a batch to its table: its encoding once (a rewrite such as TSV never holds a batch back nor decides what is
 * dead-lettered: whatever ClickHouse answers other than success, the batch then goes as JSON lines), then JSON lines
 * with retries ({@link InsertErrors}) and, on a data error, split in halves until the rows ClickHouse refuses are
 * alone, each then rejected. Each insert is one block ({@link BatchEncoder#insert}): one ClickHouse refused stored
 * nothing, but for one a view of the table refused (the table stored it all, then the view failed on it: never
 * sent again, its records are dead-lettered as missing from the later versions); only a dropped connection leaves
 * it unknown (counted as rows sent again). Used by the insert thread only.
 */
final class RowSink {
    private final ClickHouse ch;
    private final String table;
    /** The model whose version's table this is (named in the reason of a view's refusal). */
    private final String model;
    /** Where rows ClickHouse refuses go, with the reason (the dead-letter topic). */
    private final BiConsumer<List<byte[]>, String> reject;
    private final BooleanSupplier running;
    private final Consumer<String> error;
    /** Told when a rewrite was refused in a way that says the table may have changed. */
    private final Runnable tableChanged;
    /** Rows that went as a rewrite (TabSeparated); the others went as JSONEachRow. */
    final AtomicLong tsvRows = new AtomicLong();
    /** Rows sent again after ClickHouse dropped the connection mid-insert: possible duplicates. */
    final AtomicLong resent = new AtomicLong();
    /** An insert of the current batch got no answer: its memory may still be read, and is not reused. */
    private boolean unanswered;
    /** The query id of the current batch's inserts of all its rows (see {@link InsertJob#queryId()}). */
    private String queryId;
    /** The current batch's hash, and when it was handed over (for the query log, after an insert got no answer). */
    private String hash;
    private long handedAt;
    private final QueryLogCheck queryLog;
    /** The rows of the current batch. */
    private int batchRows;

    RowSink(ClickHouse ch, String table, String model, BiConsumer<List<byte[]>, String> reject,
            BooleanSupplier running, Consumer<String> error, Runnable tableChanged) {
        this.ch = ch;
        this.table = table;
        this.model = model;
        this.reject = reject;
        this.running = running;
        this.error = error;
        this.tableChanged = tableChanged;
        this.queryLog = new QueryLogCheck(ch);
    }

    /** Whether an insert since the last call got no answer (then the batch's memory must not be reused). */
    boolean takeUnanswered() {
        boolean was = unanswered;
        unanswered = false;
        return was;
    }

    /** Marks the current batch's memory as possibly still read (an Error cut an insert short). */
    void unanswered() {
        unanswered = true;
    }

    /**
     * Inserts a batch: {@code encoded} (made by {@code encoder} from {@code rows}; null: none) once, else the JSON
     * rows. Releases {@code encoded}. Returns the rows that landed (the rest were rejected). Every insert of all
     * its rows runs under {@code queryId}; one of part of them (split around bad rows) under {@code
     * queryId-from-to}, so after a crash the query log tells whether the batch landed ({@link QueryLogCheck}), and
     * so it does after an insert got no answer (then the rows are sent again only if it did not).
     */
    int insert(RowBatch rows, RowBatch encoded, BatchEncoder encoder, String hash, long handedAt) {
        this.hash = hash;
        this.handedAt = handedAt;
        this.queryId = InsertJob.queryId(hash);
        this.batchRows = rows.rows();
        if (rows.isEmpty()) {
            if (encoded != null) {
                encoded.release();
            }
            return 0;
        }
        if (encoded != null) {
            // until ClickHouse answered, the request may still read the chunks (an Error thrown meanwhile too)
            boolean over = false;
            try {
                encoder.insert(ch, table, encoded, 0, rows.rows(), queryId);
                over = true;
                tsvRows.addAndGet(rows.rows());
                return rows.rows();
            } catch (ClickHouseException e) {
                InsertErrors.Action action = InsertErrors.action(e.kind());
                over = action != InsertErrors.Action.RETRY_UNSURE;
                if (action == InsertErrors.Action.STORED_REFUSED_BY_VIEW) {
                    // stored as TSV: not sent again as JSON
                    tsvRows.addAndGet(rows.rows());
                    return refusedByView(rows, 0, rows.rows(), e);
                }
                if (InsertErrors.tableMayHaveChanged(e.kind())) {
                    // its columns are read again before the next batch
                    tableChanged.run();
                }
                if (!over) {
                    // no answer: the server may have stored them; its query log says whether it did
                    QueryLogCheck.Verdict v = queryLog.afterNoAnswer(hash, handedAt);
                    if (v == QueryLogCheck.Verdict.LANDED) {
                        tsvRows.addAndGet(rows.rows());
                        return rows.rows();
                    }
                    if (v == QueryLogCheck.Verdict.UNSURE) {
                        // and the JSON insert may store them again
                        resent.addAndGet(rows.rows());
                    }
                }
            } finally {
                if (over) {
                    encoded.release();
                } else {
                    // a request that got no answer may still be reading the chunks: they are not reused
                    encoded.discard();
                }
            }
        }
        return insertAll(rows, 0, rows.rows());
    }

    /** Inserts rows [from, to) as JSON, retrying while ClickHouse is away; splits on a data error to isolate bad rows. */
    private int insertAll(RowBatch rows, int from, int to) {
        if (from >= to) {
            return 0;
        }
        ClickHouseException refused = send(rows, from, to);
        if (refused == null) {
            return to - from;
        }
        if (refused.kind() == ClickHouseException.Kind.VIEW_REFUSED) {
            return refusedByView(rows, from, to, refused);
        }
        if (to - from == 1) {
            reject.accept(List.of(rows.row(from)), "ClickHouse refused it: " + refused.getMessage());
            return 0;
        }
        // a data error: split to find the records the table cannot take
        int mid = (from + to) >>> 1;
        return insertAll(rows, from, mid) + insertAll(rows, mid, to);
    }

    /**
     * Rows [from, to) the table stored but one of its views refused: they stay (they count as landed, so their
     * offsets are committed as for any insert) and each goes to the dead letters, saying where it is missing.
     * Which of them the view could not take is not known (the view refused their one block): all are sent.
     */
    private int refusedByView(RowBatch rows, int from, int to, ClickHouseException refused) {
        List<byte[]> records = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            records.add(rows.row(i));
        }
        reject.accept(records, refusalByView(ch.database() + "." + table, model, to - from, refused));
        return to - from;
    }

    /** The dead-letter reason of the records of an insert into {@code table} a view refused. */
    static String refusalByView(String table, String model, int records, ClickHouseException refused) {
        return "stored in " + table + ", but the view " + refused.view() + " (a later version's mapping) refused"
                + " the insert of " + (records == 1 ? "this record" : "the " + records + " records")
                + " it was part of: " + refused.getMessage() + ". It is missing from that view's table, and from"
                + " those of the views on " + table + " named after it (ClickHouse pushes to them in name order and"
                + " stops at the first failure): fix the mapping (`mapping " + model + "`) and copy it there by hand";
    }

    /** The query id of an insert of rows [from, to) of the current batch. */
    private String idOf(int from, int to) {
        return from == 0 && to == batchRows ? queryId : queryId + "-" + from + "-" + to;
    }

    /**
     * Runs one insert of rows [from, to), again while ClickHouse is away or refuses it for another reason than its
     * data or a view; null once it landed, or the data error or view refusal it was refused with.
     */
    private ClickHouseException send(RowBatch rows, int from, int to) {
        while (true) {
            try {
                JsonLines.INSTANCE.insert(ch, table, rows, from, to, idOf(from, to));
                return null;
            } catch (ClickHouseException e) {
                InsertErrors.Action action = InsertErrors.action(e.kind());
                if (action == InsertErrors.Action.SPLIT || action == InsertErrors.Action.STORED_REFUSED_BY_VIEW) {
                    return e;
                }
                if (!running.getAsBoolean()) {
                    throw new IllegalStateException("stopped while ClickHouse refused the batch: " + e.getMessage(), e);
                }
                error.accept("insert (will retry): " + e.getMessage());
                if (action == InsertErrors.Action.RETRY_UNSURE) {
                    // and that request may still be reading the batch: its chunks are not reused
                    unanswered = true;
                    // no answer and no refusal: the connection dropped while the server had the rows, and it may
                    // have stored them; its query log says whether it did (of an insert of the whole batch)
                    QueryLogCheck.Verdict v = from == 0 && to == batchRows ? queryLog.afterNoAnswer(hash, handedAt)
                            : QueryLogCheck.Verdict.UNSURE;
                    if (v == QueryLogCheck.Verdict.LANDED) {
                        return null;
                    }
                    if (v == QueryLogCheck.Verdict.UNSURE) {
                        // sending them again may store them twice (counted, and reported)
                        resent.addAndGet(to - from);
                    }
                }
                BatchInserter.sleep(500);
            }
        }
    }
}
