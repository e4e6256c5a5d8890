package dcm.app;

import dcm.app.Outcomes.DevRound;
import dcm.app.Outcomes.DevState;
import dcm.core.live.LiveState;
import dcm.core.plan.Operation;
import dcm.core.plan.Plan;
import dcm.core.plan.Planner;
import dcm.jshell.Diagnostic;
import dcm.jshell.ModelWorkspace.LoadReport;
import dcm.migrate.Applier;
import dcm.migrate.LiveReader;
import dcm.migrate.PlanJson;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rounds of {@code dev}: after every save, nothing while the models do not load completely or ClickHouse refuses
 * their SQL; otherwise the safe part of the plan at once, and drops only with a typed yes, asked once for the same
 * set of drops (a declined set is not asked again on every save).
 */
public final class DevRounds {
    private final Project project;
    private final Listener listener;
    private final Migrations migrations;
    private final Set<String> declined = new TreeSet<>();

    public DevRounds(Project project, Listener listener) {
        this.project = project;
        this.listener = listener;
        this.migrations = new Migrations(project, listener);
    }

    /** One round against the models as they are now. */
    public DevRound round() {
        LoadReport load = project.workspace().state();
        if (!load.complete()) {
            return new DevRound(DevState.INCOMPLETE, load, List.of(), null, 0, 0, null);
        }
        List<Diagnostic> refused = migrations.sqlProblems();
        if (!refused.isEmpty()) {
            return new DevRound(DevState.SQL_REFUSED, load, refused, null, 0, 0, null);
        }
        new Applier(project.clickhouse(), project.broker()).recover(listener::progress);
        LiveState live = LiveReader.read(project.clickhouse(), project.broker());
        Plan plan = plan(live, true);
        Set<String> risky = new TreeSet<>();
        plan.operations().stream().filter(Operation::destructive)
                .forEach(o -> risky.add(o.symbol() + " " + o.target() + ": " + o.describe()));
        if (plan.isEmpty()) {
            declined.clear();
            boolean findings = !plan.findings().isEmpty() || !plan.blocked().isEmpty();
            return new DevRound(DevState.UP_TO_DATE, load, List.of(), findings ? plan : null, 0, 0, null);
        }
        Plan shown = null;
        boolean all = false;
        if (risky.isEmpty()) {
            shown = plan;
        } else if (!risky.equals(declined)) {
            shown = plan;
            listener.review(plan);
            all = listener.confirm("dev: " + risky.size() + " operation(s) drop data; type 'yes' to apply them"
                    + " too:", "yes");
            declined.clear();
            if (!all) {
                declined.addAll(risky);
            }
        }
        if (!all && !risky.isEmpty()) {
            // the safe part, planned as if the drops do not happen (so the alias view and the rest agree with that)
            plan = plan(live, false);
        } else if (risky.isEmpty()) {
            listener.review(plan);
        }
        int left = all ? 0 : risky.size();
        List<Operation> run = plan.operations();
        if (run.isEmpty()) {
            return new DevRound(DevState.UP_TO_DATE, load, List.of(), null, 0, left, null);
        }
        try {
            migrations.run(PlanJson.planId(run), run);
        } catch (AppError e) {
            return new DevRound(DevState.FAILED, load, List.of(), shown, 0, left, e);
        }
        return new DevRound(DevState.APPLIED, load, List.of(), shown, run.size(), left, null);
    }

    /** The plan against one reading of the live state (the safe part is planned against the same one). */
    private Plan plan(LiveState live, boolean drops) {
        return Planner.plan(new ProjectVersions(project).desired(), live, migrations.options(drops));
    }
}
