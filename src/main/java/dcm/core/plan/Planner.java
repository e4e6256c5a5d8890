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
import dcm.core.plan.Operation.CreateTable;
import dcm.core.plan.Operation.CreateTopic;
import dcm.core.plan.Operation.CreateView;
import dcm.core.plan.Operation.DeleteTopic;
import dcm.core.plan.Operation.DropTable;
import dcm.core.plan.Operation.DropView;
import dcm.core.plan.Operation.SetRetention;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The planner: a pure function from the models (desired state) and the live state to a {@link Plan}. Lifecycles
 * are those of the target (the models), or for objects whose model is gone, those recorded when they were created.
 */
public final class Planner {
    private final LiveState live;
    private final PlanOptions options;
    private final List<Operation> ops = new ArrayList<>();
    private final List<Operation> viewOps = new ArrayList<>();
    private final List<Operation> topicOps = new ArrayList<>();
    private final List<Operation> dropOps = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<Finding> blocked = new ArrayList<>();
    /** Physical names of other versions of the models: versions live side by side and are never dropped. */
    private List<Pattern> oldVersions = List.of();

    private Planner(LiveState live, PlanOptions options) {
        this.live = live;
        this.options = options;
    }

    /** Plans the operations that take {@code live} to {@code models}. */
    public static Plan plan(List<ModelSpec> models, LiveState live, PlanOptions options) {
        Planner p = new Planner(live, options);
        Set<String> wantedTables = new HashSet<>();
        Set<String> wantedTopics = new HashSet<>();
        for (ModelSpec m : models) {
            if (m.table() != null) {
                wantedTables.add(m.table().name());
                wantedTables.add(m.name());
                List<LiveColumn> columns = p.table(m.table(), m.name());
                if (m.table().lifeCycle() != LifeCycle.EXTERNALLY_MANAGED) {
                    p.aliasView(m.name(), m.table().name(), columns);
                }
            }
            if (m.topic() != null) {
                wantedTopics.add(m.topic().name());
                p.topic(m.topic());
            }
        }
        p.oldVersions = models.stream().map(m -> Pattern.compile("(.+\\.)?" + Pattern.quote(m.name())
                + "_\\d+(_\\d+)*")).toList();
        p.orphans(wantedTables, wantedTopics);
        List<Operation> all = new ArrayList<>(p.ops);
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
        ops.addAll(diff.ops);
        findings.addAll(diff.findings);
        blocked.addAll(diff.blocked);
        return TableDiff.columnsAfter(t.columns(), diff.ops);
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
    private static Finding foreign(String kind, String name, List<String> differences, String alsoUntouched) {
        return new Finding(Code.FOREIGN, name, kind + " " + name + " exists but was not created by dcm: nothing is"
                + " planned on it" + alsoUntouched + "; " + (differences.isEmpty() ? "it matches the model"
                : "differs: " + String.join("; ", differences)),
                "`adopt " + name + "` to let dcm manage it (then `plan` shows the changes)");
    }

    private void orphans(Set<String> wantedTables, Set<String> wantedTopics) {
        for (LiveTable t : live.tables().values()) {
            if (wantedTables.contains(t.name()) || isOtherVersion(t.name())) {
                continue;
            }
            LifeCycle recorded = live.lifecycles().get(t.name());
            if (recorded == null) {
                continue;
            }
            if (recorded != LifeCycle.FULLY_MANAGED) {
                blocked.add(new Finding(Code.PROTECTED, t.name(), "no model wants it any more, but it was created "
                        + recorded + ": not dropped", "drop it by hand if it is really unused"));
            } else {
                dropOps.add(t.isView() ? new DropView(t.name()) : new DropTable(t.name()));
            }
        }
        for (LiveTopic t : live.topics().values()) {
            if (isOtherVersion(t.name())) {
                continue;
            }
            if (!wantedTopics.contains(t.name()) && live.lifecycles().get(t.name()) == LifeCycle.FULLY_MANAGED) {
                dropOps.add(new DeleteTopic(t.name()));
            } else if (!wantedTopics.contains(t.name()) && live.lifecycles().containsKey(t.name())) {
                blocked.add(new Finding(Code.PROTECTED, t.name(), "no model wants it any more, but it was created "
                        + live.lifecycles().get(t.name()) + ": not deleted", "delete it by hand if it is unused"));
            }
        }
    }

    private boolean isOtherVersion(String name) {
        return oldVersions.stream().anyMatch(p -> p.matcher(name).matches());
    }
}
