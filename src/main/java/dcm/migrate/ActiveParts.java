package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.Sql;
import java.util.ArrayList;
import java.util.List;

/** A table's active parts in the project database, as {@code system.parts} reports them, sorted. */
final class ActiveParts {
    private ActiveParts() {}

    /** The names of its active parts ({@code all_1_1_0}). */
    static List<String> names(ClickHouse ch, String table) {
        return column(ch, "name", table);
    }

    /** The ids of the partitions that hold an active part (what {@code ATTACH PARTITION ID} takes). */
    static List<String> partitionIds(ClickHouse ch, String table) {
        return column(ch, "DISTINCT partition_id", table);
    }

    private static List<String> column(ClickHouse ch, String what, String table) {
        List<String> out = new ArrayList<>();
        ch.query("SELECT " + what + " AS v FROM system.parts WHERE database = " + Sql.str(ch.database())
                + " AND table = " + Sql.str(table) + " AND active ORDER BY v", false).rows()
                .forEach(r -> out.add(String.valueOf(r.get(0))));
        return out;
    }
}
