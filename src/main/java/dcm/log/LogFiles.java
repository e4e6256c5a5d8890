package dcm.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where the shell's log goes and which values it must never contain. {@link #use} only records the project (cheap:
 * no logging class is loaded); logback reads it when something logs first ({@link LogSetup}), and a later
 * {@link #use} (an in-process run of another project) moves the log there.
 */
public final class LogFiles {
    /** The log folder under a project. */
    public static final String DIR = ".moose/logs";
    /** The current log file's name. */
    public static final String FILE = "dcm.log";
    private static volatile Path dir;
    private static volatile Object context;
    private static volatile Thread starter;
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    private LogFiles() {}

    /**
     * The log of {@code projectDir} from now on (none when it holds no {@code moose.config.toml}); {@code secrets}
     * (passwords, tokens) are masked wherever they appear.
     */
    public static void use(Path projectDir, Collection<String> secrets) {
        // only in a project folder: a shell started elsewhere (to say there is no config) leaves nothing behind
        Path abs = projectDir.toAbsolutePath().normalize();
        Path next = Files.isRegularFile(abs.resolve("moose.config.toml")) ? abs.resolve(DIR) : null;
        secrets.forEach(LogFiles::secret);
        Path before = dir;
        dir = next;
        Object ctx = context;
        if (ctx != null && !java.util.Objects.equals(before, next)) {
            LogSetup.attach((ch.qos.logback.classic.LoggerContext) ctx, next);
        }
    }

    /**
     * Starts logback on a thread of its own (once per JVM, unless something logged already): about 50-80 ms of work
     * taken off the start-up path. A logger asked for meanwhile is SLF4J's stand-in, whose events are replayed into
     * the log once it is ready; a batch run waits for it ({@link #awaitStarted}) before its first command all the
     * same, so its clients get real loggers.
     */
    public static void startInBackground() {
        // SLF4J's own notes (a replay, several providers) would go to the terminal: only its errors may
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        if (context == null && starter == null) {
            Thread t = new Thread(org.slf4j.LoggerFactory::getILoggerFactory, "log-start");
            t.setDaemon(true);
            starter = t;
            t.start();
        }
    }

    /** Waits (at most 10 s) until the log started by {@link #startInBackground} is ready. */
    public static void awaitStarted() {
        Thread t = starter;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** No log from now on (a test that pointed it at a temporary folder puts it back). */
    public static void off() {
        dir = null;
        Object ctx = context;
        if (ctx != null) {
            LogSetup.attach((ch.qos.logback.classic.LoggerContext) ctx, null);
        }
    }

    /** A value the log must never show (a token given on the command line); blank ones are ignored. */
    public static void secret(String value) {
        if (value != null && value.strip().length() >= 3 && !SECRETS.contains(value)) {
            SECRETS.add(value);
        }
    }

    /** The current log file of a project. */
    public static Path file(Path projectDir) {
        return projectDir.toAbsolutePath().resolve(DIR).resolve(FILE);
    }

    /** {@code text} with every secret replaced by {@code ****}. */
    public static String mask(String text) {
        String out = text;
        for (String s : SECRETS) {
            if (out.contains(s)) {
                out = out.replace(s, "****");
            }
        }
        return out;
    }

    static Path dir() {
        return dir;
    }

    static void configured(Object loggerContext) {
        context = loggerContext;
    }
}
