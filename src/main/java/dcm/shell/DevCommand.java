package dcm.shell;

import dcm.clickhouse.ClickHouse;
import dcm.core.plan.Operation;
import dcm.core.plan.Plan;
import dcm.core.plan.Planner;
import dcm.jshell.ModelWorkspace;
import dcm.migrate.Applier;
import dcm.migrate.ApplyException;
import dcm.migrate.LiveReader;
import dcm.migrate.PlanJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code dev}: watch models/, reload on save, apply what is safe at once and ask before anything destructive.
 * Ctrl-C leaves dev mode, not the shell.
 */
final class DevCommand {
    static final Syntax SYNTAX = Syntax.of("dev").option("--for", "SECONDS", "leave dev mode after SECONDS");
    private static final long DEBOUNCE_MS = 250;

    private DevCommand() {}

    static Command command() {
        return new Command(SYNTAX, "watch models/, reload on save, apply safe changes at once",
                "Applies the plan, then watches models/: on every save it reloads, shows each change, applies the"
                        + " non-destructive operations at once and asks before destructive ones (in batch runs they"
                        + " are left for `apply --allow-destructive`). Ctrl-C leaves dev mode; --for stops after"
                        + " SECONDS.", Completion.NONE, List.of(), DevCommand::run);
    }

    private static Result run(Session s, Args a) {
        int seconds = a.intOption("--for", 0, 1, 86_400);
        long until = seconds == 0 ? Long.MAX_VALUE : System.currentTimeMillis() + seconds * 1000L;
        AtomicBoolean stop = new AtomicBoolean();
        Runnable restore = s.onInterrupt(() -> stop.set(true));
        int rounds = 0;
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            Path models = s.config().projectDir().resolve("models");
            models.toFile().mkdirs();
            models.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            s.progress("dev: watching " + models + " (Ctrl-C leaves dev mode)");
            Set<String> declined = new TreeSet<>();
            round(s, declined);
            while (!stop.get() && System.currentTimeMillis() < until) {
                WatchKey key = watch.poll(200, TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                Thread.sleep(DEBOUNCE_MS);
                key.pollEvents();
                watch.poll();
                key.reset();
                ModelWorkspace.LoadReport report = s.reload();
                ModelCommands.render(report, true).blocks().forEach(b -> TextRenderer.plain(b).forEach(s::progress));
                round(s, declined);
                rounds++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            restore.run();
        }
        return Result.ok(List.of(Block.line(Role.OK, "left dev mode after " + rounds + " reload(s)")),
                Map.of("reloads", rounds));
    }

    /**
     * One dev round: nothing while the models do not load completely; the safe part of the plan at once; drops only
     * with a typed yes, asked once for the same set of drops (a declined set is not asked again on every save).
     */
    private static void round(Session s, Set<String> declined) {
        ModelWorkspace.LoadReport load = s.loadState();
        if (!load.complete()) {
            LoadGate.problems(load, "dev applies nothing until they do")
                    .forEach(b -> TextRenderer.plain(b).forEach(s::progress));
            return;
        }
        ClickHouse ch = s.clickhouse();
        List<dcm.jshell.Diagnostic> sql = LoadGate.sqlProblems(s, ch);
        if (!sql.isEmpty()) {
            LoadGate.sqlBlocks(sql, "dev applies nothing until they are fixed")
                    .forEach(b -> TextRenderer.plain(b).forEach(s::progress));
            return;
        }
        new Applier(ch, s.broker()).recover(s::progress);
        Plan plan = Planner.plan(s.models(), LiveReader.read(ch, s.broker()), MigrateCommands.options(s));
        Set<String> risky = new TreeSet<>();
        plan.operations().stream().filter(Operation::destructive)
                .forEach(o -> risky.add(o.symbol() + " " + o.target() + ": " + o.describe()));
        if (plan.isEmpty()) {
            declined.clear();
            if (plan.findings().isEmpty() && plan.blocked().isEmpty()) {
                s.progress("dev: up to date");
            } else {
                PlanView.render(plan, null).forEach(b -> TextRenderer.plain(b).forEach(s::progress));
            }
            return;
        }
        boolean all = false;
        if (!risky.isEmpty() && !risky.equals(declined)) {
            PlanView.render(plan, null).forEach(b -> TextRenderer.plain(b).forEach(s::progress));
            all = s.confirm("dev: " + risky.size() + " operation(s) drop data; type 'yes' to apply them too:", "yes");
            declined.clear();
            if (!all) {
                declined.addAll(risky);
            }
        }
        if (!all && !risky.isEmpty()) {
            // the safe part, planned as if the drops do not happen (so the alias view and the rest agree with that)
            plan = Planner.plan(s.models(), LiveReader.read(ch, s.broker()), MigrateCommands.options(s, false));
        } else if (risky.isEmpty()) {
            PlanView.render(plan, null).forEach(b -> TextRenderer.plain(b).forEach(s::progress));
        }
        List<Operation> run = plan.operations();
        if (run.isEmpty()) {
            s.progress("dev: up to date; " + risky.size() + " destructive operation(s) left for `apply"
                    + " --allow-destructive`");
            return;
        }
        try {
            new Applier(ch, s.broker()).apply(PlanJson.planId(run), run, s::progress, s::cancelled);
            s.progress("dev: applied " + run.size() + " operation(s)" + (all || risky.isEmpty() ? "" : "; "
                    + risky.size() + " destructive operation(s) left for `apply --allow-destructive`"));
            s.syncNewVersions();
        } catch (ApplyException e) {
            s.progress("dev: " + e.getMessage());
            e.evidence().forEach(x -> s.progress("  -> " + x));
            if (e.hint() != null) {
                s.progress("hint: " + e.hint());
            }
        }
    }
}
