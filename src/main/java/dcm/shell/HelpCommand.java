package dcm.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code help [command|types|models|java]}: the command list, one command's help, or a topic. */
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

    static final String JAVA = """
            A line that is not a command is Java, run in the models' JShell session (in the shell's own JVM): the
            models' records are types there, and dcm.api.Dcm reaches this shell. Scripts: ./shell --run x.jsh.
              List<User> all = Dcm.rows(User.class);                 // the latest table as records (first 1000)
              Dcm.rows(User.class, "age > 40", 10)                   // a SQL condition and a limit
              Dcm.rows("Users@1.0")                                  // any version's table: maps, column -> value
              Dcm.rows("Users@1.0", Old.class, "", 10)               // ... or records whose components are its columns
              Dcm.send(new User("u1", "Ann", (short) 41, "de", Optional.empty()))   // to the latest topic
              Dcm.send("Users@1.0", List.of(Dcm.row("id", "u2", "name", "Bo", "age", "7")))  // to a version's topic
              Dcm.columns("Users@1.0")                               // what an old version's rows hold
              List<User> out = Dcm.map("Users", "1.0", List.of(Dcm.row("id", "s", "name", "Sam", "age", "12")))
              Dcm.map("Users", "1.0", "1.1", samples)                // to a given version: maps unless it is the latest
            rows: ordered by the table's ORDER BY; values convert as `help types`, the other way (Int64 -> long,
              DateTime -> Instant or LocalDateTime in UTC, Nullable -> Optional or null, Array -> List, Enum8 -> enum);
              a value that does not convert is an error naming its row and column.
            send: each record is validated as `ingest` does (with the conversions later versions make); one refused
              record refuses them all, naming record, field and reason; returns how many were committed. The syncs
              land them (`sync start`, `sync wait` in a script).
            map: the mapping the migration views run (composed across versions), over the samples in scratch Memory
              tables that are always dropped; the model's tables are not touched. An old version has no record type:
              its samples are Dcm.row(name, value, ...) maps, validated by its schema (a refused one is named).""";

    static Command command() {
        return new Command(Syntax.of("help").optional("command|types|models|java", "a command, or a topic"), "list commands, or explain one",
                "Lists the commands, or shows one command's help. Topics: `help types` (Java to ClickHouse type"
                        + " mapping), `help models` (the model DSL), `help java` (Java values at the prompt: Dcm)."
                        + " A line that is not a command is Java, evaluated"
                        + " in the models' JShell session.",
                Completion.COMMANDS, List.of("types", "models", "java"), HelpCommand::run);
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
                    + " `help <command>` for details; `help types`, `help models` for the model DSL, `help java` for"
                    + " Java values."));
            return Result.ok(blocks, data);
        }
        String topic = args.words().get(0);
        if (topic.equals("types") || topic.equals("models") || topic.equals("java")) {
            String text = topic.equals("types") ? TYPES : topic.equals("models") ? MODELS : JAVA;
            return Result.ok(text.lines().map(Block::line).map(Block.class::cast).toList(), Map.of(topic, text));
        }
        Command c = commands.find(topic).orElseThrow(() -> CommandError.usage("no command '" + topic + "'",
                "help [" + String.join("|", commands.names()) + "|types|models|java]"));
        List<Block> blocks = new ArrayList<>(List.of(Block.line(Role.HEADER, c.synopsis()), Block.line(c.help())));
        c.syntax().details().forEach(d -> blocks.add(Block.line(Role.DIM, d)));
        return Result.ok(blocks, Map.of("name", c.name(), "synopsis", c.synopsis(), "help", c.help(), "options",
                c.syntax().options(), "parameters", c.syntax().params()));
    }
}
