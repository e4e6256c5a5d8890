package dcm.shell;

import dcm.clickhouse.ClickHouseException;
import dcm.jshell.Diagnostic;
import dcm.jshell.SnippetRunner;
import dcm.kafka.BrokerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one dispatch every input goes through: a command from the table, or else a Java snippet for the models'
 * JShell session. It is also the one error edge: whatever a command throws becomes a {@link Result} with a message,
 * evidence and a hint; the stack trace is kept for {@code --debug}.
 */
public final class Dispatcher {
    /** Commands that do not read the models, so a changed model file need not be loaded for them. */
    private static final java.util.Set<String> WITHOUT_MODELS = java.util.Set.of("reload", "exit", "help", "infra",
            "sql");
    private final Commands commands;
    private final Session session;

    public Dispatcher(Commands commands, Session session) {
        this.commands = commands;
        this.session = session;
    }

    public Commands commands() {
        return commands;
    }

    /** True when the line starts with a command name (so it is not Java). */
    public boolean isCommand(String line) {
        return commandFor(line).isPresent();
    }

    /**
     * The command a line starts with. A leading {@code /} always means a command (as in jshell). Without it, the
     * first word must be a whole command name or alias, and what follows must not continue it as Java: {@code
     * plan = 2}, {@code ls.size()} or {@code exit++} are Java.
     */
    private Optional<Command> commandFor(String line) {
        String text = line.strip();
        boolean slash = text.startsWith("/");
        if (slash) {
            text = text.substring(1);
        }
        String first = firstWord(text);
        if (!first.matches("[a-z]+(-[a-z]+)*|\\?")) {
            return Optional.empty();
        }
        Optional<Command> command = commands.find(first);
        // a command that takes the rest of the line as text (sql) is never Java: `sql (SELECT 1) UNION ...`
        boolean raw = command.map(c -> c.syntax().raw()).orElse(false);
        if (!slash && !raw && JAVA_CONTINUATION.matcher(text.substring(first.length())).lookingAt()) {
            return Optional.empty();
        }
        return command;
    }

    /** After a name, what makes the line Java: assignment, call, member access, index, ++/--, lambda, ... */
    private static final java.util.regex.Pattern JAVA_CONTINUATION = java.util.regex.Pattern.compile(
            "\\s*(=|\\(|\\.|\\[|;|::|->|[-+*/%&|^]=|<<|>>|\\+|\\*|/|%|--(?![A-Za-z])|[<>!]=?|&&|\\|\\||instanceof\\b)");

    /** Runs one command or snippet; null for a blank line. */
    public Result execute(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("//")) {
            return null;
        }
        Optional<Command> command = commandFor(trimmed);
        // before it runs: whatever it logs or throws later masks the token it was given
        CommandLineSecrets.remember(trimmed);
        session.commandStarts();
        try {
            Result r = run(command, trimmed);
            // whatever failed while Ctrl-C was pressed failed because of it: one code for every command
            return r != null && !r.ok() && session.cancelled() ? r.withCode("CANCELLED") : r;
        } finally {
            session.commandEnds();
        }
    }

    private Result run(Optional<Command> command, String trimmed) {
        try {
            if (command.isPresent()) {
                Command c = command.get();
                String args = trimmed.startsWith("/") ? trimmed.substring(1) : trimmed;
                if (!WITHOUT_MODELS.contains(c.name())) {
                    session.reloadIfChanged();
                }
                return c.handler().run(session, Args.parse(args, c.syntax()));
            }
            return snippet(trimmed);
        } catch (CommandError e) {
            return Result.error(e.usage() ? 2 : 1, e.usage() ? "USAGE" : "FAILED", e.getMessage(), e.evidence(),
                    e.hint());
        } catch (dcm.app.AppError e) {
            session.lastError(e);
            return Result.error(1, e.code().name(), e.getMessage(), e.evidence(), e.hint());
        } catch (dcm.migrate.ApplyException e) {
            return Result.error(1, "APPLY_FAILED", e.getMessage(), e.evidence(), e.hint());
        } catch (ClickHouseException e) {
            session.lastError(e);
            return Result.error(1, "CLICKHOUSE", e.getMessage(), List.of(), e.unreachable()
                    ? "run `infra up`, or check [clickhouse_config] in moose.config.toml" : null);
        } catch (BrokerException e) {
            session.lastError(e);
            return Result.error(1, "BROKER", e.getMessage(), List.of(), "run `infra up`, or check [redpanda_config]"
                    + " broker");
        } catch (RuntimeException e) {
            session.lastError(e);
            if (session.cancelled()) {
                return Result.error(1, "cancelled (Ctrl-C): " + (e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage()), List.of(), null);
            }
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Result.error(1, "INTERNAL", msg, List.of(), "`--debug` shows the stack trace");
        }
    }

    private Result snippet(String input) {
        if (session.workspace().warming()) {
            // the REPL's models came from the cache or one compilation: Java waits for the scripts' JShell session
            session.progress("(waiting for Java: the model files are being evaluated in JShell, once per session)");
        }
        SnippetRunner.Outcome out = session.workspace().evalPrompt(input);
        List<Block> blocks = new ArrayList<>();
        out.values().forEach(v -> blocks.add(Block.line(v)));
        for (Diagnostic d : out.diagnostics()) {
            blocks.add(Block.line(Role.ERROR, d.render()));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("snippet", input);
        data.put("values", out.values());
        data.put("diagnostics", out.diagnostics());
        if (out.ok()) {
            if (!out.resources().isEmpty()) {
                blocks.add(Block.line(Role.OK, "defined " + out.resources().size() + " model resource(s) at the"
                        + " prompt; `ls` shows them"));
            }
            return Result.ok(blocks, data);
        }
        String first = firstWord(input);
        List<String> near = first.matches("[a-z]+") ? commands.near(first) : List.of();
        if (!near.isEmpty() && input.matches("[a-z]+(\\s.*)?") && !input.contains("=") && !input.contains("(")) {
            return Result.error(2, "USAGE", "unknown command '" + first + "'", List.of(), "did you mean `"
                    + String.join("` or `", near) + "`? `help` lists the commands");
        }
        data.put("code", "JAVA");
        return new Result(false, 1, blocks, data);
    }

    static String firstWord(String s) {
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return s.substring(0, i);
    }
}
