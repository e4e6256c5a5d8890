package dcm.shell;

import dcm.config.ConfigException;
import dcm.config.ConfigLoader;
import dcm.config.ProjectConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Entry point: {@code shell [--project DIR] [--json] [--debug] [--no-color] [--no-infra] [-c "cmd; cmd" | --run FILE]}.
 * Exit codes: 0 ok, 1 a command failed, 2 usage error.
 */
public final class Main {
    static final String USAGE = """
            usage: shell [options]                 interactive shell (starts local servers when none answer)
                   shell [options] -c "cmd; cmd"   run commands, then exit
                   shell [options] --run FILE      run a script: one command or Java snippet per line
                   ... | shell [options]           run commands read from standard input
            options: --project DIR  the project folder (default: the current one)
                     --json         machine-readable output: one JSON object per command
                     --no-infra     never start local servers by itself
                     --no-color     plain text      --debug  stack traces on errors
            exit codes: 0 ok, 1 a command failed, 2 usage error""";

    /** Parsed command-line options. */
    record Options(Path project, boolean json, boolean debug, boolean color, boolean autoInfra, String commands,
                   Path script) {}

    private Main() {}

    public static void main(String[] args) {
        int rc = run(args, System.in, System.out, System.err, System.getenv());
        System.exit(rc);
    }

    /** Runs the shell with the given streams and environment; returns the exit code. */
    public static int run(String[] args, java.io.InputStream in, PrintStream out, PrintStream err,
                          Map<String, String> env) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (o == null) {
            out.println(USAGE);
            return 0;
        }
        boolean batch = o.commands() != null || o.script() != null || System.console() == null;
        dcm.log.LogFiles.use(o.project(), java.util.List.of());
        if (batch) {
            // a batch run's commands mostly make clients, which log: logback starts while config and models load
            dcm.log.LogFiles.startInBackground();
        }
        ProjectConfig config;
        try {
            config = ConfigLoader.load(o.project(), env);
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            return 1;
        }
        config.warnings().forEach(w -> err.println("warning: " + w));
        java.util.Arrays.asList(config.clickhouse().password(), config.broker().saslPassword(),
                config.httpTls().keystorePassword(), config.adminApiKey()).forEach(dcm.log.LogFiles::secret);
        try (Session session = new Session(config, env, batch ? err : out, o.autoInfra(), !batch)) {
            // ended by a signal (kill, Ctrl-C in a batch run): no query of ours goes on running on ClickHouse
            Thread hook = new Thread(session::cancelQueries, "cancel-queries");
            Runtime.getRuntime().addShutdownHook(hook);
            int rc;
            try {
                rc = batch ? batch(o, session, in, out, err) : interactive(o, session, out);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // the JVM is shutting down: the hook runs
                }
            }
            if (o.debug() && session.lastError() != null) {
                err.print(CommandLineSecrets.stackTrace(session.lastError()));
            }
            return rc;
        } catch (RuntimeException | LinkageError e) {
            // the last edge: whatever escaped the dispatcher is said, never a silent exit
            err.println("error: " + dcm.log.LogFiles.mask(e.getMessage() == null ? e.getClass().getName()
                    : e.getMessage()));
            err.println(o.debug() ? "" : "hint: `--debug` shows the stack trace");
            if (o.debug()) {
                err.print(CommandLineSecrets.stackTrace(e));
            }
            return 1;
        }
    }

    private static int batch(Options o, Session session, java.io.InputStream in, PrintStream out, PrintStream err) {
        Dispatcher dispatcher = new Dispatcher(Commands.standard(), session);
        Renderer rOut = o.json() ? new JsonRenderer(out) : new TextRenderer(out, false);
        Renderer rErr = o.json() ? rOut : new TextRenderer(err, false);
        List<BatchRunner.Line> lines;
        try {
            lines = o.commands() != null ? BatchRunner.splitCommands(o.commands())
                    : o.script() != null ? BatchRunner.scriptLines(o.script().toString(), Files.readAllLines(o.script()))
                    : BatchRunner.scriptLines("<stdin>", new BufferedReader(new InputStreamReader(in,
                            StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            err.println("error: cannot read " + o.script() + ": " + e.getMessage());
            return 2;
        }
        int sessionsBefore = dcm.jshell.SnippetRunner.started();
        ModelLoadNotes.print(session.load(), err);
        dcm.log.LogFiles.awaitStarted();
        session.progressTo(o.json() ? null : out);
        int rc = new BatchRunner(dispatcher, session, rOut, rErr).run(lines);
        if (o.debug()) {
            // a timing-free sign of the load cache at work: an unchanged project needs no JShell for commands
            err.println("debug: JShell sessions started: " + (dcm.jshell.SnippetRunner.started() - sessionsBefore)
                    + switch (session.workspace().origin()) {
                        case CACHE -> " (models from the cache " + dcm.jshell.LoadCache.FILE + ")";
                        case COMPILED -> " (models compiled at once, no cached load)";
                        case EVALUATED -> " (models evaluated by JShell)";
                    });
        }
        return rc;
    }

    private static int interactive(Options o, Session session, PrintStream out) {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            PrintStream tout = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
            boolean color = o.color() && !"dumb".equals(terminal.getType()) && System.getenv("NO_COLOR") == null;
            TextRenderer renderer = new TextRenderer(tout, color);
            Dispatcher dispatcher = new Dispatcher(Commands.standard(), session);
            session.progressTo(tout);
            tout.println(renderer.style(Role.HEADER, "dcm shell") + " — project " + session.config().projectDir()
                    + ", version " + session.config().version() + ". `help` lists commands; other lines are Java.");
            if (o.autoInfra()) {
                Result up = dispatcher.execute("infra up");
                renderer.render("infra up", up);
            }
            renderer.render("reload", ModelCommands.render(session.load(), true));
            // from the cache: Java at the prompt needs the scripts evaluated; that happens while one reads the prompt
            session.workspace().warmInBackground();
            if (o.autoInfra()) {
                startSyncs(session, renderer);
            }
            // off the way to the prompt: logback starts while one reads it (a command typed meanwhile gets SLF4J's
            // stand-in loggers, whose events are replayed into the log once it is ready)
            dcm.log.LogFiles.startInBackground();
            return new Repl(terminal, dispatcher, session, renderer).run();
        } catch (IOException e) {
            out.println("error: cannot open the terminal: " + e.getMessage());
            return 1;
        }
    }

    /** The REPL keeps every applied model version's topic synced into its table in the background. */
    private static void startSyncs(Session session, TextRenderer renderer) {
        try {
            int n = session.startSyncs();
            if (n > 0) {
                renderer.render("sync", Result.message(n + " sync(s) running (`sync status`)"));
            }
        } catch (RuntimeException e) {
            renderer.render("sync", Result.error(1, "syncs not started: " + e.getMessage(), List.of(), null));
        }
    }

    static Options parse(String[] args) {
        Path project = Path.of("");
        boolean json = false, debug = false, color = true, autoInfra = true;
        String commands = null;
        Path script = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = true;
                case "--debug" -> debug = true;
                case "--no-color" -> color = false;
                case "--no-infra" -> autoInfra = false;
                case "-h", "--help" -> {
                    return null;
                }
                case "--project" -> project = Path.of(value(args, ++i, a));
                case "-c" -> commands = value(args, ++i, a);
                case "--run" -> script = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (commands != null && script != null) {
            throw new IllegalArgumentException("-c and --run cannot be used together");
        }
        if (script != null && !Files.isRegularFile(script)) {
            throw new IllegalArgumentException("--run " + script + ": no such file");
        }
        return new Options(project, json, debug, color, autoInfra, commands, script);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
