package dcm.sync;

import dcm.clickhouse.ClickHouse;
import dcm.core.Rows;
import dcm.core.Sql;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The backstop, in ClickHouse, of how far each sync has landed its topic: per partition, the offsets the sync had
 * committed at the broker, written now and then (see {@link OffsetMarks}). A group's offsets at the broker expire
 * after days without a commit; the table the rows landed in does not, and neither does this log, so a sync idle
 * that long starts where it stopped, not at the topic's start. Rows of kind "intent" were written by earlier
 * versions (before each batch); they are still read, as a bound on possible duplicates.
 */
final class LandedLog {
    static final String TABLE = "_dcm_sync_log";
    private final ClickHouse ch;
    /** The sync's key: its consumer group and the topic's id (written by the consumer thread at recovery). */
    private volatile String group;

    LandedLog(ClickHouse ch, String group) {
        this.ch = ch;
        this.group = group;
    }

    /** Notes and reads under another key from now on (the topic was created again under the same name). */
    void rekey(String key) {
        this.group = key;
    }

    private String t() {
        return Sql.table(ch.database(), TABLE);
    }

    /**
     * Creates the log when missing. Only the furthest offset per sync, kind and partition is ever read, so merges
     * keep only that row (ReplacingMergeTree by offset): the log stays a few rows per partition however long a sync
     * runs, where a row per note would grow by millions a day on a busy topic. (A log created by an earlier
     * version, a plain MergeTree, is read the same way.)
     */
    void ensure() {
        ch.execute("CREATE TABLE IF NOT EXISTS " + t() + " (grp String, kind String, partition UInt32,"
                + " end_offset UInt64, rows UInt64, at DateTime DEFAULT now())"
                + " ENGINE = ReplacingMergeTree(end_offset) ORDER BY (grp, kind, partition)");
    }

    /** Notes, in one insert, how far the sync has landed: one row per partition. */
    void note(Map<TopicPartition, OffsetAndMetadata> landed) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + t() + " (grp, kind, partition, end_offset, rows) VALUES ");
        if (values(sql, "landed", landed, 0, 0) > 0) {
            ch.execute(sql.toString());
        }
    }

    private int values(StringBuilder sql, String kind, Map<TopicPartition, OffsetAndMetadata> ends, int rows, int n) {
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : ends.entrySet()) {
            sql.append(n++ == 0 ? "" : ", ").append('(').append(Sql.str(group)).append(", ").append(Sql.str(kind))
                    .append(", ").append(e.getKey().partition()).append(", ").append(e.getValue().offset()).append(", ")
                    .append(rows).append(')');
        }
        return n;
    }

    /** Per partition, the end offset of the last batch that landed. */
    Map<Integer, Long> landed() {
        return max("landed");
    }

    /** Per partition, the end offset of the last batch that was about to be inserted (earlier versions' notes). */
    Map<Integer, Long> intended() {
        return max("intent");
    }

    private Map<Integer, Long> max(String kind) {
        Rows r = ch.query("SELECT partition, max(end_offset) AS e FROM " + t() + " WHERE grp = " + Sql.str(group)
                + " AND kind = " + Sql.str(kind) + " GROUP BY partition", false);
        Map<Integer, Long> out = new HashMap<>();
        for (List<Object> row : r.rows()) {
            out.put(Integer.parseInt(String.valueOf(row.get(0))), Long.parseLong(String.valueOf(row.get(1))));
        }
        return out;
    }
}
