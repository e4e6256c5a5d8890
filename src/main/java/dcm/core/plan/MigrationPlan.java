package dcm.core.plan;

import dcm.core.live.LiveState;
import dcm.core.live.LiveTable;
import dcm.core.plan.Finding.Code;
import dcm.core.plan.Operation.Backfill;
import dcm.core.plan.Operation.CreateMigrationView;
import dcm.core.plan.Operation.CreateTable;
import dcm.core.plan.Operation.ReplaceMigrationView;
import dcm.core.versions.Desired;
import dcm.core.versions.MigrationView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The planner's part for versions: the migration views between versions' tables and the backfills of new ones. */
final class MigrationPlan {
    private final LiveState live;
    private final PlanOptions options;
    private final List<Operation> ops;
    private final List<Operation> migrationOps;
    private final List<Finding> findings;
    private final List<Finding> blocked;

    /**
     * @param ops          the table operations planned so far (read: which tables the plan creates)
     * @param migrationOps where the views and backfills go
     */
    MigrationPlan(LiveState live, PlanOptions options, List<Operation> ops, List<Operation> migrationOps,
                  List<Finding> findings, List<Finding> blocked) {
        this.live = live;
        this.options = options;
        this.ops = ops;
        this.migrationOps = migrationOps;
        this.findings = findings;
        this.blocked = blocked;
    }

    private boolean recorded(String name) {
        return live.lifecycles().containsKey(name);
    }

    /**
     * The migration views and backfills: a new version's table is filled by a backfill that also creates the views
     * into it; a view missing into a table that exists is created alone (rows inserted before it are not carried: a
     * finding says so); a view whose mapping changed is replaced.
     */
    void plan(Desired desired, Set<String> wantedTables) {
        // a version is filled from the one before, in version order (the steps' order): a table this plan creates,
        // and one that exists empty with none of its views (its backfill was given up)
        Set<String> created = ops.stream().filter(o -> o instanceof CreateTable).map(Operation::target)
                .collect(Collectors.toSet());
        Set<String> creating = new java.util.LinkedHashSet<>();
        for (MigrationView step : desired.steps()) {
            String t = step.target();
            boolean noViews = desired.views().stream().noneMatch(v -> v.target().equals(t)
                    && live.table(v.name()).isPresent());
            boolean emptyAlone = live.table(t).isPresent() && recorded(t) && noViews
                    && live.rows().getOrDefault(t, 0L) == 0;
            if ((created.contains(t) || emptyAlone) && !options.unsure().contains(step.model())) {
                creating.add(t);
            }
        }
        java.util.Map<String, List<MigrationView>> intoNew = new java.util.LinkedHashMap<>();
        for (MigrationView v : desired.views()) {
            if (options.unsure().contains(v.model())) {
                continue;
            }
            wantedTables.add(v.name());
            Optional<LiveTable> have = live.table(v.name());
            if (have.isEmpty() && creating.contains(v.target())) {
                intoNew.computeIfAbsent(v.target(), k -> new ArrayList<>()).add(v);
            } else if (have.isEmpty() && live.table(v.target()).isPresent()) {
                migrationOps.add(new CreateMigrationView(v));
                findings.add(new Finding(Code.DATA_DEPENDENT, v.name(), "rows inserted into " + v.source()
                        + " before this view exists are not carried into " + v.target(), "compare the two tables'"
                        + " rows and copy what is missing by hand (`sql INSERT INTO ... SELECT ...`)"));
            } else if (have.isEmpty()) {
                blocked.add(new Finding(Code.CONFLICT, v.name(), "migration view " + v.source() + " -> " + v.target()
                        + ": not planned, " + v.target() + " does not exist and is not created",
                        "create the table (its lifecycle may forbid it), then plan again"));
            } else if (!recorded(v.name())) {
                findings.add(Planner.foreign("view", v.name(), List.of(), ""));
            } else if (!("migration " + v.key()).equals(live.kinds().get(v.name()))) {
                migrationOps.add(new ReplaceMigrationView(v));
            }
        }
        for (String table : creating) {
            desired.stepInto(table).ifPresent(step -> {
                List<MigrationView> views = intoNew.getOrDefault(table, List.of());
                List<String> paused = new ArrayList<>(views.stream().map(MigrationView::source).distinct().toList());
                if (!paused.contains(step.source())) {
                    paused.add(step.source());
                }
                migrationOps.add(new Backfill(step, views, paused, live.rows().getOrDefault(step.source(), 0L)));
            });
        }
    }
}
