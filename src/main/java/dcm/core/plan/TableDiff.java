package dcm.core.plan;

import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.TableSpec;
import dcm.core.live.LiveColumn;
import dcm.core.live.LiveTable;
import dcm.core.plan.Finding.Code;
import dcm.core.plan.Operation.AddColumn;
import dcm.core.plan.Operation.DropColumn;
import dcm.core.plan.Operation.ModifyColumn;
import dcm.core.plan.Operation.RebuildColumn;
import dcm.core.plan.Operation.RebuildColumn.Change;
import dcm.core.plan.Operation.RebuildTable;
import dcm.core.plan.Operation.RenameColumn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The diff of one table a model wants against the live table of that name: column operations (add in position,
 * drop, retype, rename), or a rebuild when ORDER BY, PARTITION BY, the engine or a key column's type changes.
 */
final class TableDiff {
    private final PlanOptions options;
    /** The operations, in order. */
    final List<Operation> ops = new ArrayList<>();
    /** Findings about them. */
    final List<Finding> findings = new ArrayList<>();
    /** Changes the table's lifecycle blocks. */
    final List<Finding> blocked = new ArrayList<>();

    TableDiff(PlanOptions options) {
        this.options = options;
    }

    /** Diffs {@code want} against the live table {@code t} (a table, not a view). */
    TableDiff diff(TableSpec want, LiveTable t) {
        String rebuild = rebuildReason(want, t);
        replication(want, t);
        if (rebuild != null && options.cluster() != null) {
            // a rebuild copies the parts of one replica while the others take inserts: rows could be missed
            blocked.add(new Finding(Code.UNSUPPORTED, want.name(), "rebuild of " + want.name() + " (" + rebuild
                    + "): not done on a cluster (" + options.cluster() + "): its copy reads one replica's parts while"
                    + " the other replicas take inserts", "keep the table's ORDER BY, PARTITION BY, engine and key"
                    + " types, or make the new shape a new table (a new model version) and let the backfill copy"
                    + " the rows"));
        } else if (rebuild != null) {
            planRebuild(want, t, rebuild);
        } else {
            columns(want, t);
        }
        return this;
    }

    private String rebuildReason(TableSpec want, LiveTable t) {
        List<String> reasons = new ArrayList<>();
        if (!Normalize.key(want.orderBy()).equals(Normalize.key(t.sortingKey()))) {
            reasons.add("ORDER BY " + show(t.sortingKey()) + " -> " + show(String.join(", ", want.orderBy())));
        }
        String wantPartition = want.partitionBy() == null ? "" : want.partitionBy();
        if (!Normalize.key(wantPartition).equals(Normalize.key(t.partitionKey()))) {
            reasons.add("PARTITION BY " + show(t.partitionKey()) + " -> " + show(wantPartition));
        }
        // on a cluster the model's MergeTree is the live ReplicatedMergeTree: the cluster setting maps one to the other
        if (!Normalize.engineName(want.engine()).equals(dcm.core.Cluster.modelEngine(
                Normalize.engineName(t.engine())))) {
            reasons.add("engine " + t.engine() + " -> " + Normalize.engineName(want.engine()));
        }
        for (String key : want.orderBy()) {
            Optional<LiveColumn> c = t.column(key);
            Optional<ColumnSpec> w = want.columns().stream().filter(x -> x.name().equals(key)).findFirst();
            if (c.isPresent() && w.isPresent() && !sameType(c.get().type(), w.get().type())) {
                reasons.add("key column " + key + ": " + c.get().type() + " -> " + w.get().type());
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /**
     * A table whose replication does not match the setting (a plain MergeTree while a cluster is configured, or a
     * replicated one without): a conflict no operation resolves; the columns are still planned.
     */
    private void replication(TableSpec want, LiveTable t) {
        boolean replicated = dcm.core.Cluster.isReplicated(Normalize.engineName(t.engine()));
        if (options.cluster() != null && !replicated) {
            findings.add(new Finding(Code.CONFLICT, want.name(), want.name() + " is " + t.engine() + " (on this"
                    + " server only) but [clickhouse_config] clusters makes the tables Replicated on cluster "
                    + options.cluster(), "move its rows into a replicated table by hand, or remove the clusters"
                    + " setting"));
        } else if (options.cluster() == null && replicated) {
            findings.add(new Finding(Code.CONFLICT, want.name(), want.name() + " is " + t.engine() + " but no"
                    + " cluster is configured: its DDL would reach this replica only", "add its cluster:"
                    + " [[clickhouse_config.clusters]] name = \"<the cluster in remote_servers>\""));
        }
    }

    private static String show(String s) {
        return s == null || s.isBlank() ? "(none)" : s;
    }

    private void planRebuild(TableSpec want, LiveTable t, String reason) {
        boolean protectedTable = want.lifeCycle() == LifeCycle.DELETION_PROTECTED;
        Set<String> used = new HashSet<>();
        List<String> targets = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<RebuildColumn> changes = new ArrayList<>();
        for (ColumnSpec c : want.columns()) {
            String from = t.column(c.name()).isPresent() ? c.name()
                    : c.renamedFrom() != null && t.column(c.renamedFrom()).isPresent() ? c.renamedFrom() : null;
            if (from == null) {
                changes.add(new RebuildColumn(Change.ADDED, c.name(), c.type(), null, c.defaultExpr()));
                continue;
            }
            used.add(from);
            targets.add(c.name());
            LiveColumn live = t.column(from).get();
            sources.add(sameType(live.type(), c.type()) ? quote(from) : "CAST(" + quote(from) + " AS " + c.type() + ")");
            if (!from.equals(c.name())) {
                changes.add(new RebuildColumn(Change.RENAMED, c.name(), live.type(), from, c.defaultExpr()));
            }
            if (!sameType(live.type(), c.type())) {
                changes.add(new RebuildColumn(Change.CONVERTED, c.name(), c.type(), live.type(), c.defaultExpr()));
                findings.add(new Finding(Code.DATA_DEPENDENT, want.name(), "the rebuild converts " + from + ": "
                        + live.type() + " -> " + c.type(), "apply checks the values convert first"));
            }
            String liveDefault = liveDefault(live);
            if (!Normalize.expression(liveDefault, live.type()).equals(Normalize.expression(c.defaultExpr()))) {
                changes.add(new RebuildColumn(Change.DEFAULT, c.name(), c.type(), liveDefault, c.defaultExpr()));
            }
        }
        List<ColumnSpec> cols = new ArrayList<>(want.columns());
        for (LiveColumn c : t.columns()) {
            if (used.contains(c.name())) {
                continue;
            }
            if (protectedTable) {
                blocked.add(new Finding(Code.PROTECTED, want.name(), "drop column " + c.name() + " (in rebuild): the"
                        + " table is DELETION_PROTECTED; the column is kept", "keep the field in the model"));
                cols.add(new ColumnSpec(c.name(), c.type(), false, liveDefault(c), null));
                targets.add(c.name());
                sources.add(quote(c.name()));
                changes.add(new RebuildColumn(Change.KEPT, c.name(), c.type(), null, liveDefault(c)));
            } else {
                changes.add(new RebuildColumn(Change.LEFT_OUT, c.name(), c.type(), null, null));
            }
        }
        TableSpec target = new TableSpec(want.name(), cols, want.engine(), want.orderBy(), want.partitionBy(),
                want.lifeCycle());
        boolean dropsColumns = !protectedTable && t.columns().stream().anyMatch(c -> !used.contains(c.name()));
        ops.add(new RebuildTable(target, reason, targets, sources, protectedTable, dropsColumns, changes));
    }

    /** What differs, one entry per change: the operations (with a rebuild's column changes) and what is blocked. */
    List<String> differences() {
        List<String> out = new ArrayList<>();
        for (Operation op : ops) {
            out.add(op.symbol() + " " + op.describe());
            if (op instanceof RebuildTable r) {
                r.columnChanges().forEach(c -> out.add(c.symbol() + " " + c.describe()));
            }
        }
        if (ops.stream().noneMatch(o -> o instanceof RebuildTable)) {
            blocked.forEach(b -> out.add(b.message()));
        }
        return out;
    }

    /**
     * The table's columns once {@code ops} (those planned on it) ran: a created or rebuilt table has the spec's
     * columns; otherwise the live ones with the renames, adds (in position), type changes and drops applied.
     */
    static List<LiveColumn> columnsAfter(List<LiveColumn> live, List<Operation> ops) {
        List<LiveColumn> cols = new ArrayList<>(live);
        for (Operation op : ops) {
            if (op instanceof Operation.CreateTable c) {
                cols = specColumns(c.table());
            } else if (op instanceof RebuildTable r) {
                cols = specColumns(r.table());
            } else if (op instanceof RenameColumn r) {
                cols.replaceAll(c -> c.name().equals(r.from()) ? new LiveColumn(r.to(), c.type(), "", "") : c);
            } else if (op instanceof AddColumn a) {
                int at = 0;
                for (int i = 0; i < cols.size() && a.after() != null; i++) {
                    at = cols.get(i).name().equals(a.after()) ? i + 1 : at;
                }
                cols.add(at, new LiveColumn(a.column().name(), a.column().type(), "", ""));
            } else if (op instanceof ModifyColumn m) {
                cols.replaceAll(c -> c.name().equals(m.column()) ? new LiveColumn(c.name(), m.newType(), "", "") : c);
            } else if (op instanceof DropColumn d) {
                cols.removeIf(c -> c.name().equals(d.column()));
            } else if (op instanceof Operation.DropTable || op instanceof Operation.CreateView
                    || op instanceof Operation.DropView || op instanceof Operation.CreateTopic
                    || op instanceof Operation.DeleteTopic || op instanceof Operation.AddPartitions
                    || op instanceof Operation.SetRetention || op instanceof Operation.CreateMigrationView
                    || op instanceof Operation.ReplaceMigrationView || op instanceof Operation.Backfill) {
                // none changes a live table's columns (nor is one planned among a table's own operations)
                continue;
            } else {
                // a new operation that changes columns must say how, or the view would be judged on stale columns
                throw new IllegalStateException("unhandled operation: " + op);
            }
        }
        return cols;
    }

    private static List<LiveColumn> specColumns(TableSpec t) {
        return t.columns().stream().map(c -> new LiveColumn(c.name(), c.type(), "", "")).toList();
    }

    /** A live column's DEFAULT expression, or null (MATERIALIZED and ALIAS are not defaults). */
    private static String liveDefault(LiveColumn c) {
        return c.defaultKind().equals("DEFAULT") ? emptyToNull(c.defaultExpr()) : null;
    }

    private static String quote(String column) {
        return "`" + column + "`";
    }

    private void columns(TableSpec want, LiveTable t) {
        Map<String, String> renamed = new LinkedHashMap<>();
        for (ColumnSpec c : want.columns()) {
            if (c.renamedFrom() != null && t.column(c.renamedFrom()).isPresent() && t.column(c.name()).isEmpty()) {
                ops.add(new RenameColumn(want.name(), c.renamedFrom(), c.name(),
                        t.column(c.renamedFrom()).get().type()));
                renamed.put(c.renamedFrom(), c.name());
            }
        }
        List<AddColumn> added = new ArrayList<>();
        String previous = null;
        for (ColumnSpec c : want.columns()) {
            String liveName = renamed.entrySet().stream().filter(e -> e.getValue().equals(c.name()))
                    .map(Map.Entry::getKey).findFirst().orElse(c.name());
            Optional<LiveColumn> lc = t.column(liveName);
            if (lc.isEmpty()) {
                AddColumn add = new AddColumn(want.name(), c, previous);
                ops.add(add);
                added.add(add);
            } else {
                modify(want.name(), c, lc.get());
            }
            previous = c.name();
        }
        List<DropColumn> dropped = new ArrayList<>();
        for (LiveColumn lc : t.columns()) {
            boolean wanted = want.columns().stream().anyMatch(c -> c.name().equals(lc.name()));
            if (!wanted && !renamed.containsKey(lc.name())) {
                if (want.lifeCycle() == LifeCycle.DELETION_PROTECTED) {
                    blocked.add(new Finding(Code.PROTECTED, want.name(), "drop column " + lc.name() + ": the table is"
                            + " DELETION_PROTECTED", "keep the field, or change the lifeCycle to FULLY_MANAGED"));
                } else {
                    DropColumn d = new DropColumn(want.name(), lc.name(), lc.type());
                    ops.add(d);
                    dropped.add(d);
                }
            }
        }
        likelyRenames(want.name(), added, dropped);
    }

    private void modify(String table, ColumnSpec want, LiveColumn have) {
        boolean typeSame = sameType(have.type(), want.type());
        String liveDefault = liveDefault(have);
        boolean defaultSame = Normalize.expression(liveDefault, have.type()).equals(Normalize.expression(
                want.defaultExpr()));
        if (typeSame && defaultSame) {
            return;
        }
        ModifyColumn m = new ModifyColumn(table, want.name(), have.type(), typeSame ? have.type() : want.type(),
                liveDefault, want.defaultExpr());
        ops.add(m);
        if (!typeSame) {
            findings.add(new Finding(Code.DATA_DEPENDENT, table, "type change " + want.name() + ": " + have.type()
                    + " -> " + want.type() + " converts every row", "apply checks the values convert first and refuses"
                    + " with the rows that would fail"));
            findings.add(new Finding(Code.BACKWARD_INCOMPATIBLE, table, "readers and writers of " + want.name()
                    + " see " + want.type() + " instead of " + have.type(), "update producers and consumers"));
        }
    }

    private void likelyRenames(String table, List<AddColumn> added, List<DropColumn> dropped) {
        for (DropColumn d : dropped) {
            List<AddColumn> sameType = added.stream()
                    .filter(a -> sameType(a.column().type(), d.type())).toList();
            if (sameType.size() == 1) {
                AddColumn a = sameType.get(0);
                findings.add(new Finding(Code.LIKELY_RENAME, table, "drop " + d.column() + " + add "
                        + a.column().name() + " (both " + d.type() + ") looks like a rename; as planned, the data of "
                        + d.column() + " is lost", "declare it in the model: @RenamedFrom(\"" + d.column() + "\") "
                        + "on the field " + a.column().name()));
            }
        }
    }

    boolean sameType(String a, String b) {
        return Normalize.type(a, options.ignoreLowCardinality()).equals(Normalize.type(b, options.ignoreLowCardinality()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
