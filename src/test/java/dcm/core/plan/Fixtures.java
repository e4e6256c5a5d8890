package dcm.core.plan;

import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import dcm.core.live.LiveColumn;
import dcm.core.live.LiveState;
import dcm.core.live.LiveTable;
import dcm.core.live.LiveTopic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tiny factories for planner tests. */
final class Fixtures {
    private Fixtures() {}

    static ColumnSpec col(String name, String type) {
        return ColumnSpec.of(name, type);
    }

    static ColumnSpec renamed(String name, String type, String from) {
        return new ColumnSpec(name, type, false, null, from);
    }

    static ModelSpec model(String name, LifeCycle lc, List<String> orderBy, ColumnSpec... cols) {
        TableSpec t = new TableSpec(name + "_1_0", List.of(cols), "MergeTree", orderBy, null, lc);
        return new ModelSpec(name, "1.0", List.of(cols), t, null, false, "test");
    }

    static ModelSpec model(String name, ColumnSpec... cols) {
        return model(name, LifeCycle.FULLY_MANAGED, List.of(cols[0].name()), cols);
    }

    static ModelSpec stream(String name, int partitions, long retention) {
        return new ModelSpec(name, "1.0", List.of(col("id", "String")), null,
                new TopicSpec(name + "_1_0", partitions, retention, LifeCycle.FULLY_MANAGED), false, "test");
    }

    static LiveColumn lcol(String name, String type) {
        return new LiveColumn(name, type, "", "");
    }

    static LiveTable table(String name, String sortingKey, LiveColumn... cols) {
        return new LiveTable(name, "MergeTree", List.of(cols), sortingKey, sortingKey, "", "");
    }

    /** A view as ClickHouse 18.16 reports it: its column list, then the query. */
    static LiveTable view(String name, String source, LiveColumn... cols) {
        String columns = java.util.Arrays.stream(cols).map(c -> c.name() + " " + c.type())
                .collect(java.util.stream.Collectors.joining(",  "));
        return viewAs(name, "CREATE VIEW local." + name + " ( " + columns + ") AS SELECT * FROM local." + source
                + " ", cols);
    }

    /** A view with the CREATE statement a server reported. */
    static LiveTable viewAs(String name, String query, LiveColumn... cols) {
        return new LiveTable(name, "View", List.of(cols), "", "", "", query);
    }

    /** Builder of live states. */
    static final class Live {
        private final Map<String, LiveTable> tables = new LinkedHashMap<>();
        private final Map<String, LiveTopic> topics = new LinkedHashMap<>();
        private final Map<String, LifeCycle> lifecycles = new LinkedHashMap<>();

        /** A table or view that exists; dcm did not create it (unless {@link #recorded} says so). */
        Live with(LiveTable t) {
            tables.put(t.name(), t);
            return this;
        }

        /** A table or view dcm created: live, and recorded as FULLY_MANAGED. */
        Live made(LiveTable t) {
            return with(t).recorded(t.name(), LifeCycle.FULLY_MANAGED);
        }

        /** A topic dcm created. */
        Live madeTopic(String name, int partitions, long retention) {
            return topic(name, partitions, retention).recorded(name, LifeCycle.FULLY_MANAGED);
        }

        Live topic(String name, int partitions, long retention) {
            topics.put(name, new LiveTopic(name, partitions, 1, retention));
            return this;
        }

        Live recorded(String name, LifeCycle lc) {
            lifecycles.put(name, lc);
            return this;
        }

        LiveState build() {
            return new LiveState(tables, topics, lifecycles);
        }
    }

    static Live live() {
        return new Live();
    }

    static Plan plan(LiveState live, ModelSpec... models) {
        return plan(PlanOptions.DEFAULT, live, models);
    }

    static Plan plan(PlanOptions options, LiveState live, ModelSpec... models) {
        return Planner.plan(new ArrayList<>(List.of(models)), live, options);
    }

    static List<String> lines(Plan p) {
        return p.operations().stream().map(o -> o.symbol() + " " + o.target() + ": " + o.describe()).toList();
    }
}
