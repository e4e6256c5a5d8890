package dcm.reliability;

import dcm.clickhouse.ClickHouse;
import dcm.config.ConfigLoader;
import dcm.core.Sql;
import dcm.kafka.Broker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A project folder of one case (config and model files) with a database and topic namespace of its own on the
 * servers under test, and the ways the suite runs the shell on it as users do: in-process {@code -c} (the same
 * {@code Main.run} the launcher calls), the real {@code ./shell} launcher as a child process (to be killed), and a
 * REPL session ({@link Repl}).
 */
public final class Project implements AutoCloseable {
    private final Path home;
    private final Path dir;
    private final String db;
    private final Map<String, String> env;
    private final ClickHouse ch;

    Project(Path home, Path dir, String db, Map<String, String> serverEnv) {
        this.home = home;
        this.dir = dir;
        this.db = db;
        Map<String, String> e = new HashMap<>(serverEnv);
        e.put("MOOSE_CLICKHOUSE_CONFIG__DB_NAME", db);
        e.put("MOOSE_REDPANDA_CONFIG__NAMESPACE", db);
        this.env = Map.copyOf(e);
        this.ch = new ClickHouse(ConfigLoader.load(writeConfig(dir), env).clickhouse());
        ch.execute("CREATE DATABASE IF NOT EXISTS " + Sql.id(db), false);
    }

    static Path writeConfig(Path dir) {
        try {
            Files.createDirectories(dir.resolve("models"));
            Path config = dir.resolve("moose.config.toml");
            if (!Files.exists(config)) {
                Files.writeString(config, "[project]\nversion = \"1.0\"\n[clickhouse_config]\ndb_name = \"local\"\n");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public String db() {
        return db;
    }

    public Map<String, String> env() {
        return env;
    }

    public ClickHouse clickhouse() {
        return ch;
    }

    /** Writes a file of the project (models/x.jsh, moose.config.toml, a sample), creating its folder. */
    public Path write(String relative, String text) {
        return write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a file of the project as bytes (for text that is not valid UTF-8). */
    public Path write(String relative, byte[] bytes) {
        try {
            Path p = dir.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a file of the project, if there. */
    public void delete(String relative) {
        try {
            Files.deleteIfExists(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a shell run printed and returned. */
    public record Run(int exitCode, String out, String err) {
        /** Standard output and error together. */
        public String all() {
            return out + err;
        }
    }

    /** {@code ./shell --project dir --no-infra -c commands}, in-process. */
    public Run shell(String commands) {
        return main("--project", dir.toString(), "--no-infra", "-c", commands);
    }

    /** {@code ./shell --project dir --no-infra --json -c commands}, in-process. */
    public Run json(String commands) {
        return main("--project", dir.toString(), "--no-infra", "--json", "-c", commands);
    }

    /** {@code ./shell --project dir --no-infra --run file}, in-process. */
    public Run script(Path file) {
        return main("--project", dir.toString(), "--no-infra", "--run", file.toString());
    }

    /** {@code dcm.shell.Main} with these arguments, in this JVM, with the project's environment. */
    public Run main(String... args) {
        return mainWith(env, args);
    }

    /** {@code dcm.shell.Main} with these arguments and this environment, in this JVM. */
    public Run mainWith(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = dcm.shell.Main.run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Like {@link #shell}, failing the case with what the shell said unless it exits 0. */
    public Run ok(String commands) {
        Run r = shell(commands);
        Case.require(r.exitCode() == 0, "`" + commands + "` exited " + r.exitCode() + ": " + r.all());
        return r;
    }

    /** The real launcher as a child process, killed or not (see {@link Child}). */
    public Child child(String commands, Map<String, String> extraEnv) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extraEnv);
        return Child.start(home.resolve("shell"), dir, all, commands);
    }

    /** {@code serve --port port} as a child process, once it listens (it ending before is the case's failure). */
    public Child serve(int port) {
        Child serve = child("serve --port " + port, Map.of());
        Poll.until("serve to listen on " + port, 120, () -> {
            Case.require(serve.alive(), "serve ended: " + serve.outSoFar());
            return Poll.listening(port);
        });
        return serve;
    }

    /** A REPL session on this project (one dispatch, as the prompt runs it). */
    public Repl repl() {
        return new Repl(dir, env);
    }

    /** The rows of a table of the project's database. */
    public long rows(String table) {
        return Long.parseLong(ch.scalar("SELECT count() FROM " + Sql.table(db, table) + " FORMAT TabSeparated"));
    }

    /** The rows and distinct values of a column, as {@code "rows/distinct"}. */
    public String rowsAndDistinct(String table, String column) {
        return ch.scalar("SELECT count(), uniqExact(" + Sql.id(column) + ") FROM " + Sql.table(db, table)
                + " FORMAT TabSeparated").replace('\t', '/');
    }

    /** The tables and views of the project's database (the shell's own {@code _dcm_} tables left out). */
    public Set<String> tables() {
        String list = ch.text("SELECT name FROM system.tables WHERE database = '" + db.replace("'", "\\'")
                + "' AND NOT startsWith(name, '_dcm_') FORMAT TSVRaw", false);
        Set<String> out = new TreeSet<>();
        for (String t : list.split("\n")) {
            if (!t.isBlank()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Drops the database and the namespace's topics, and deletes the folder. */
    @Override
    public void close() {
        try {
            ch.execute("DROP DATABASE IF EXISTS " + Sql.id(db), false);
            try (Broker broker = new Broker(ConfigLoader.load(dir, env).broker())) {
                for (String t : broker.topicNames()) {
                    if (t.startsWith(db + ".")) {
                        broker.deleteTopic(t);
                    }
                }
            }
        } catch (RuntimeException e) {
            System.err.println("reliability: cleaning up " + db + ": " + e.getMessage());
        } finally {
            ch.close();
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
