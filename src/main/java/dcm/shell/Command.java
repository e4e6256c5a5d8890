package dcm.shell;

import java.util.List;

/**
 * A shell command, declared once: its name, its syntax (options and parameters: parsing, synopsis, option help and
 * completion come from it), a one-line summary, longer help, what its arguments complete to, and its handler. The
 * REPL, {@code -c}, {@code --run}, piped input and {@code --json} all dispatch through the same table.
 */
public record Command(Syntax syntax, String summary, String help, Completion completion, List<String> subcommands,
                      Handler handler) {
    /** Runs a command on parsed arguments. */
    @FunctionalInterface
    public interface Handler {
        Result run(Session session, Args args);
    }

    public Command {
        subcommands = List.copyOf(subcommands);
    }

    /** The command's name. */
    public String name() {
        return syntax.name();
    }

    /** {@code apply [file] [--yes] [--allow-destructive]}. */
    public String synopsis() {
        return syntax.synopsis();
    }
}
