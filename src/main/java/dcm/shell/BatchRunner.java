package dcm.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs commands without a person: from {@code -c}, {@code --run} or piped input. Java snippets may span lines
 * (collected until complete). Stops at the first failure, whose exit code becomes the run's (1 failed, 2 usage).
 */
public final class BatchRunner {
    /** One input line and where it came from ({@code scripts/demo:3}, or {@code -c} with its index). */
    public record Line(String text, String location) {}

    private final Dispatcher dispatcher;
    private final Session session;
    private final Renderer out;
    private final Renderer err;

    public BatchRunner(Dispatcher dispatcher, Session session, Renderer out, Renderer err) {
        this.dispatcher = dispatcher;
        this.session = session;
        this.out = out;
        this.err = err;
    }

    /** Splits {@code -c} text on semicolons that are outside quotes, parentheses and braces. */
    public static List<Line> splitCommands(String text) {
        List<Line> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < text.length()) {
                    cur.append(c).append(text.charAt(++i));
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth = Math.max(0, depth - 1);
            } else if (c == ';' && depth == 0) {
                add(out, cur, "-c #" + (out.size() + 1));
                continue;
            }
            cur.append(c);
        }
        add(out, cur, "-c #" + (out.size() + 1));
        return out;
    }

    private static void add(List<Line> out, StringBuilder cur, String location) {
        if (!cur.toString().isBlank()) {
            out.add(new Line(cur.toString().strip(), location));
        }
        cur.setLength(0);
    }

    /** Lines of a script file; blank lines and {@code #} comments are skipped. */
    public static List<Line> scriptLines(String name, List<String> lines) {
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isBlank() && !l.strip().startsWith("#")) {
                out.add(new Line(l, name + ":" + (i + 1)));
            }
        }
        return out;
    }

    /** Runs the lines; returns the exit code. */
    public int run(List<Line> lines) {
        StringBuilder pending = new StringBuilder();
        String pendingAt = null;
        for (Line line : lines) {
            String text = line.text();
            if (pending.length() == 0 && dispatcher.isCommand(text)) {
                int rc = runOne(text, line.location());
                if (rc != 0 || session.exitRequested()) {
                    return rc;
                }
                continue;
            }
            if (pending.length() == 0) {
                pendingAt = line.location();
            }
            pending.append(pending.length() == 0 ? "" : "\n").append(text);
            if (session.workspace().runner().isComplete(pending.toString())) {
                int rc = runOne(pending.toString(), pendingAt);
                pending.setLength(0);
                if (rc != 0) {
                    return rc;
                }
            }
        }
        if (pending.length() > 0) {
            return runOne(pending.toString(), pendingAt);
        }
        return 0;
    }

    private int runOne(String text, String location) {
        Result r = dispatcher.execute(text);
        if (r == null) {
            return 0;
        }
        if (r.ok()) {
            out.render(text, r);
            return 0;
        }
        List<Block> blocks = new ArrayList<>();
        // the line as typed, minus its secrets (a --token value)
        String echo = CommandLineSecrets.mask(text).lines().findFirst().orElse("");
        blocks.add(Block.line(Role.DIM, "at " + location + ": " + echo));
        blocks.addAll(r.blocks());
        err.render(text, new Result(false, r.exitCode(), blocks, r.data()));
        return r.exitCode() == 0 ? 1 : r.exitCode();
    }
}
