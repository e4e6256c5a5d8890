package dcm.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive loop on a JLine terminal: completion, persistent history in {@code .moose/history}, colour, and
 * multi-line Java snippets (the line continues while JShell says the input is incomplete). Ctrl-C clears the line,
 * Ctrl-D or {@code exit} leaves.
 */
public final class Repl {
    private final Terminal terminal;
    private final Dispatcher dispatcher;
    private final Session session;
    private final Renderer renderer;

    public Repl(Terminal terminal, Dispatcher dispatcher, Session session, Renderer renderer) {
        this.terminal = terminal;
        this.dispatcher = dispatcher;
        this.session = session;
        this.renderer = renderer;
    }

    /** A line as the history keeps it: secrets as {@code ****} ({@link CommandLineSecrets}). */
    static String withoutSecrets(String line) {
        return CommandLineSecrets.mask(line);
    }

    /** Reads and runs lines until exit; returns 0. */
    public int run() throws IOException {
        Path history = session.config().projectDir().resolve(".moose").resolve("history");
        Files.createDirectories(history.getParent());
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("dcm")
                .completer(new ShellCompleter(dispatcher.commands(), session))
                .parser(new SnippetParser())
                .history(new org.jline.reader.impl.history.DefaultHistory() {
                    @Override
                    public void add(java.time.Instant time, String line) {
                        super.add(time, withoutSecrets(line));
                    }
                })
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.HISTORY_SIZE, 2000)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "   ...> ")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        session.askWith(question -> {
            try {
                return reader.readLine(question);
            } catch (UserInterruptException | EndOfFileException e) {
                return null;
            }
        });
        // Ctrl-C while a command runs cancels that command (its queries, its snippet, its wait), never the shell;
        // at the prompt JLine reads it as a key and clears the line
        terminal.handle(Terminal.Signal.INT, sig -> session.interrupt());
        String prompt = "\u001b[1;36mdcm>\u001b[0m ";
        while (!session.exitRequested()) {
            String line;
            try {
                line = reader.readLine(prompt);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            Result r = dispatcher.execute(line);
            if (r != null) {
                renderer.render(line, r);
            }
        }
        reader.getHistory().save();
        return 0;
    }

    /** Asks JLine for another line while a Java snippet is incomplete. */
    private final class SnippetParser extends DefaultParser {
        SnippetParser() {
            escapeChars(new char[0]);
            quoteChars(new char[0]);
        }

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && !line.isBlank() && !dispatcher.isCommand(line)
                    && !session.workspace().isComplete(line)) {
                throw new EOFError(-1, -1, "incomplete Java snippet");
            }
            return super.parse(line, cursor, context);
        }
    }
}
