package dcm.sync;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.core.ColumnSpec;
import dcm.core.Sql;
import dcm.ingest.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Makes a batch ready to insert, off the insert thread: which encoder fits the table as it is now ({@link TsvRows}
 * for its live columns, read every {@value #CHECK_MS} ms and after a TSV insert failed; else {@link JsonLines}), and
 * a thread that checks ({@link RecordValidator}) and encodes batches, so the insert thread sends one batch while the
 * next one is checked and converted (doing that first and then sending left ClickHouse waiting every time).
 */
final class EncodeStage {
    static final long CHECK_MS = 30_000;

    private final ClickHouse ch;
    private final String table;
    private final Schema schema;
    private final RecordValidator validator;
    private final ExecutorService converter;
    /** Whether every column type of the model is one the rewrite takes (else the rows always go as JSON). */
    private final boolean modelTakesTsv;
    /** The rewrite for the live table (insert thread only; null: the rows go as JSON), and when it was read. */
    private TsvRows current;
    private List<ColumnSpec> currentColumns;
    private long checkedAt;

    EncodeStage(ClickHouse ch, String table, Schema schema, RecordValidator validator) {
        this.ch = ch;
        this.validator = validator;
        this.table = table;
        this.schema = schema;
        this.modelTakesTsv = TsvRows.forColumns(schema.model().columns()) != null;
        this.converter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sync-tsv-" + table);
            t.setDaemon(true);
            return t;
        });
    }

    /** The encoder for the table as it is now (a new rewrite whenever the columns were read again). */
    BatchEncoder current() {
        TsvRows rewrite = rewrite();
        return rewrite == null ? JsonLines.INSTANCE : rewrite;
    }

    private TsvRows rewrite() {
        long now = System.currentTimeMillis();
        if (checkedAt == 0 || now - checkedAt > CHECK_MS) {
            checkedAt = now;
            List<ColumnSpec> columns = liveColumns();
            // the same columns keep the same instance: a batch converted ahead stays good
            if (columns == null || !columns.equals(currentColumns)) {
                currentColumns = columns;
                current = columns == null ? null : TsvRows.forColumns(columns);
            }
        }
        return current;
    }

    /** The table may have changed: its columns are read again before the next batch. */
    void stale() {
        checkedAt = 0;
    }

    /**
     * Checks a job's rows (once) and encodes them with {@code encoder}, on the converter thread. A rewrite is used
     * by one thread only: the converter's. JSON needs no encoding (the rows are its JSON).
     */
    void start(InsertJob job, BatchEncoder encoder) {
        try {
            if (job.checked == null) {
                RowBatch polled = job.polled();
                job.checked = polled.foreignRows() == 0
                        ? CompletableFuture.completedFuture(new RecordValidator.Checked(polled, java.util.List.of()))
                        : CompletableFuture.supplyAsync(() -> validator.check(polled), converter);
            }
            job.encoder = encoder;
            job.encoded = encoder == JsonLines.INSTANCE ? null
                    : job.checked.thenApplyAsync(c -> encoder.encode(c.rows()), converter);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping: checked on the insert thread, and the batch goes as JSON
            if (job.checked == null) {
                job.checked = CompletableFuture.completedFuture(validator.check(job.polled()));
            }
            job.encoder = encoder;
            job.encoded = null;
        }
    }

    void shutdown() {
        converter.shutdown();
    }

    /**
     * The table's live columns and types, when they are the model's columns (by name): a TSV row names its
     * columns, while JSONEachRow is read against the whole table, so a table with other columns (their defaults)
     * or other types (a String where the model has a number) would store what JSON would not. Null when they
     * differ, when the model has a type that keeps rows JSON, or when ClickHouse does not answer (asked again in
     * a second, not before every batch).
     */
    private List<ColumnSpec> liveColumns() {
        if (!modelTakesTsv) {
            return null;
        }
        try {
            dcm.core.Rows live = ch.query("SELECT name, type FROM system.columns WHERE database = "
                    + Sql.str(ch.database()) + " AND table = " + Sql.str(table), false);
            List<ColumnSpec> columns = new ArrayList<>();
            for (List<Object> r : live.rows()) {
                columns.add(ColumnSpec.of(String.valueOf(r.get(0)), String.valueOf(r.get(1))));
            }
            Set<String> names = new HashSet<>();
            columns.forEach(c -> names.add(c.name()));
            Set<String> model = new HashSet<>(schema.fieldNames());
            return names.equals(model) && columns.size() == model.size() ? columns : null;
        } catch (ClickHouseException e) {
            checkedAt = System.currentTimeMillis() - CHECK_MS + 1_000;
            return null;
        } catch (IllegalArgumentException e) {
            // a live column name this tool would not write: not the model's table
            return null;
        }
    }
}
