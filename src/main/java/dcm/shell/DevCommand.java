package dcm.shell;

import dcm.app.DevRounds;
import dcm.app.Outcomes;
import dcm.jshell.ModelWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
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
            DevRounds dev = new DevRounds(s, MigrateCommands.listener(s));
            round(s, dev);
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
                round(s, dev);
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

    /** One dev round through the use case, rendered as progress lines. */
    private static void round(Session s, DevRounds rounds) {
        Outcomes.DevRound r = rounds.round();
        switch (r.state()) {
            case INCOMPLETE -> LoadGate.problems(r.load(), "dev applies nothing until they do")
                    .forEach(b -> TextRenderer.plain(b).forEach(s::progress));
            case SQL_REFUSED -> LoadGate.sqlBlocks(r.sqlProblems(), "dev applies nothing until they are fixed")
                    .forEach(b -> TextRenderer.plain(b).forEach(s::progress));
            case UP_TO_DATE -> {
                if (r.shown() != null) {
                    PlanView.render(r.shown(), null).forEach(b -> TextRenderer.plain(b).forEach(s::progress));
                } else {
                    s.progress("dev: up to date" + left(r));
                }
            }
            case APPLIED -> {
                s.progress("dev: applied " + r.applied() + " operation(s)" + left(r));
                s.syncNewVersions();
            }
            case FAILED -> {
                s.progress("dev: " + r.failure().getMessage());
                r.failure().evidence().forEach(x -> s.progress("  -> " + x));
                if (r.failure().hint() != null) {
                    s.progress("hint: " + r.failure().hint());
                }
            }
            default -> throw new IllegalStateException("unhandled dev state " + r.state());
        }
    }

    private static String left(Outcomes.DevRound r) {
        return r.leftDrops() == 0 ? "" : "; " + r.leftDrops() + " destructive operation(s) left for `apply"
                + " --allow-destructive`";
    }

}
