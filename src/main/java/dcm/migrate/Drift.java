package dcm.migrate;

import dcm.core.live.LiveColumn;
import dcm.core.live.LiveState;
import dcm.core.live.LiveTable;
import dcm.core.live.LiveTopic;
import dcm.core.plan.Normalize;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changed between the live state a plan was made against and the live state now: tables (engine, keys,
 * columns), views and materialized views (their queries), and topics (partitions, retention). One item per
 * difference, with the expected and the live value.
 */
public final class Drift {
    /**
     * One difference.
     *
     * @param kind     {@code table}, {@code view}, {@code materialized view} or {@code topic}
     * @param name     the object's name
     * @param aspect   what differs: empty for the object itself (appeared / disappeared), else {@code engine},
     *                 {@code ORDER BY}, {@code column x}, {@code partitions}, ...
     * @param expected the value when the plan was made ({@code absent} when it did not exist)
     * @param live     the value now ({@code absent} when it is gone)
     */
    public record Item(String kind, String name, String aspect, String expected, String live) {
        /** {@code table T column c -> expected: Int32 -> live: String}. */
        public String describe() {
            String what = kind + " " + name;
            if (aspect.isEmpty()) {
                return what + (expected.equals("absent") ? " appeared" : " disappeared") + " -> expected: " + expected
                        + " -> live: " + live;
            }
            return what + " " + aspect + " -> expected: " + expected + " -> live: " + live;
        }
    }

    private Drift() {}

    /** Differences; empty when nothing drifted. */
    public static List<Item> between(LiveState expected, LiveState live) {
        List<Item> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(expected.tables().keySet());
        names.addAll(live.tables().keySet());
        for (String name : names) {
            LiveTable e = expected.tables().get(name);
            LiveTable l = live.tables().get(name);
            if (e == null) {
                out.add(new Item(kind(l), name, "", "absent", l.engine()));
            } else if (l == null) {
                out.add(new Item(kind(e), name, "", e.engine(), "absent"));
            } else {
                table(e, l, out);
            }
        }
        TreeSet<String> topics = new TreeSet<>(expected.topics().keySet());
        topics.addAll(live.topics().keySet());
        for (String name : topics) {
            LiveTopic e = expected.topics().get(name);
            LiveTopic l = live.topics().get(name);
            if (e == null) {
                out.add(new Item("topic", name, "", "absent", l.partitions() + " partition(s)"));
            } else if (l == null) {
                out.add(new Item("topic", name, "", e.partitions() + " partition(s)", "absent"));
            } else {
                if (e.partitions() != l.partitions()) {
                    out.add(new Item("topic", name, "partitions", "" + e.partitions(), "" + l.partitions()));
                }
                if (e.retentionMs() != l.retentionMs()) {
                    out.add(new Item("topic", name, "retention.ms", "" + e.retentionMs(), "" + l.retentionMs()));
                }
            }
        }
        return out;
    }

    private static String kind(LiveTable t) {
        return t.engine().equals("MaterializedView") ? "materialized view" : t.isView() ? "view" : "table";
    }

    private static void table(LiveTable e, LiveTable l, List<Item> out) {
        String kind = kind(l);
        String name = l.name();
        if (!e.engine().equals(l.engine())) {
            out.add(new Item(kind, name, "engine", e.engine(), l.engine()));
        }
        if (!Normalize.key(e.sortingKey()).equals(Normalize.key(l.sortingKey()))) {
            out.add(new Item(kind, name, "ORDER BY", e.sortingKey(), l.sortingKey()));
        }
        if (!Normalize.key(e.partitionKey()).equals(Normalize.key(l.partitionKey()))) {
            out.add(new Item(kind, name, "PARTITION BY", e.partitionKey(), l.partitionKey()));
        }
        if (!Objects.equals(Normalize.expression(e.query()), Normalize.expression(l.query()))) {
            out.add(new Item(kind, name, "query", e.query(), l.query()));
        }
        for (LiveColumn c : e.columns()) {
            var lc = l.column(c.name());
            if (lc.isEmpty()) {
                out.add(new Item(kind, name, "column " + c.name(), c.type(), "absent"));
            } else if (!Normalize.type(c.type(), false).equals(Normalize.type(lc.get().type(), false))) {
                out.add(new Item(kind, name, "column " + c.name(), c.type(), lc.get().type()));
            } else if (!Normalize.expression(c.defaultExpr()).equals(Normalize.expression(lc.get().defaultExpr()))) {
                out.add(new Item(kind, name, "column " + c.name() + " default", c.defaultExpr(),
                        lc.get().defaultExpr()));
            }
        }
        for (LiveColumn c : l.columns()) {
            if (e.column(c.name()).isEmpty()) {
                out.add(new Item(kind, name, "column " + c.name(), "absent", c.type()));
            }
        }
    }
}
