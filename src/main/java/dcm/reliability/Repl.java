package dcm.reliability;

import dcm.config.ConfigLoader;
import dcm.shell.Commands;
import dcm.shell.Dispatcher;
import dcm.shell.Result;
import dcm.shell.Session;
import dcm.shell.TextRenderer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A shell session driven line by line through the one dispatch the prompt uses (no terminal): a line that fails
 * leaves the session as it was, and the next line runs, as at the prompt.
 */
public final class Repl implements AutoCloseable {
    private final Session session;
    private final Dispatcher dispatcher;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final TextRenderer renderer = new TextRenderer(new PrintStream(buffer, true, StandardCharsets.UTF_8),
            false);

    Repl(Path dir, Map<String, String> env) {
        PrintStream notes = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        session = new Session(ConfigLoader.load(dir, env), env, notes, false, false);
        dispatcher = new Dispatcher(Commands.standard(), session);
        session.load();
    }

    /** What one line gave: its result and the text the prompt would have shown (notes included). */
    public record Reply(boolean ok, int exitCode, String text) {}

    /** Runs one line as the prompt does. */
    public synchronized Reply exec(String line) {
        buffer.reset();
        Result r = dispatcher.execute(line);
        renderer.render(line, r);
        return new Reply(r.ok(), r.exitCode(), buffer.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        session.close();
    }
}
