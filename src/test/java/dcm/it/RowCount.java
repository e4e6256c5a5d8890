package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dcm.Wait;
import dcm.clickhouse.ClickHouse;
import dcm.core.Sql;
import java.time.Duration;

/** The one way ITs count rows in the real ClickHouse, and wait for rows to land. */
final class RowCount {
    private RowCount() {}

    /** The rows of {@code db.table}. */
    static long rows(ClickHouse ch, String db, String table) {
        return rows(ch, db, table, null);
    }

    /** The rows of {@code db.table} that match {@code where} (a condition, or null for all). */
    static long rows(ClickHouse ch, String db, String table, String where) {
        return of(ch, "SELECT count() FROM " + Sql.table(db, table) + (where == null ? "" : " WHERE " + where));
    }

    /** The rows and distinct values of {@code column} in {@code db.table}, as {@code "rows\tdistinct"}. */
    static String rowsAndDistinct(ClickHouse ch, String db, String table, String column) {
        return ch.scalar("SELECT count(), uniqExact(" + Sql.id(column) + ") FROM " + Sql.table(db, table)
                + " FORMAT TabSeparated");
    }

    /** The one number a query returns ({@code SELECT count() FROM system.tables WHERE ...}). */
    static long of(ClickHouse ch, String query) {
        return Long.parseLong(ch.scalar(query + " FORMAT TabSeparated"));
    }

    /**
     * Waits until {@code db.table} holds at least {@code expected} rows matching {@code where} (null: all), then
     * checks it holds exactly that many (more would be rows landed twice).
     */
    static void await(ClickHouse ch, String db, String table, String where, long expected, Duration timeout) {
        String what = db + "." + table + (where == null ? "" : " where " + where);
        Wait.until(expected + " row(s) in " + what, timeout, () -> rows(ch, db, table, where), n -> n >= expected);
        // counted again: a row landing twice may come just after the count the wait saw
        assertEquals(expected, rows(ch, db, table, where), "rows in " + what);
    }
}
