package dcm.app;

import dcm.app.AppError.Code;
import dcm.app.Outcomes.ApplyOutcome;
import dcm.app.Outcomes.PlanOutcome;
import dcm.core.plan.Plan;
import dcm.migrate.ApplyException;
import dcm.migrate.PlanJson;
import dcm.remote.AdminClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code plan --url} and {@code apply --url}: the models here against the live state of a {@code serve} elsewhere
 * (its admin endpoint), and a saved plan applied there, drift-checked by that server as {@code apply <file>} is here.
 */
public final class RemotePlans {
    private final Project project;
    private final Listener listener;
    private final AdminClient client;

    public RemotePlans(Project project, Listener listener, AdminClient client) {
        this.project = project;
        this.listener = listener;
        this.client = client;
    }

    /** Plans against the server's live state; saves it when {@code saveTo} is not null ("" the default file). */
    public PlanOutcome plan(String saveTo) {
        try {
            return new Migrations(project, listener).planAgainst(client.live(), saveTo);
        } catch (AdminClient.RemoteError e) {
            throw error(e);
        }
    }

    /**
     * Sends a saved plan file to the server, after the same consent a local {@code apply <file>} asks: a typed yes
     * for drops unless {@code allowDestructive}, and (at a terminal, without {@code yes}) a y.
     */
    public ApplyOutcome apply(String file, boolean yes, boolean allowDestructive, boolean interactive) {
        Path path = project.config().projectDir().resolve(file);
        byte[] json;
        try {
            json = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new AppError(Code.PLAN_FILE, "cannot read plan file " + path + ": " + e.getMessage(),
                    java.util.List.of(), "make one with `plan --url <server> --save`");
        }
        PlanJson.SavedPlan saved;
        try {
            saved = PlanJson.parse(json, "plan file " + path);
        } catch (ApplyException e) {
            throw new AppError(Code.PLAN_FILE, e.getMessage(), e.evidence(), e.hint());
        }
        Plan plan = new Plan(saved.operations(), saved.findings(), saved.blocked());
        listener.review(plan);
        boolean drops = plan.operations().stream().anyMatch(dcm.core.plan.Operation::destructive);
        new Migrations(project, listener).consent(plan, yes || !interactive, allowDestructive, interactive);
        long t0 = System.nanoTime();
        try {
            var r = client.apply(json, allowDestructive || drops, listener::progress);
            return new ApplyOutcome(r.path("planId").asText(saved.planId()), r.path("applied").asInt(),
                    (System.nanoTime() - t0) / 1_000_000, plan, r.has("nothing") ? r.get("nothing").asText() : null);
        } catch (AdminClient.RemoteError e) {
            throw error(e);
        }
    }

    private static AppError error(AdminClient.RemoteError e) {
        Code code = Arrays.stream(Code.values()).filter(c -> c.name().equals(e.code())).findFirst()
                .orElse(Code.REMOTE_FAILED);
        return new AppError(code, e.getMessage(), e.evidence(), e.hint());
    }
}
