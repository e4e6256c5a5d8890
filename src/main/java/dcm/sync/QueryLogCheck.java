package dcm.sync;

import dcm.clickhouse.ClickHouse;
import dcm.core.Rows;
import dcm.core.Sql;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Whether the batches a sync had in flight when it stopped mid-way landed, by ClickHouse's query log: each batch's
 * inserts ran under its query id ({@link InsertJob#queryId()}), one block each, so on 18.16 an insert either stored
 * all of the batch or none of it, and the log says which. One short query per restart (and none while the sync
 * runs): first wait until none of those inserts still runs (the server goes on with an insert whose client died),
 * then flush the logs and read them.
 *
 * <p>Measured on 18.16: an insert that stored its block is logged {@code QueryFinish} (2); one refused for its data
 * {@code ExceptionWhileProcessing} (4) and stored nothing; one a view of the table refused is logged 4 as well, its
 * exception saying {@code while pushing to view}, and the table stored its block: it landed.
 */
final class QueryLogCheck {
    /** What the query log says of a batch. */
    enum Verdict {
        /** Its block was stored: its records are not inserted again. */
        LANDED,
        /** It was never inserted, or every insert of it failed before storing anything: inserted again. */
        NOT_LANDED,
        /**
         * The log cannot tell: a part of it (split around bad rows) landed, an insert of it never ended (the server
         * died), or the server restarted since it was handed over (the log's unflushed rows are lost then).
         */
        UNSURE
    }

    /**
     * A server that started after (or this close before) a batch was handed over may have lost the batch's log rows:
     * the times are whole seconds, and the handing over is this process's clock, set on the server's by the skew
     * measured at the check.
     */
    static final long SLACK_S = 2;
    /** How long an insert of a batch may still run on the server before recovery gives up (and tries again). */
    static final long WAIT_MS = 600_000;

    private final ClickHouse ch;

    QueryLogCheck(ClickHouse ch) {
        this.ch = ch;
    }

    /**
     * The verdict on each batch (by hash; {@code at}: when it was handed over, epoch seconds), or null when the
     * server keeps no query log (then nothing can be told).
     */
    Map<String, Verdict> check(Map<String, Long> at) {
        if (at.isEmpty()) {
            return Map.of();
        }
        String which = filter(at.keySet());
        waitUntilEnded(which);
        ch.execute("SYSTEM FLUSH LOGS", false);
        if (!ch.tableExists("query_log", "system")) {
            return null;
        }
        long asked = System.currentTimeMillis();
        Rows up = ch.query("SELECT toUInt64(toUnixTimestamp(now())) AS now, toUInt64(toUnixTimestamp(now()))"
                + " - toUInt64(uptime()) AS started", false);
        long started = num(up.get(0, "started"));
        // the server's clock minus this process's (the handing over was timed here)
        long skew = num(up.get(0, "now")) - (asked + System.currentTimeMillis()) / 2000;
        Rows log = ch.query("SELECT query_id AS id, CAST(type AS Int8) AS t, position(exception, 'while pushing to view') > 0"
                + " AS view, count() AS n FROM system.query_log WHERE event_date >= toDate(" + since(at) + ") AND "
                + which + " GROUP BY id, t, view", false);
        Map<String, Verdict> out = new HashMap<>();
        at.forEach((hash, handed) -> out.put(hash, verdict(hash, handed + skew, started, log)));
        return out;
    }

    /**
     * The verdict on one batch whose insert got no answer (the connection dropped): UNSURE when the server keeps no
     * query log or does not answer.
     */
    Verdict afterNoAnswer(String hash, long at) {
        try {
            Map<String, Verdict> v = check(Map.of(hash, at));
            return v == null ? Verdict.UNSURE : v.get(hash);
        } catch (RuntimeException e) {
            // ClickHouse away (it dropped the connection): the rows are sent again, counted as possible duplicates
            return Verdict.UNSURE;
        }
    }

    /** {@code handed}: when the batch was handed over, on the server's clock; {@code started}: the server's start. */
    private static Verdict verdict(String hash, long handed, long started, Rows log) {
        String whole = InsertJob.queryId(hash);
        long starts = 0;
        long ends = 0;
        boolean partLanded = false;
        for (int i = 0; i < log.size(); i++) {
            String id = String.valueOf(log.get(i, "id"));
            if (!id.equals(whole) && !id.startsWith(whole + "-")) {
                continue;
            }
            long t = num(log.get(i, "t"));
            long n = num(log.get(i, "n"));
            boolean stored = t == 2 || (t == 4 && num(log.get(i, "view")) == 1);
            if (stored && id.equals(whole)) {
                return Verdict.LANDED;
            }
            partLanded |= stored;
            starts += t == 1 ? n : 0;
            ends += t >= 2 ? n : 0;
        }
        // an insert that started and never ended: the server died in its middle (its block may be stored)
        boolean restarted = started >= handed - SLACK_S;
        return partLanded || starts > ends || restarted ? Verdict.UNSURE : Verdict.NOT_LANDED;
    }

    /**
     * The day before the earliest batch was handed over (a day of margin for clocks): the log is ordered by date, so
     * a long log is read only from there.
     */
    private static long since(Map<String, Long> at) {
        long first = at.values().stream().mapToLong(Long::longValue).min().orElse(0);
        return Math.max(0, first / 86_400 - 1);
    }

    /** The WHERE clause picking the inserts of these batches (of all their rows, or of a part). */
    private static String filter(Collection<String> hashes) {
        List<String> ids = hashes.stream().map(InsertJob::queryId).toList();
        return "startsWith(query_id, " + Sql.str(InsertJob.QUERY_ID_PREFIX) + ") AND (query_id IN ("
                + ids.stream().map(Sql::str).collect(Collectors.joining(", ")) + ")"
                + ids.stream().map(id -> " OR startsWith(query_id, " + Sql.str(id + "-") + ")")
                .collect(Collectors.joining()) + ")";
    }

    /** A number ClickHouse answered (64-bit ones come as JSON strings). */
    private static long num(Object v) {
        return v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v));
    }

    /** Waits until no insert of these batches runs on the server any more. */
    private void waitUntilEnded(String which) {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (num(ch.query("SELECT count() AS n FROM system.processes WHERE " + which, false)
                .get(0, "n")) > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("an insert of a batch in flight at the last stop still runs on"
                        + " ClickHouse after " + WAIT_MS / 60_000 + " minutes: the sync waits for it to end");
            }
            BatchInserter.sleep(100);
        }
    }
}
