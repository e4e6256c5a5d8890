package dcm.shell;

import java.util.List;

/**
 * A shell command, declared once: its name, synopsis, one-line summary, longer help, what its arguments complete
 * to, and its handler. The REPL, {@code -c}, {@code --run}, piped input and {@code --json} all dispatch through
 * the same table.
 */
public record Command(String name, String synopsis, String summary, String help, Completion completion,
                      List<String> subcommands, Handler handler) {
    /** Runs a command on parsed arguments. */
    @FunctionalInterface
    public interface Handler {
        Result run(Session session, Args args);
    }

    public Command {
        subcommands = List.copyOf(subcommands);
    }
}
