package dcm.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The command table: every command declared once, looked up by name or unique prefix. */
public final class Commands {
    private final List<Command> all;

    public Commands(List<Command> commands) {
        this.all = List.copyOf(commands);
    }

    /** The standard table of this shell. */
    public static Commands standard() {
        List<Command> list = new ArrayList<>();
        list.addAll(ModelCommands.commands());
        list.addAll(MigrateCommands.commands());
        list.add(AdoptCommand.command());
        list.add(DevCommand.command());
        list.addAll(StreamCommands.commands());
        list.addAll(DataCommands.commands());
        list.addAll(InfraCommands.commands());
        list.add(HelpCommand.command());
        list.add(new Command("exit", "exit", "leave the shell", "Leaves the shell. Local servers keep running;"
                + " `infra down` stops them.", Completion.NONE, List.of(), (s, a) -> {
                    s.requestExit();
                    return Result.ok(List.of(), java.util.Map.of("exit", true));
                }));
        return new Commands(list);
    }

    public List<Command> all() {
        return all;
    }

    /** The names, for completion. */
    public List<String> names() {
        return all.stream().map(Command::name).toList();
    }

    /** Exact name, {@code quit} for exit, or a unique prefix of at least two letters. */
    public Optional<Command> find(String name) {
        String n = name.equals("quit") ? "exit" : name;
        Optional<Command> exact = all.stream().filter(c -> c.name().equals(n)).findFirst();
        if (exact.isPresent() || n.length() < 2) {
            return exact;
        }
        List<Command> prefixed = all.stream().filter(c -> c.name().startsWith(n)).toList();
        return prefixed.size() == 1 ? Optional.of(prefixed.get(0)) : Optional.empty();
    }

    /** Commands whose names are close to {@code word}, for "did you mean". */
    public List<String> near(String word) {
        List<String> out = new ArrayList<>();
        for (Command c : all) {
            if (dcm.config.ConfigLoader.distance(word, c.name()) <= Math.max(1, c.name().length() / 3)) {
                out.add(c.name());
            }
        }
        return Collections.unmodifiableList(out);
    }
}
