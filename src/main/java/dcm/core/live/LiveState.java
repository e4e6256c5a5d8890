package dcm.core.live;

import dcm.core.LifeCycle;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What exists in the project database and on the broker, read in a constant number of calls.
 *
 * @param tables     tables and views of the project database by name (internal {@code _dcm_} tables excluded)
 * @param topics     topics by name
 * @param lifecycles the lifecycle recorded for each object this tool created (so a table whose model was removed
 *                   is still protected as it was)
 * @param kinds      the kind recorded for each object this tool created ({@code table}, {@code view},
 *                   {@code migration <key>} for a migration view with its definition's key)
 * @param rows       the row count of each table (active parts), where known
 */
public record LiveState(Map<String, LiveTable> tables, Map<String, LiveTopic> topics,
                        Map<String, LifeCycle> lifecycles, Map<String, String> kinds, Map<String, Long> rows) {
    public LiveState {
        tables = java.util.Collections.unmodifiableMap(new TreeMap<>(tables));
        topics = java.util.Collections.unmodifiableMap(new TreeMap<>(topics));
        lifecycles = java.util.Collections.unmodifiableMap(new TreeMap<>(lifecycles));
        kinds = java.util.Collections.unmodifiableMap(new TreeMap<>(kinds == null ? Map.of() : kinds));
        rows = java.util.Collections.unmodifiableMap(new TreeMap<>(rows == null ? Map.of() : rows));
    }

    /** Tables, topics and lifecycles; no kinds or row counts. */
    public LiveState(Map<String, LiveTable> tables, Map<String, LiveTopic> topics, Map<String, LifeCycle> lifecycles) {
        this(tables, topics, lifecycles, Map.of(), Map.of());
    }

    /** Nothing at all. */
    public static LiveState empty() {
        return new LiveState(Map.of(), Map.of(), Map.of());
    }

    public Optional<LiveTable> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    public Optional<LiveTopic> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }
}
