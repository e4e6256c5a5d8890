package dcm.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code help [command|types|models]}: the command list, one command's help, or a topic. */
final class HelpCommand {
    private HelpCommand() {}

    static final String TYPES = """
            Java type in the record            ClickHouse column
            String                             String
            int / Integer, long / Long         Int32, Int64   (short Int16, byte Int8)
            double / Double, float / Float     Float64, Float32
            boolean / Boolean                  UInt8 (0/1, the portable boolean)
            Instant, LocalDateTime             DateTime64(3) on 20.1+, DateTime on older servers
            LocalDate                          Date
            UUID                               UUID
            BigDecimal                         Decimal(38, 9)
            List<T>, Set<T>, T[]               Array(T)
            Optional<T>, @Nullable T           Nullable(T)
            enum E { A, B }                    Enum8('A' = 1, 'B' = 2)
            Map<K, V>                          Map(K, V) on 21.1+
            @ClickHouseType("LowCardinality(String)") String x    any explicit type
            @Key marks key fields (the default ORDER BY); @Default("now()") sets a DEFAULT;
            @RenamedFrom("old") declares a rename.""";

    static final String MODELS = """
            A model file models/<name>.jsh is Java (JShell): records are schemas, and the DSL registers resources.
              record User(@Key String id, String name, int age, Instant createdAt) {}
              new OlapTable<>("Users", User.class).orderBy("id").lifeCycle(LifeCycle.DELETION_PROTECTED);
              new Stream<>("Clicks", Click.class).partitions(3);
              new IngestPipeline<>("UserEvents", UserEvent.class).orderBy("userId", "at");
              new Mapping("Users", "1.0", "1.1").rename("fullName", "name").set("age", "toUInt16(age)");
            Each model version gets its own table and topic, Model_<version> (Users_1_0), and the route
            /ingest/Model/<version>; [project] version in moose.config.toml is the current version. A Mapping
            changes how rows of one version become rows of the next (`help mapping`).
            LifeCycle: FULLY_MANAGED (default), DELETION_PROTECTED (never dropped), EXTERNALLY_MANAGED (never
            touched). See `help types` for the Java to ClickHouse type mapping.""";

    static Command command() {
        return new Command(Syntax.of("help").optional("command|types|models", "a command, or a topic"), "list commands, or explain one",
                "Lists the commands, or shows one command's help. Topics: `help types` (Java to ClickHouse type"
                        + " mapping), `help models` (the model DSL). A line that is not a command is Java, evaluated"
                        + " in the models' JShell session.",
                Completion.COMMANDS, List.of("types", "models"), HelpCommand::run);
    }

    private static Result run(Session session, Args args) {
        Commands commands = Commands.standard();
        if (args.words().isEmpty()) {
            List<Block> blocks = new ArrayList<>();
            List<List<String>> rows = new ArrayList<>();
            Map<String, String> data = new LinkedHashMap<>();
            for (Command c : commands.all()) {
                rows.add(List.of(c.synopsis(), c.summary()));
                data.put(c.name(), c.summary());
            }
            blocks.add(new Block.Table(List.of("command", "what it does"), rows));
            blocks.add(Block.line(Role.DIM, "Any other line is Java, run in the models' JShell session."
                    + " `help <command>` for details; `help types`, `help models` for the model DSL."));
            return Result.ok(blocks, data);
        }
        String topic = args.words().get(0);
        if (topic.equals("types") || topic.equals("models")) {
            String text = topic.equals("types") ? TYPES : MODELS;
            return Result.ok(text.lines().map(Block::line).map(Block.class::cast).toList(), Map.of(topic, text));
        }
        Command c = commands.find(topic).orElseThrow(() -> CommandError.usage("no command '" + topic + "'",
                "help [" + String.join("|", commands.names()) + "|types|models]"));
        List<Block> blocks = new ArrayList<>(List.of(Block.line(Role.HEADER, c.synopsis()), Block.line(c.help())));
        c.syntax().details().forEach(d -> blocks.add(Block.line(Role.DIM, d)));
        return Result.ok(blocks, Map.of("name", c.name(), "synopsis", c.synopsis(), "help", c.help(), "options",
                c.syntax().options(), "parameters", c.syntax().params()));
    }
}
