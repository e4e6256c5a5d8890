package dcm.shell;

import dcm.core.plan.Finding;
import dcm.core.plan.Operation;
import dcm.core.plan.Plan;
import dcm.core.plan.SqlGen;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a plan Moose style: operations grouped by table or topic, {@code +} / {@code ~} / {@code -} coloured. */
final class PlanView {
    private PlanView() {}

    static List<Block> render(Plan plan, SqlGen sql) {
        List<Block> out = new ArrayList<>();
        if (plan.isEmpty() && plan.blocked().isEmpty() && plan.findings().isEmpty()) {
            out.add(Block.line(Role.OK, "no changes: the database and broker match the models"));
        } else if (plan.isEmpty()) {
            out.add(Block.line(Role.WARN, "no operations planned, but the database and broker do not match the"
                    + " models in full:"));
        }
        Map<String, List<Operation>> groups = new LinkedHashMap<>();
        for (Operation op : plan.operations()) {
            groups.computeIfAbsent(kind(op).heading + op.target(), k -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<String, List<Operation>> g : groups.entrySet()) {
            List<Operation> ops = g.getValue();
            char head = ops.size() == 1 ? ops.get(0).symbol() : '~';
            boolean whole = ops.size() == 1 && (head == '+' || head == '-') && kind(ops.get(0)) != Kind.COLUMN;
            if (whole) {
                out.add(Block.line(role(head), head + " " + ops.get(0).describe()));
                details(ops.get(0)).forEach(d -> out.add(Block.line(Role.DIM, "      " + d)));
            } else {
                out.add(Block.line(role('~'), "~ " + g.getKey() + ":"));
                for (Operation op : ops) {
                    out.add(Block.line(role(op.symbol()), "    " + op.symbol() + " " + op.describe()));
                    for (Operation.RebuildColumn c : columnChanges(op)) {
                        out.add(Block.line(role(c.symbol()), "        " + c.symbol() + " " + c.describe()));
                    }
                }
            }
            if (sql != null) {
                for (Operation op : ops) {
                    sql.statements(op).forEach(s -> s.lines().forEach(l -> out.add(Block.line(Role.DIM, "      " + l))));
                }
            }
        }
        for (Finding b : plan.blocked()) {
            out.add(Block.line(Role.WARN, "~ " + b.target() + (b.code() == Finding.Code.NOT_PLANNED ? " (not planned)"
                    : " (protected)") + " ⚠ " + b.message()));
        }
        for (Finding f : plan.findings()) {
            // a switch expression over the enum: a new code does not compile until it is given a role here
            Role role = switch (f.code()) {
                case DESTRUCTIVE, CONFLICT -> Role.ERROR;
                case DATA_DEPENDENT, LIKELY_RENAME, BACKWARD_INCOMPATIBLE, UNSUPPORTED, FOREIGN -> Role.WARN;
                // a protected change is listed with the blocked ones, above
                case PROTECTED, NOT_PLANNED -> null;
            };
            if (role != null) {
                out.add(Block.line(role, "⚠ " + f.code() + " " + f.target() + ": " + f.message()));
                out.add(Block.line(Role.HINT, "    fix: " + f.fix()));
            }
        }
        if (!plan.isEmpty()) {
            out.add(Block.line(Role.DIM, plan.operations().size() + " operation(s); `apply` runs them"
                    + (plan.destructive() ? " (drops need --allow-destructive)" : "")));
        }
        return out;
    }

    /** What a migration does, shown under it: each column's expression, the views it creates. */
    private static List<String> details(Operation op) {
        List<String> out = new ArrayList<>();
        dcm.core.versions.MigrationView v = op instanceof Operation.Backfill b ? b.copy()
                : op instanceof Operation.CreateMigrationView c ? c.view()
                : op instanceof Operation.ReplaceMigrationView r ? r.view() : null;
        if (v == null) {
            return out;
        }
        for (int i = 0; i < v.columns().size(); i++) {
            String e = v.expressions().get(i);
            if (!e.equals("`" + v.columns().get(i) + "`") && !e.equals(v.columns().get(i))) {
                out.add(v.columns().get(i) + " <- " + e);
            }
        }
        if (op instanceof Operation.Backfill b) {
            b.views().forEach(w -> out.add("+ view " + w.name() + ": " + w.source() + " -> " + w.target()));
        }
        return out;
    }

    /** The column changes that come with a rebuild (none for other operations). */
    private static List<Operation.RebuildColumn> columnChanges(Operation op) {
        return op instanceof Operation.RebuildTable r ? r.columnChanges() : List.of();
    }

    /** What an operation changes: its group's heading, and whether it is shown on a line of its own. */
    enum Kind {
        /** A whole table: shown on one line when it is alone in its group. */
        TABLE("Table: "),
        /** A column of a table: always shown under the table. */
        COLUMN("Table: "),
        /** The alias view. */
        VIEW("View: "),
        /** A topic. */
        TOPIC("Topic: "),
        /** A migration between versions: a view, a backfill. */
        MIGRATION("Migration: ");

        final String heading;

        Kind(String heading) {
            this.heading = heading;
        }
    }

    /**
     * The kind of an operation. Exhaustive over the sealed {@link Operation}: a new one throws here (and in
     * OperationCoverageTest) rather than being shown under a guessed heading.
     */
    static Kind kind(Operation op) {
        if (op instanceof Operation.CreateTable || op instanceof Operation.DropTable
                || op instanceof Operation.RebuildTable) {
            return Kind.TABLE;
        } else if (op instanceof Operation.AddColumn || op instanceof Operation.DropColumn
                || op instanceof Operation.ModifyColumn || op instanceof Operation.RenameColumn) {
            return Kind.COLUMN;
        } else if (op instanceof Operation.CreateView || op instanceof Operation.DropView) {
            return Kind.VIEW;
        } else if (op instanceof Operation.CreateMigrationView || op instanceof Operation.ReplaceMigrationView
                || op instanceof Operation.Backfill) {
            return Kind.MIGRATION;
        } else if (op instanceof Operation.CreateTopic || op instanceof Operation.DeleteTopic
                || op instanceof Operation.AddPartitions || op instanceof Operation.SetRetention) {
            return Kind.TOPIC;
        } else {
            throw new IllegalStateException("unhandled operation: " + op);
        }
    }

    private static Role role(char symbol) {
        return symbol == '+' ? Role.ADD : symbol == '-' ? Role.DROP : Role.CHANGE;
    }

    static Map<String, Object> json(Plan plan) {
        Map<String, Object> data = new LinkedHashMap<>();
        List<Map<String, Object>> ops = new ArrayList<>();
        for (Operation op : plan.operations()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("op", op.getClass().getSimpleName());
            o.put("symbol", String.valueOf(op.symbol()));
            o.put("target", op.target());
            o.put("description", op.describe());
            o.put("destructive", op.destructive());
            if (op instanceof Operation.RebuildTable r) {
                o.put("columnChanges", r.columnChanges().stream().map(c -> c.symbol() + " " + c.describe()).toList());
            }
            ops.add(o);
        }
        data.put("operations", ops);
        data.put("findings", plan.findings());
        data.put("blocked", plan.blocked());
        return data;
    }
}
