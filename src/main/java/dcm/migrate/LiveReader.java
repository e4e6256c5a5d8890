package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.LifeCycle;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.core.live.LiveColumn;
import dcm.core.live.LiveState;
import dcm.core.live.LiveTable;
import dcm.core.live.LiveTopic;
import dcm.kafka.Broker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the live state in a constant number of calls: three system-table queries and one for recorded objects on
 * ClickHouse, three admin calls on the broker (independent of how many tables and topics there are).
 */
public final class LiveReader {
    /** Internal tables start with this prefix and are never planned. */
    public static final String INTERNAL = "_dcm_";

    private LiveReader() {}

    /** Reads tables, views, recorded lifecycles and (when a broker is given) topics. */
    public static LiveState read(ClickHouse ch, Broker broker) {
        String db = Sql.str(ch.database());
        Rows tables = ch.query("SELECT name, engine, sorting_key, primary_key, partition_key, create_table_query"
                + " FROM system.tables WHERE database = " + db, false);
        Rows columns = ch.query("SELECT table, name, type, default_kind, default_expression FROM system.columns"
                + " WHERE database = " + db, false);
        Map<String, List<LiveColumn>> byTable = new HashMap<>();
        for (List<Object> r : columns.rows()) {
            byTable.computeIfAbsent(s(r.get(0)), k -> new ArrayList<>())
                    .add(new LiveColumn(s(r.get(1)), s(r.get(2)), s(r.get(3)), s(r.get(4))));
        }
        Map<String, LiveTable> out = new LinkedHashMap<>();
        boolean hasObjects = false;
        for (List<Object> r : tables.rows()) {
            String name = s(r.get(0));
            if (name.equals(Journal.OBJECTS)) {
                hasObjects = true;
            }
            if (name.startsWith(INTERNAL)) {
                continue;
            }
            String engine = s(r.get(1));
            boolean view = engine.equals("View") || engine.equals("MaterializedView");
            out.put(name, new LiveTable(name, engine, byTable.getOrDefault(name, List.of()), s(r.get(2)), s(r.get(3)),
                    s(r.get(4)), view ? s(r.get(5)) : ""));
        }
        Journal.Objects objects = hasObjects ? Journal.objects(ch) : new Journal.Objects(Map.of(), Map.of());
        Map<String, Long> rows = new HashMap<>();
        for (List<Object> r : ch.query("SELECT table, sum(rows) AS n FROM system.parts WHERE database = " + db
                + " AND active GROUP BY table", false).rows()) {
            rows.put(s(r.get(0)), Long.parseLong(s(r.get(1))));
        }
        Map<String, LiveTopic> topics = new LinkedHashMap<>();
        if (broker != null) {
            broker.topics().forEach(t -> topics.put(t.name(), t));
        }
        return new LiveState(out, topics, objects.lifecycles(), objects.kinds(), rows);
    }

    private static String s(Object o) {
        return o == null ? "" : o.toString();
    }
}
