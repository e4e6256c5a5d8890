package dcm.reliability;

import dcm.config.ConfigLoader;
import dcm.config.ProjectConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reliability suite ({@code scripts/reliability [--short] [--seed N]}): bad inputs, kill -9 of the shell in the
 * middle of its work, server restarts under ingest load, random model changes on DELETION_PROTECTED tables, each
 * against the real servers, driving the shell as users do; prints {@code case | kind | outcome | evidence} and exits
 * 1 when a case failed. {@code --short} is the form CI runs ({@code ReliabilityIT}).
 */
public final class Reliability {
    private Reliability() {}

    /** How the suite runs: the short form or all of it, the seed of its random choices, and (or null) the only groups to run. */
    public record Options(boolean shortForm, long seed, String only) {
        /** All cases, or the short form, with this seed. */
        public Options(boolean shortForm, long seed) {
            this(shortForm, seed, null);
        }
    }

    /** Every case and its outcome. */
    public record Report(List<ReportTable.Row> rows) {
        /** True when no case failed. */
        public boolean passed() {
            return rows.stream().noneMatch(r -> r.outcome().status() == Outcome.Status.FAIL);
        }

        /** The failed cases' names. */
        public List<String> failed() {
            return rows.stream().filter(r -> r.outcome().status() == Outcome.Status.FAIL).map(r -> r.c().name())
                    .toList();
        }
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("dcm.home", ".")).toAbsolutePath().normalize();
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: scripts/reliability [--short] [--seed N] [--only GROUP]");
            System.exit(2);
            return;
        }
        Report r = run(home, serverEnv(home), o, System.out);
        System.exit(r.passed() ? 0 : 1);
    }

    static Options parse(String[] args) {
        boolean shortForm = false;
        String only = null;
        long seed = System.currentTimeMillis() % 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> shortForm = true;
                case "--only" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--only needs a group name (or part of one)");
                    }
                    only = args[++i];
                }
                case "--seed" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--seed needs a number");
                    }
                    try {
                        seed = Long.parseLong(args[++i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--seed needs a number, got '" + args[i] + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        return new Options(shortForm, seed, only);
    }

    /** The environment that points a project at the servers the checkout's own project uses (`infra up`). */
    static Map<String, String> serverEnv(Path home) {
        ProjectConfig c = ConfigLoader.load(home, System.getenv());
        Map<String, String> env = new HashMap<>();
        env.put("MOOSE_CLICKHOUSE_CONFIG__HOST", c.clickhouse().host());
        env.put("MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", String.valueOf(c.clickhouse().hostPort()));
        env.put("MOOSE_CLICKHOUSE_CONFIG__NATIVE_PORT", String.valueOf(c.clickhouse().nativePort()));
        env.put("MOOSE_REDPANDA_CONFIG__BROKER", c.broker().broker());
        return env;
    }

    /**
     * Runs the suite against the servers {@code serverEnv} points at and prints the table to {@code out}.
     *
     * @param serverEnv MOOSE_* overrides with the servers' host, ports and broker (no database: each case has its own)
     */
    public static Report run(Path home, Map<String, String> serverEnv, Options o, PrintStream out) {
        Suite suite = new Suite(home, serverEnv, o.seed(), o.shortForm());
        out.println("reliability suite" + (o.shortForm() ? " (short form)" : "") + ", seed " + o.seed()
                + " (scripts/reliability --seed " + o.seed() + " repeats its random choices)");
        List<ReportTable.Row> rows = new ArrayList<>();
        try {
            for (Group g : groups(suite)) {
                if (o.only() != null && !g.name().toLowerCase(java.util.Locale.ROOT).contains(o.only()
                        .toLowerCase(java.util.Locale.ROOT))) {
                    continue;
                }
                runGroup(g, o, rows, out);
            }
        } finally {
            suite.close();
        }
        out.println();
        ReportTable.print(rows, out);
        return new Report(rows);
    }

    /** A group of cases sharing a set-up (a guard project, a pair of servers) that is closed after them. */
    interface Group extends AutoCloseable {
        String name();

        /** Sets up what the cases share and lists them (a failed set-up fails the group's cases). */
        List<Case> cases() throws Exception;

        @Override
        default void close() {}
    }

    private static List<Group> groups(Suite suite) {
        return List.of(new BadModelInputs(suite), new BadConfigInputs(suite), new BadSampleFiles(suite),
                new BadIngestPayloads(suite), new BadIdentifiers(suite), new ProtectedChanges(suite),
                new CrashCases(suite), new RestartCases(suite), new IngestLoad(suite));
    }

    private static void runGroup(Group g, Options o, List<ReportTable.Row> rows, PrintStream out) {
        long t0 = System.nanoTime();
        try (g) {
            for (Case c : g.cases()) {
                if (o.shortForm() && !c.inShort()) {
                    continue;
                }
                ReportTable.Row row = runCase(c);
                rows.add(row);
                out.printf("  %-5s %-45s %6d ms%n", row.outcome().status(), c.name(), row.millis());
                out.flush();
            }
        } catch (Exception | AssertionError e) {
            rows.add(new ReportTable.Row(new Case(g.name() + " (set-up)", "setup", true, () -> null),
                    Outcome.fail(describe(e)), (System.nanoTime() - t0) / 1_000_000));
        }
    }

    static ReportTable.Row runCase(Case c) {
        long t0 = System.nanoTime();
        Outcome outcome;
        try {
            outcome = c.check().run();
        } catch (Case.Failed e) {
            outcome = Outcome.fail(e.getMessage());
        } catch (Exception | AssertionError | StackOverflowError e) {
            outcome = Outcome.fail(describe(e));
        }
        return new ReportTable.Row(c, outcome, (System.nanoTime() - t0) / 1_000_000);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
