package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.Cluster;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.core.plan.SqlGen;

/**
 * The backfill's own tables (the snapshot of the previous version, the staging table of a unit): they live on the
 * server this shell talks to only, with the columns, keys and engine of a table they copy. On a cluster their engine
 * is the copied table's without replication: a {@code Replicated*} twin would join that table's replicas (same
 * ZooKeeper path, same replica name). {@code ATTACH PARTITION ... FROM} such a table into a replicated one is itself
 * replicated: the other replicas fetch the attached parts.
 */
final class LocalTables {
    private LocalTables() {}

    /** Creates {@code name} shaped like {@code like}, with {@code settings} added (or none when empty). */
    static void createLike(ClickHouse ch, SqlGen sql, String like, String name, String settings) {
        Rows r = ch.query("SELECT create_table_query FROM system.tables WHERE database = " + Sql.str(ch.database())
                + " AND name = " + Sql.str(like), false);
        if (r.size() == 0) {
            throw new ApplyException("table " + like + " does not exist on " + ch.endpoint(), java.util.List.of(),
                    "run `plan` again");
        }
        String create = String.valueOf(r.get(0, "create_table_query"));
        String tail = Cluster.unreplicatedCreate(create.substring(create.indexOf(" (")));
        String extra = settings.isEmpty() ? "" : (tail.contains(" SETTINGS ") ? ", " : " SETTINGS ") + settings;
        ch.execute("CREATE TABLE " + sql.t(name) + tail + extra);
    }
}
