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
 * columns), views and materialized views (their queries), and topics (partitions, retention). One line per
 * difference, with {@code -> expected: ... -> live: ...} evidence.
 */
public final class Drift {
    private Drift() {}

    /** Differences; empty when nothing drifted. */
    public static List<String> between(LiveState expected, LiveState live) {
        List<String> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(expected.tables().keySet());
        names.addAll(live.tables().keySet());
        for (String name : names) {
            LiveTable e = expected.tables().get(name);
            LiveTable l = live.tables().get(name);
            if (e == null) {
                out.add(kind(l) + " " + name + " appeared -> expected: absent -> live: " + l.engine());
            } else if (l == null) {
                out.add(kind(e) + " " + name + " disappeared -> expected: " + e.engine() + " -> live: absent");
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
                out.add("topic " + name + " appeared -> expected: absent -> live: " + l.partitions() + " partition(s)");
            } else if (l == null) {
                out.add("topic " + name + " disappeared -> expected: " + e.partitions() + " partition(s) -> live:"
                        + " absent");
            } else {
                if (e.partitions() != l.partitions()) {
                    out.add("topic " + name + " partitions -> expected: " + e.partitions() + " -> live: "
                            + l.partitions());
                }
                if (e.retentionMs() != l.retentionMs()) {
                    out.add("topic " + name + " retention.ms -> expected: " + e.retentionMs() + " -> live: "
                            + l.retentionMs());
                }
            }
        }
        return out;
    }

    private static String kind(LiveTable t) {
        return t.engine().equals("MaterializedView") ? "materialized view" : t.isView() ? "view" : "table";
    }

    private static void table(LiveTable e, LiveTable l, List<String> out) {
        String what = kind(l) + " " + l.name();
        if (!e.engine().equals(l.engine())) {
            out.add(what + " engine -> expected: " + e.engine() + " -> live: " + l.engine());
        }
        if (!Normalize.key(e.sortingKey()).equals(Normalize.key(l.sortingKey()))) {
            out.add(what + " ORDER BY -> expected: " + e.sortingKey() + " -> live: " + l.sortingKey());
        }
        if (!Normalize.key(e.partitionKey()).equals(Normalize.key(l.partitionKey()))) {
            out.add(what + " PARTITION BY -> expected: " + e.partitionKey() + " -> live: " + l.partitionKey());
        }
        if (!Objects.equals(Normalize.expression(e.query()), Normalize.expression(l.query()))) {
            out.add(what + " query -> expected: " + e.query() + " -> live: " + l.query());
        }
        for (LiveColumn c : e.columns()) {
            var lc = l.column(c.name());
            if (lc.isEmpty()) {
                out.add(what + " column " + c.name() + " -> expected: " + c.type() + " -> live: absent");
            } else if (!Normalize.type(c.type(), false).equals(Normalize.type(lc.get().type(), false))) {
                out.add(what + " column " + c.name() + " -> expected: " + c.type() + " -> live: " + lc.get().type());
            } else if (!Normalize.expression(c.defaultExpr()).equals(Normalize.expression(lc.get().defaultExpr()))) {
                out.add(what + " column " + c.name() + " default -> expected: " + c.defaultExpr() + " -> live: "
                        + lc.get().defaultExpr());
            }
        }
        for (LiveColumn c : l.columns()) {
            if (e.column(c.name()).isEmpty()) {
                out.add(what + " column " + c.name() + " -> expected: absent -> live: " + c.type());
            }
        }
    }
}
