package dcm.core.plan;

import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import dcm.core.live.LiveColumn;
import dcm.core.live.LiveState;
import dcm.core.live.LiveTable;
import dcm.core.live.LiveTopic;
import dcm.core.plan.Finding.Code;
import dcm.core.plan.Operation.AddPartitions;
import dcm.core.plan.Operation.Backfill;
import dcm.core.plan.Operation.CreateMigrationView;
import dcm.core.plan.Operation.ReplaceMigrationView;
import dcm.core.versions.Desired;
import dcm.core.versions.MigrationView;
import dcm.core.plan.Operation.CreateTable;
import dcm.core.plan.Operation.CreateTopic;
import dcm.core.plan.Operation.CreateView;
import dcm.core.plan.Operation.DeleteTopic;
import dcm.core.plan.Operation.DropColumn;
import dcm.core.plan.Operation.DropTable;
import dcm.core.plan.Operation.DropView;
import dcm.core.plan.Operation.RebuildTable;
import dcm.core.plan.Operation.SetRetention;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The planner: a pure function from the models (desired state) and the live state to a {@link Plan}. Lifecycles
 * are those of the target (the models), or for objects whose model is gone, those recorded when they were created.
 */
public final class Planner {
    private final LiveState live;
    private final PlanOptions options;
    private final List<Operation> ops = new ArrayList<>();
    private final List<Operation> viewOps = new ArrayList<>();
    private final List<Operation> migrationOps = new ArrayList<>();
    private final List<Operation> topicOps = new ArrayList<>();
    private final List<Operation> dropOps = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<Finding> blocked = new ArrayList<>();
    /** Physical names of other versions of the models: versions live side by side and are never dropped. */
    private List<Pattern> oldVersions = List.of();
    /** Physical names of the versions of the models whose definition is uncertain: nothing is planned on them. */
    private List<Pattern> unsure = List.of();

    private Planner(LiveState live, PlanOptions options) {
        this.live = live;
        this.options = options;
    }

    /** Plans the operations that take {@code live} to {@code models} (a project without old versions). */
    public static Plan plan(List<ModelSpec> models, LiveState live, PlanOptions options) {
        return plan(Desired.of(models), live, options);
    }

    /**
     * Plans the operations that take {@code live} to the desired state: every version's tables and topics (a table
     * shared by versions is planned once), the alias view of each latest version, the migration views between
     * versions, and a backfill for each new version's table. Order: tables, backfills (with their views), other
     * migration views, alias views, topics, drops — so an alias moves only once its table is filled.
     */
    public static Plan plan(Desired desired, LiveState live, PlanOptions options) {
        Planner p = new Planner(live, options);
        Set<String> wantedTables = new HashSet<>();
        Set<String> wantedTopics = new HashSet<>();
        java.util.Map<String, List<LiveColumn>> planned = new java.util.HashMap<>();
        for (ModelSpec m : desired.all()) {
            if (options.unsure().contains(m.name())) {
                continue;
            }
            boolean latest = desired.latest().contains(m);
            if (m.table() != null) {
                String table = m.table().name();
                wantedTables.add(table);
                if (!planned.containsKey(table)) {
                    planned.put(table, p.table(m.table(), m.name()));
                }
                if (latest) {
                    wantedTables.add(m.name());
                    if (m.table().lifeCycle() != LifeCycle.EXTERNALLY_MANAGED) {
                        p.aliasView(m.name(), table, planned.get(table));
                    }
                }
            }
            if (m.topic() != null && wantedTopics.add(m.topic().name())) {
                p.topic(m.topic());
            }
        }
        new MigrationPlan(live, options, p.ops, p.migrationOps, p.findings, p.blocked).plan(desired, wantedTables);
        p.oldVersions = desired.all().stream().map(m -> versions(m.name())).toList();
        p.unsure = options.unsure().stream().flatMap(m -> java.util.stream.Stream.of(versions(m),
                Pattern.compile(Pattern.quote(m) + "_migrate__\\d+(_\\d+)*__\\d+(_\\d+)*"))).toList();
        for (String name : options.unsure()) {
            p.blocked.add(new Finding(Code.NOT_PLANNED, name, "model " + name + ": not planned, its definition did not"
                    + " load", "fix its model file (`reload` shows the errors), then plan again"));
        }
        p.orphans(wantedTables, wantedTopics);
        List<Operation> all = new ArrayList<>(p.ops);
        all.addAll(p.migrationOps);
        all.addAll(p.viewOps);
        all.addAll(p.topicOps);
        all.addAll(p.dropOps);
        for (Operation op : all) {
            for (String loss : op.losses()) {
                p.findings.add(new Finding(Code.DESTRUCTIVE, op.target(), "loses " + loss,
                        "apply with --allow-destructive (or answer yes), or keep it in the model"));
            }
        }
        return new Plan(all, p.findings, p.blocked);
    }

    /** The physical names of a model's versions, table or topic ({@code Users_1_0}, {@code ns.Users_2_0}). */
    private static Pattern versions(String model) {
        return Pattern.compile("(.+\\.)?" + Pattern.quote(model) + "_\\d+(_\\d+)*");
    }

    /**
     * Whether an operation may be planned: under {@link PlanOptions#complete} false nothing is dropped, under
     * {@link PlanOptions#drops} false nothing destructive runs. When not, a blocked finding says why.
     */
    private boolean allowed(Operation op) {
        if (drops(op) && !options.complete()) {
            blocked.add(new Finding(Code.NOT_PLANNED, op.target(), what(op) + ": not planned, the models did not load"
                    + " completely", "fix the model files that failed to load, then plan again"));
            return false;
        }
        if (op.destructive() && !options.drops()) {
            blocked.add(new Finding(Code.NOT_PLANNED, op.target(), "left for `apply --allow-destructive`: " + what(op),
                    "apply with --allow-destructive (or answer yes)"));
            return false;
        }
        return true;
    }

    /**
     * Whether an operation drops something: a table, column, view or topic, or columns a rebuild leaves out. Such
     * are never planned from models that did not load completely. Exhaustive over the sealed {@link Operation}: a
     * new operation throws here until it is said whether it drops, rather than passing as one that does not.
     */
    static boolean drops(Operation op) {
        if (op instanceof DropColumn || op instanceof DropTable || op instanceof DeleteTopic
                || op instanceof DropView) {
            return true;
        } else if (op instanceof RebuildTable r) {
            return r.dropsColumns();
        } else if (op instanceof CreateTable || op instanceof Operation.AddColumn
                || op instanceof Operation.ModifyColumn || op instanceof Operation.RenameColumn
                || op instanceof CreateView || op instanceof CreateTopic || op instanceof AddPartitions
                || op instanceof SetRetention || op instanceof CreateMigrationView
                || op instanceof ReplaceMigrationView || op instanceof Backfill) {
            return false;
        } else {
            throw new IllegalStateException("unhandled operation: " + op);
        }
    }

    /** An operation in a few words, for a blocked finding. */
    private static String what(Operation op) {
        if (op instanceof DropColumn d) {
            return "drop column " + d.column() + " (" + d.type() + ") of " + d.table();
        }
        if (op instanceof RebuildTable r) {
            return r.describe() + " (it leaves out " + r.columnChanges().stream()
                    .filter(c -> c.change() == Operation.RebuildColumn.Change.LEFT_OUT)
                    .map(c -> c.column() + " (" + c.type() + ")").collect(Collectors.joining(", ")) + ")";
        }
        return op.describe();
    }

    /**
     * Plans a model's table; returns its columns once the plan ran, or null when the plan does not manage it
     * (externally managed, not created by dcm, or a view in its place).
     */
    private List<LiveColumn> table(TableSpec want, String model) {
        Optional<LiveTable> have = live.table(want.name());
        if (want.lifeCycle() == LifeCycle.EXTERNALLY_MANAGED) {
            if (have.isEmpty()) {
                blocked.add(new Finding(Code.PROTECTED, want.name(), "externally managed and missing: not created",
                        "create it where it is managed, or change the model's lifeCycle"));
            }
            return null;
        }
        if (have.isEmpty()) {
            CreateTable create = new CreateTable(want);
            ops.add(create);
            return TableDiff.columnsAfter(List.of(), List.of(create));
        }
        LiveTable t = have.get();
        if (t.isView()) {
            findings.add(new Finding(Code.CONFLICT, want.name(), "a view named " + want.name() + " exists where the"
                    + " model wants a table", "drop the view (`sql DROP TABLE " + want.name() + "`) or rename the model"));
            return null;
        }
        TableDiff diff = new TableDiff(options).diff(want, t);
        if (!recorded(want.name())) {
            findings.add(foreign("table", want.name(), diff.differences(), ", nor on the alias view " + model));
            return null;
        }
        List<Operation> planned = diff.ops.stream().filter(this::allowed).toList();
        ops.addAll(planned);
        if (planned.size() == diff.ops.size() || diff.ops.stream().noneMatch(o -> o instanceof RebuildTable)) {
            findings.addAll(diff.findings); // (a rebuild's findings are about its conversions: none when it waits)
        }
        blocked.addAll(diff.blocked);
        return TableDiff.columnsAfter(t.columns(), planned);
    }

    /**
     * The alias view reads the table with {@code SELECT *}, and its columns are fixed when it is created: it is
     * re-created when it reads another table, or its columns are not the table's once the plan ran
     * ({@code tableColumns}; null when the plan does not manage the table: then nothing is planned on the view).
     */
    private void aliasView(String view, String table, List<LiveColumn> tableColumns) {
        Optional<LiveTable> have = live.table(view);
        if (have.isPresent() && !have.get().engine().equals("View")) {
            findings.add(new Finding(Code.CONFLICT, view, "a " + have.get().engine() + " table named " + view
                    + " exists, so the alias view of the latest version cannot be created",
                    "rename or drop that table (`sql RENAME TABLE " + view + " TO " + view + "_old`)"));
            return;
        }
        if (have.isPresent()) {
            String source = AliasView.source(have.get().query());
            List<LiveColumn> expected = tableColumns != null ? tableColumns
                    : live.table(table).map(LiveTable::columns).orElse(List.of());
            String differs = !source.equals(table) ? "reads " + (source.isEmpty() ? "something else" : source)
                    + ", not " + table : !columnsOf(have.get().columns()).equals(columnsOf(expected))
                    ? "its columns are not those of " + table : null;
            if (!recorded(view)) {
                findings.add(foreign("view", view, differs == null ? List.of() : List.of(differs), ""));
            } else if (differs != null && tableColumns != null && !options.complete()) {
                blocked.add(new Finding(Code.NOT_PLANNED, view, "re-create view " + view + " (" + differs + "): not"
                        + " planned, the models did not load completely", "fix the model files that failed to"
                        + " load, then plan again"));
            } else if (differs != null && tableColumns != null) {
                viewOps.add(new DropView(view));
                viewOps.add(new CreateView(view, table));
            }
        } else if (tableColumns != null) {
            viewOps.add(new CreateView(view, table));
        }
    }

    private List<String> columnsOf(List<LiveColumn> columns) {
        return columns.stream().map(c -> c.name() + " " + Normalize.type(c.type(), options.ignoreLowCardinality()))
                .toList();
    }

    private void topic(TopicSpec want) {
        Optional<LiveTopic> have = live.topic(want.name());
        if (want.lifeCycle() == LifeCycle.EXTERNALLY_MANAGED) {
            return;
        }
        if (have.isEmpty()) {
            topicOps.add(new CreateTopic(want, options.replicationFactor()));
            return;
        }
        LiveTopic t = have.get();
        List<Operation> changes = new ArrayList<>();
        Finding shrink = null;
        if (t.partitions() < want.partitions()) {
            changes.add(new AddPartitions(want.name(), t.partitions(), want.partitions()));
        } else if (t.partitions() > want.partitions()) {
            shrink = new Finding(Code.UNSUPPORTED, want.name(), "topic has " + t.partitions() + " partitions,"
                    + " the model wants " + want.partitions() + "; Kafka cannot remove partitions",
                    "set .partitions(" + t.partitions() + ") in the model");
        }
        if (t.retentionMs() != want.retentionMs() && t.retentionMs() >= 0) {
            changes.add(new SetRetention(want.name(), t.retentionMs(), want.retentionMs()));
        }
        if (!recorded(want.name())) {
            List<String> differences = new ArrayList<>(changes.stream().map(o -> o.symbol() + " " + o.describe())
                    .toList());
            if (shrink != null) {
                differences.add("partitions: " + t.partitions() + ", the model wants " + want.partitions());
            }
            findings.add(foreign("topic", want.name(), differences, ""));
            return;
        }
        topicOps.addAll(changes);
        if (shrink != null) {
            findings.add(shrink);
        }
    }

    /** Whether dcm created (or adopted) the object: only then may a plan change it. */
    private boolean recorded(String name) {
        return live.lifecycles().containsKey(name);
    }

    /** A live object a model wants that dcm did not create: nothing is planned on it, the finding says what differs. */
    static Finding foreign(String kind, String name, List<String> differences, String alsoUntouched) {
        return new Finding(Code.FOREIGN, name, kind + " " + name + " exists but was not created by dcm: nothing is"
                + " planned on it" + alsoUntouched + "; " + (differences.isEmpty() ? "it matches the model"
                : "differs: " + String.join("; ", differences)),
                "`adopt " + name + "` to let dcm manage it (then `plan` shows the changes)");
    }

    private void orphans(Set<String> wantedTables, Set<String> wantedTopics) {
        for (LiveTable t : live.tables().values()) {
            if (!wantedTables.contains(t.name())) {
                orphan(t.name(), t.isView() ? new DropView(t.name()) : new DropTable(t.name()), "dropped",
                        "drop it by hand if it is really unused");
            }
        }
        for (LiveTopic t : live.topics().values()) {
            if (!wantedTopics.contains(t.name())) {
                orphan(t.name(), new DeleteTopic(t.name()), "deleted", "delete it by hand if it is unused");
            }
        }
    }

    /**
     * A live object no model wants: dropped when dcm created it FULLY_MANAGED, it is no other version of a model,
     * it belongs to no model whose definition is uncertain, and the models loaded completely.
     */
    private void orphan(String name, Operation drop, String dropped, String byHand) {
        LifeCycle recorded = live.lifecycles().get(name);
        if (recorded == null || matches(oldVersions, name) || matches(unsure, name) || options.unsure().contains(name)) {
            return;
        }
        if (recorded != LifeCycle.FULLY_MANAGED) {
            blocked.add(new Finding(Code.PROTECTED, name, "no model wants it any more, but it was created " + recorded
                    + ": not " + dropped, byHand));
        } else if (!options.complete()) {
            blocked.add(new Finding(Code.NOT_PLANNED, name, "not planned: the models did not load completely; it may"
                    + " belong to a model that failed", "fix the model files that failed to load, then plan again"));
        } else if (allowed(drop)) {
            dropOps.add(drop);
        }
    }

    private static boolean matches(List<Pattern> patterns, String name) {
        return patterns.stream().anyMatch(p -> p.matcher(name).matches());
    }
}
