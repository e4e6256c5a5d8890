package dcm.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The command table: every command declared once, looked up by its whole name or an alias. */
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
        list.addAll(VersionCommands.commands());
        list.add(MappingCommand.command());
        list.add(TestMappingCommand.command());
        list.add(AdoptCommand.command());
        list.add(DevCommand.command());
        list.addAll(StreamCommands.commands());
        list.addAll(DataCommands.commands());
        list.addAll(InfraCommands.commands());
        list.addAll(AdminCommands.commands());
        list.add(HelpCommand.command());
        list.add(new Command(Syntax.of("exit"), "leave the shell", "Leaves the shell. Local servers keep running;"
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

    /** Documented aliases: another name for a command. */
    static final java.util.Map<String, String> ALIASES = java.util.Map.of("quit", "exit", "?", "help");

    /**
     * A command by its whole name or a documented alias, as jshell's commands are. Never a prefix: a prefix of a
     * command is too often also a Java name ({@code ex = 2} must not leave the shell).
     */
    public Optional<Command> find(String name) {
        String n = ALIASES.getOrDefault(name, name);
        return all.stream().filter(c -> c.name().equals(n)).findFirst();
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
