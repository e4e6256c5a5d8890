package dcm.app;

import dcm.app.Outcomes.ApplyOutcome;
import dcm.clickhouse.ClickHouse;
import dcm.core.plan.Plan;
import dcm.migrate.ApplyException;
import dcm.migrate.Journal;
import dcm.migrate.LiveReader;
import dcm.migrate.PlanJson;
import dcm.remote.AdminHandler;
import dcm.remote.LiveView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What {@code serve}'s admin endpoint does on its project: reads the live state for a plan made elsewhere, and
 * applies a saved plan sent to it, drift-checked exactly as {@code apply <file>} is.
 */
public final class AdminService implements AdminHandler.Backend {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdminService.class);
    private final Project project;
    private final Runnable afterApply;

    /** @param afterApply what follows an apply that changed something (the new versions' syncs start) */
    public AdminService(Project project, Runnable afterApply) {
        this.project = project;
        this.afterApply = afterApply;
    }

    @Override
    public LiveView live() {
        ClickHouse ch = project.clickhouse();
        return new LiveView(ch.database(), ch.dialect().version(), ch.viewsCascade(),
                new Journal(ch).interruptedOperations().size(), LiveReader.read(ch, project.broker()));
    }

    @Override
    public Map<String, Object> apply(byte[] json, boolean allowDestructive, Consumer<String> progress,
                                     BooleanSupplier stop) {
        PlanJson.SavedPlan saved;
        try {
            saved = PlanJson.parse(json, "the plan sent");
        } catch (ApplyException e) {
            throw new AdminHandler.Failure(AppError.Code.PLAN_FILE.name(), e.getMessage(), e.evidence(), e.hint());
        }
        LOG.info("remote apply of plan {} ({} operation(s)) received", saved.planId(), saved.operations().size());
        ApplyOutcome o;
        try {
            o = new Migrations(project, listener(progress, stop)).applySaved(saved, "the plan sent",
                    allowDestructive);
        } catch (AppError e) {
            LOG.warn("remote apply of plan {} refused: {} {}", saved.planId(), e.code(), e.getMessage());
            throw new AdminHandler.Failure(e.code().name(), e.getMessage(), e.evidence(), e.hint());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("planId", o.planId());
        out.put("applied", o.applied());
        out.put("millis", o.millis());
        if (o.nothing() != null) {
            out.put("nothing", o.nothing());
        } else {
            afterApply.run();
        }
        return out;
    }

    private static Listener listener(Consumer<String> progress, BooleanSupplier stop) {
        return new Listener() {
            @Override
            public void progress(String line) {
                progress.accept(line);
            }

            @Override
            public void review(Plan plan) {
                // the client reviewed the plan before it sent it
            }

            @Override
            public boolean confirm(String question, String yes) {
                return false; // nobody to ask: drops need allowDestructive
            }

            @Override
            public boolean stopRequested() {
                return stop.getAsBoolean();
            }
        };
    }
}
