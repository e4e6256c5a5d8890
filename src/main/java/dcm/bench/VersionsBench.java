package dcm.bench;

import dcm.clickhouse.ClickHouse;
import dcm.config.ClickHouseConfig;
import dcm.config.ProjectConfig;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.core.TableSpec;
import dcm.core.plan.Operation;
import dcm.core.plan.Plan;
import dcm.core.plan.PlanOptions;
import dcm.core.plan.Planner;
import dcm.core.plan.SqlGen;
import dcm.core.versions.Desired;
import dcm.core.versions.Mappings;
import dcm.core.versions.MigrationView;
import dcm.core.versions.Versions;
import dcm.kafka.Broker;
import dcm.migrate.Applier;
import dcm.migrate.LiveReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Versions side by side, each against a baseline measured in the same run:
 * <ol>
 * <li>the backfill of a new version's table from the previous one (the whole Backfill operation run by the
 * Applier: pause, snapshot, views, the unit copies through staging tables, parity) against a plain
 * {@code INSERT INTO t2 SELECT <the same mapping> FROM t1} of the same rows into an identical empty table (target:
 * at most 1.1 times as long);</li>
 * <li>a sync into a version whose table carries rows on to two later versions (the views 18.16 needs: 1.0 -> 1.1,
 * 1.0 -> 1.2, 1.1 -> 1.2; one view per step where views cascade) against the same sync into a table with no
 * views.</li>
 * </ol>
 */
final class VersionsBench {
    static final String DB = "dcm_bench_versions";
    /** Rows backfilled per round. */
    private static final long ROWS = Long.getLong("bench.versions.rows", 10_000_000L);
    /** Rows per insert filling the 1.0 table (each one part: merges are stopped on it). */
    private static final long FILL_INSERT = Long.getLong("bench.versions.fillInsert", 1_000_000L);
    private static final int ROUNDS = Integer.getInteger("bench.versions.rounds", 3);
    /** Rows per sync round. */
    private static final int SYNC_ROWS = Integer.getInteger("bench.versions.syncRows", 2_000_000);
    /** Sync rounds run first and not reported (the JIT compiles the sync's code meanwhile). */
    private static final int WARM_UP_ROUNDS = Integer.getInteger("bench.versions.warmUpRounds", 2);

    private VersionsBench() {}

    static void run(ProjectConfig config) throws Exception {
        ClickHouseConfig c = config.clickhouse();
        ClickHouseConfig inDb = new ClickHouseConfig(c.host(), c.hostPort(), c.nativePort(), DB, c.user(), c.password(),
                c.useSsl());
        try (ClickHouse ch = new ClickHouse(inDb); Broker broker = new Broker(config.broker())) {
            if (!ch.answers()) {
                System.out.println("versions bench skipped: ClickHouse does not answer at " + c.endpoint()
                        + " (run `./shell -c \"infra up\"`)");
                return;
            }
            ch.execute("DROP DATABASE IF EXISTS " + Sql.id(DB));
            ch.execute("CREATE DATABASE " + Sql.id(DB));
            boolean cascade = ch.viewsCascade();
            System.out.println("  ClickHouse " + ch.scalar("SELECT version() FORMAT TabSeparated") + ", views "
                    + (cascade ? "cascade (one view per step)" : "do not cascade (one view per pair of versions)")
                    + "; " + Runtime.getRuntime().availableProcessors() + " cores shared by ClickHouse, the broker"
                    + " and this JVM (and whatever else runs on the machine: load average " + loadAverage() + ")");
            if (!Boolean.getBoolean("bench.versions.skipBackfill")) {
                backfill(ch, inDb, cascade);
            }
            if (Boolean.getBoolean("bench.versions.skipSync")) {
                System.out.println("sync into a version with a view chain: skipped (-Dbench.versions.skipSync)");
            } else if (broker.answers(3000)) {
                chain(config, ch, broker, cascade);
            } else {
                System.out.println("sync into a version with a view chain: skipped, the broker does not answer");
            }
            ch.execute("DROP DATABASE IF EXISTS " + Sql.id(DB));
        }
    }

    // ---- 1. backfill against INSERT ... SELECT

    private static final ColumnSpec ID = new ColumnSpec("id", "String", true, null, null);
    private static final ColumnSpec AT = ColumnSpec.of("at", "DateTime");

    /** A version of a model, with no topic (the backfill needs none). */
    private static ModelSpec version(String model, String version, ColumnSpec... columns) {
        String physical = model + "_" + version.replace('.', '_');
        List<ColumnSpec> cols = List.of(columns);
        return new ModelSpec(model, version, cols, new TableSpec(physical, cols, "MergeTree", List.of("id"), null,
                LifeCycle.FULLY_MANAGED), null, false, "bench");
    }

    private static ModelSpec v10(String model) {
        return version(model, "1.0", ID, ColumnSpec.of("name", "String"), ColumnSpec.of("age", "String"),
                ColumnSpec.of("legacy", "Int32"), AT);
    }

    /** 1.0 with a rename, a conversion (String -> UInt16), a new column with a default, a dropped column (legacy). */
    private static ModelSpec v11(String model) {
        return version(model, "1.1", ID, new ColumnSpec("fullName", "String", false, null, "name"),
                ColumnSpec.of("age", "UInt16"), AT, new ColumnSpec("country", "String", false, "'nl'", null));
    }

    /**
     * Creates 1.0's table as apply makes it and fills it by inserts of {@code insertRows} rows, with merges stopped
     * on it, so its parts stay as the inserts made them. Returns the seconds the fill took.
     */
    private static double fill(ClickHouse ch, SqlGen sql, ModelSpec v10, long rows, long insertRows) {
        new Applier(ch, null).apply("bench-versions-1.0-" + System.nanoTime(), Planner.plan(List.of(v10),
                LiveReader.read(ch, null), PlanOptions.DEFAULT).operations(), line -> { });
        String source = v10.table().name();
        ch.execute("SYSTEM STOP MERGES " + sql.t(source));
        long f0 = System.nanoTime();
        for (long from = 0; from < rows; from += insertRows) {
            ch.execute("INSERT INTO " + sql.t(source) + " SELECT toString(number), concat('n', toString(number)),"
                    + " toString(number % 100), toInt32(number % 1000), toDateTime(1700000000 + number) FROM numbers("
                    + from + ", " + Math.min(insertRows, rows - from) + ")");
        }
        double seconds = (System.nanoTime() - f0) / 1e9;
        if (StreamBench.count(ch, source) != rows) {
            throw new IllegalStateException(source + " holds " + StreamBench.count(ch, source) + " rows, not " + rows);
        }
        return seconds;
    }

    private static void backfill(ClickHouse ch, ClickHouseConfig inDb, boolean cascade) throws Exception {
        SqlGen sql = new SqlGen(DB, ch.dialect());
        // a warm-up round on 100,000 rows, not reported: the measured rounds run the apply code compiled, as a
        // shell that applied before would (the first backfill of a JVM spent 0.2-0.9 s more in its first steps)
        ModelSpec w10 = v10("Warm"), w11 = v11("Warm");
        fill(ch, sql, w10, 100_000, 10_000);
        if (!backfillRound(ch, inDb, sql, w10, w11, cascade, -1).checksum().equals(plainRound(ch, inDb, sql, w10, w11,
                cascade, -1).checksum())) {
            throw new IllegalStateException("the warm-up's backfilled table differs from its plain copy");
        }
        ch.execute("DROP TABLE " + sql.t(w10.table().name()));

        ModelSpec v10 = v10("Ev"), v11 = v11("Ev");
        double fillSeconds = fill(ch, sql, v10, ROWS, FILL_INSERT);
        String source = v10.table().name();
        System.out.printf(Locale.ROOT, "  %s: %d rows in %s parts (filled in %.1f s by inserts of %d rows, merges"
                        + " stopped on it); copy unit %d rows%n", source, ROWS,
                ch.scalar("SELECT count() FROM system.parts WHERE database = " + Sql.str(DB) + " AND table = "
                        + Sql.str(source) + " AND active FORMAT TabSeparated"), fillSeconds, FILL_INSERT,
                unitRows());

        double[] backfill = new double[ROUNDS];
        double[] plain = new double[ROUNDS];
        double[] ratios = new double[ROUNDS];
        double[] cpuRatios = new double[ROUNDS];
        double[] beyond = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            // the order alternates, so a drift of the machine's speed does not favour one side
            Measured a, b;
            if (r % 2 == 0) {
                a = backfillRound(ch, inDb, sql, v10, v11, cascade, r);
                b = plainRound(ch, inDb, sql, v10, v11, cascade, r);
            } else {
                b = plainRound(ch, inDb, sql, v10, v11, cascade, r);
                a = backfillRound(ch, inDb, sql, v10, v11, cascade, r);
            }
            if (!a.checksum().equals(b.checksum())) {
                throw new IllegalStateException("the backfilled table differs from the plain copy (count, checksum): "
                        + a.checksum() + " against " + b.checksum());
            }
            backfill[r] = a.seconds();
            plain[r] = b.seconds();
            ratios[r] = backfill[r] / plain[r];
            cpuRatios[r] = a.server().cpu() / b.server().cpu();
            beyond[r] = a.seconds() / a.server().copySeconds();
            System.out.printf(Locale.ROOT, "  round %d (%s first): backfill %.2f s, plain INSERT ... SELECT %.2f s,"
                            + " ratio %.2f (ClickHouse CPU in their statements: %.2f s against %.2f s, ratio %.2f);"
                            + " both tables hold %s rows with equal checksums%n", r + 1, r % 2 == 0 ? "backfill"
                            : "plain", backfill[r], plain[r], ratios[r], a.server().cpu(), b.server().cpu(),
                    cpuRatios[r], a.checksum().split("\t")[0]);
        }
        double ratio = Meter.median(ratios);
        System.out.printf(Locale.ROOT, "%-55s %8.0f ms   baseline: plain INSERT ... SELECT %.0f ms   ratio %.2f"
                        + " (median of the rounds' ratios; rounds %s)   (target <= 1.10: %s)%n",
                "backfill " + String.format(Locale.ROOT, "%,d", ROWS) + " rows (rename, cast, default, drop)",
                Meter.median(backfill) * 1000, Meter.median(plain) * 1000, ratio, Meter.list(ratios, "%.2f"),
                ratio <= 1.1 ? "met" : "MISSED");
        // the machine's other load swings the two sides of a round apart; these two compare within one operation
        // (its wall time against the time its own copy statements took, under the same load) and by CPU
        System.out.printf(Locale.ROOT, "%-55s ratio %.2f (median; rounds %s)%n",
                "  backfill's wall time / its copy statements' time", Meter.median(beyond),
                Meter.list(beyond, "%.2f"));
        System.out.printf(Locale.ROOT, "%-55s ratio %.2f (median; rounds %s)%n",
                "  ClickHouse CPU in the statements, backfill / plain", Meter.median(cpuRatios),
                Meter.list(cpuRatios, "%.2f"));
        ch.execute("DROP TABLE IF EXISTS " + sql.t(source));
    }

    /** The plan's CreateTable of 1.1 and its Backfill, planned against the live state as apply would. */
    private static List<Operation> planned(ClickHouse ch, ModelSpec v10, ModelSpec v11, boolean cascade) {
        Desired d = Versions.desired(List.of(v11), Map.of("1.0", List.of(v10)), Mappings.GENERATED, cascade);
        if (!d.problems().isEmpty()) {
            throw new IllegalStateException("the bench's mapping is unusable: " + d.problems());
        }
        Plan p = Planner.plan(d, LiveReader.read(ch, null), PlanOptions.DEFAULT);
        List<Operation> ops = p.operations().stream().filter(o -> o instanceof Operation.CreateTable
                || o instanceof Operation.Backfill).toList();
        if (ops.size() != 2 || !(ops.get(0) instanceof Operation.CreateTable)
                || !(ops.get(1) instanceof Operation.Backfill)) {
            throw new IllegalStateException("expected a create table and a backfill, planned: " + p.operations());
        }
        return ops;
    }

    /** A measured copy: its wall time, what ClickHouse spent in its statements, the table's count and checksum. */
    private record Measured(double seconds, Served server, String checksum) {}

    /**
     * What the server logged for one client's statements (by its name in the user agent): how many, the time
     * spent in them, the CPU they used (user + system, all their threads) and the time they waited for a core; and
     * the same for those of them that copy rows (INSERT ... SELECT).
     */
    private record Served(long statements, double seconds, double cpu, double waited, long copies,
                          double copySeconds, double copyCpu) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d statements, %.2f s in them (%d copying rows %.2f s, the others"
                            + " %.2f s), ClickHouse CPU %.2f s (copying %.2f s), waiting for a core %.2f s", statements,
                    seconds, copies, copySeconds, seconds - copySeconds, cpu, copyCpu, waited);
        }
    }

    /** A client logging its statements ({@code log_queries=1}) under a name of its own. */
    private static ClickHouse logged(ClickHouseConfig inDb, String name) {
        return new ClickHouse(inDb, name, Map.of("log_queries", "1"));
    }

    /**
     * The client's statements as logged, once the log holds at least {@code copies} copying statements and two
     * readings 200 ms apart agree (the server logs a statement's end after its answer went out).
     */
    private static Served served(ClickHouse ch, String name, long copies) throws InterruptedException {
        Served last = null;
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            Served now = servedOnce(ch, name);
            if ((now.copies() >= copies && now.equals(last)) || System.currentTimeMillis() > deadline) {
                return now;
            }
            last = now;
            Thread.sleep(200);
        }
    }

    private static Served servedOnce(ClickHouse ch, String name) {
        ch.execute("SYSTEM FLUSH LOGS");
        String event = "ProfileEvents.Values[indexOf(ProfileEvents.Names, '%s')]";
        String cpu = String.format(event, "UserTimeMicroseconds") + " + " + String.format(event,
                "SystemTimeMicroseconds");
        String copy = "query LIKE 'INSERT INTO%SELECT%'";
        String[] f = ch.scalar("SELECT count(), sum(query_duration_ms), sum(" + cpu + "), sum("
                + String.format(event, "OSCPUWaitMicroseconds") + "), countIf(" + copy + "), sumIf(query_duration_ms, "
                + copy + "), sumIf(" + cpu + ", " + copy + ") FROM system.query_log WHERE type = 2 AND"
                + " event_date >= yesterday() AND http_user_agent LIKE " + Sql.str(name + " %")
                // the client's first statement, made before the clock started
                + " AND query NOT LIKE 'SELECT version()%'"
                + " FORMAT TabSeparated").split("\t");
        return new Served(Long.parseLong(f[0]), Long.parseLong(f[1]) / 1e3, Long.parseLong(f[2]) / 1e6,
                Long.parseLong(f[3]) / 1e6, Long.parseLong(f[4]), Long.parseLong(f[5]) / 1e3,
                Long.parseLong(f[6]) / 1e6);
    }

    /** One timed Backfill; then the new table's count and checksum, and it is dropped with its view. */
    private static Measured backfillRound(ClickHouse ch, ClickHouseConfig inDb, SqlGen sql, ModelSpec v10,
                                          ModelSpec v11, boolean cascade, int r) throws Exception {
        List<Operation> ops = planned(ch, v10, v11, cascade);
        Operation.Backfill op = (Operation.Backfill) ops.get(1);
        new Applier(ch, null).apply("bench-versions-create-" + r + "-" + System.nanoTime(), List.of(ops.get(0)),
                line -> { });
        StreamBench.awaitMergesIdle(ch);
        String name = "dcm-bench-backfill-" + r + "-" + System.nanoTime();
        List<long[]> at = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        long t0, t1;
        try (ClickHouse timed = logged(inDb, name)) {
            Applier applier = new Applier(timed, null);
            t0 = System.nanoTime();
            applier.apply("bench-versions-backfill-" + r + "-" + System.nanoTime(), List.of(op), line -> {
                at.add(new long[] {System.nanoTime()});
                lines.add(line);
            });
            t1 = System.nanoTime();
        }
        Served server = served(ch, name, lines.stream().filter(VersionsBench::unitLine).count());
        if (r >= 0) {
            System.out.println("  round " + (r + 1) + " backfill: " + phases(t0, t1, at, lines) + "; " + server);
        }
        String sum = checksum(ch, v11.table().name(), op.copy().columns());
        for (MigrationView v : op.views()) {
            ch.execute("DROP TABLE IF EXISTS " + sql.t(v.name()));
        }
        ch.execute("DROP TABLE " + sql.t(v11.table().name()));
        return new Measured((t1 - t0) / 1e9, server, sum);
    }

    /** The plain INSERT ... SELECT of the same mapping into an identical empty table; its count and checksum. */
    private static Measured plainRound(ClickHouse ch, ClickHouseConfig inDb, SqlGen sql, ModelSpec v10, ModelSpec v11,
                                       boolean cascade, int r) throws Exception {
        MigrationView copy = ((Operation.Backfill) planned(ch, v10, v11, cascade).get(1)).copy();
        String plain = v11.table().name() + "_plain";
        ch.execute(sql.createTable(v11.table(), plain));
        StreamBench.awaitMergesIdle(ch);
        String name = "dcm-bench-plain-" + r + "-" + System.nanoTime();
        long t0, t1;
        try (ClickHouse timed = logged(inDb, name)) {
            t0 = System.nanoTime();
            timed.execute("INSERT INTO " + sql.t(plain) + " (" + String.join(", ", copy.columns().stream()
                    .map(Sql::id).toList()) + ") SELECT " + copy.selectList() + " FROM " + sql.t(copy.source()));
            t1 = System.nanoTime();
        }
        Served server = served(ch, name, 1);
        if (r >= 0) {
            System.out.printf(Locale.ROOT, "  round %d plain INSERT ... SELECT: %.2f s; %s%n", r + 1, (t1 - t0) / 1e9,
                    server);
        }
        String sum = checksum(ch, plain, copy.columns());
        ch.execute("DROP TABLE " + sql.t(plain));
        return new Measured((t1 - t0) / 1e9, server, sum);
    }

    private static String checksum(ClickHouse ch, String table, List<String> columns) {
        return ch.scalar("SELECT count(), sum(cityHash64(" + String.join(", ", columns.stream().map(Sql::id).toList())
                + ")) FROM " + Sql.table(DB, table) + " FORMAT TabSeparated");
    }

    /**
     * Where a backfill's time went, from its progress lines: before the step (lock, journal, live read), pause +
     * snapshot + views, the unit copies, the snapshot's drop + parity, after (journal).
     */
    private static String phases(long t0, long t1, List<long[]> at, List<String> lines) {
        long head = -1, views = -1, lastUnit = -1, parity = -1;
        int units = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            long t = at.get(i)[0];
            if (l.startsWith("[")) {
                head = t;
            } else if (l.contains("views created")) {
                views = t;
            } else if (unitLine(l)) {
                lastUnit = t;
                units++;
            } else if (l.contains("parity:")) {
                parity = t;
            }
        }
        if (head < 0 || views < 0 || lastUnit < 0 || parity < 0) {
            return "total " + ms(t1 - t0) + " (progress lines not recognised: " + lines + ")";
        }
        return String.format(Locale.ROOT, "total %s = before the step %s + pause, snapshot, views %s + %d unit"
                        + " copies %s (%s each) + drop snapshot, parity %s + after %s", ms(t1 - t0), ms(head - t0),
                ms(views - head), units, ms(lastUnit - views), ms((lastUnit - views) / Math.max(1, units)),
                ms(parity - lastUnit), ms(t1 - parity));
    }

    /** A progress line saying a unit was copied: {@code   [####      ] 3000000 of 10000000 rows}. */
    private static boolean unitLine(String line) {
        return line.startsWith("  [") && line.contains(" of ") && line.endsWith(" rows");
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    /** The backfill's copy unit, read from its class (package-private there). */
    private static long unitRows() {
        try {
            java.lang.reflect.Field f = Class.forName("dcm.migrate.Backfiller").getDeclaredField("UNIT_ROWS");
            f.setAccessible(true);
            return f.getLong(null);
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    // ---- 2. a sync into a version with a two-step view chain, against the same sync with no views

    private static void chain(ProjectConfig config, ClickHouse ch, Broker broker, boolean cascade) throws Exception {
        for (int w = 0; w < WARM_UP_ROUNDS; w++) {
            chainRound(config, ch, broker, cascade, "ChW" + w, false);
            noneRound(config, ch, broker, "ChW" + w, false);
        }
        double[] chain = new double[ROUNDS];
        double[] none = new double[ROUNDS];
        double[] ratios = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            if (r % 2 == 0) {
                chain[r] = chainRound(config, ch, broker, cascade, "Ch" + r, true);
                none[r] = noneRound(config, ch, broker, "Ch" + r, true);
            } else {
                none[r] = noneRound(config, ch, broker, "Ch" + r, true);
                chain[r] = chainRound(config, ch, broker, cascade, "Ch" + r, true);
            }
            ratios[r] = chain[r] / none[r];
            System.out.printf(Locale.ROOT, "  round %d (%s first): sync into 1.0 with views %.0f rows/s, with none"
                    + " %.0f rows/s, ratio %.2f%n", r + 1, r % 2 == 0 ? "views" : "none", chain[r], none[r], ratios[r]);
        }
        double ratio = Meter.median(ratios);
        System.out.printf(Locale.ROOT, "%-55s %8.0f rows/s   baseline: the same sync, no views %.0f rows/s   ratio"
                        + " %.2f (median of the rounds' ratios; rounds %s)%n",
                "sync into 1.0 carried on to 1.1 and 1.2 (" + SYNC_ROWS + ")", Meter.median(chain),
                Meter.median(none), ratio, Meter.list(ratios, "%.2f"));
    }

    /**
     * The model of StreamBench at 1.0, 1.1 (payload renamed to body, a new column with a default) and 1.2 (seq
     * converted Int64 -> UInt64, guarded; sentMs dropped): the sync lands the topic in 1.0's table, whose views
     * carry each insert on to 1.1's and 1.2's. Returns the sync's rows per second; checks every table got them all.
     */
    private static double chainRound(ProjectConfig config, ClickHouse ch, Broker broker, boolean cascade,
                                     String name, boolean print) throws Exception {
        ModelSpec v10 = StreamBench.model(name, name + "_1_0", DB + "." + name + "." + System.nanoTime(), 2);
        ColumnSpec id = v10.columns().get(0);
        ModelSpec v11 = later(name, "1.1", id, ColumnSpec.of("seq", "Int64"), ColumnSpec.of("sentMs", "Int64"),
                new ColumnSpec("body", "String", false, null, "payload"),
                new ColumnSpec("source", "String", false, "'bench'", null));
        ModelSpec v12 = later(name, "1.2", id, ColumnSpec.of("seq", "UInt64"), ColumnSpec.of("body", "String"),
                ColumnSpec.of("source", "String"));
        Map<String, List<ModelSpec>> old = new LinkedHashMap<>();
        old.put("1.0", List.of(v10));
        old.put("1.1", List.of(v11));
        Desired d = Versions.desired(List.of(v12), old, Mappings.GENERATED, cascade);
        if (!d.problems().isEmpty() || d.views().size() != (cascade ? 2 : 3)) {
            throw new IllegalStateException("unexpected views " + d.views() + ", problems " + d.problems());
        }
        SqlGen sql = new SqlGen(DB, ch.dialect());
        StreamBench.create(ch, broker, v10, config);
        for (ModelSpec m : List.of(v11, v12)) {
            ch.execute(sql.createTable(m.table(), m.table().name()));
        }
        for (MigrationView v : d.views()) {
            ch.execute(sql.createMigrationView(v));
        }
        if (print) {
            System.out.println("  views: " + String.join(", ", d.views().stream().map(v -> v.source() + " -> "
                    + v.target()).toList()));
        }
        double rate = StreamBench.syncRate(config, ch, broker, v10, SYNC_ROWS,
                () -> StreamBench.ingest(config, v10, SYNC_ROWS), print);
        for (ModelSpec m : List.of(v11, v12)) {
            long n = StreamBench.count(ch, m);
            if (n != SYNC_ROWS) {
                throw new IllegalStateException(m.table().name() + " holds " + n + " rows after the sync, not "
                        + SYNC_ROWS);
            }
        }
        if (print) {
            System.out.println("    " + v11.table().name() + " and " + v12.table().name() + " hold all " + SYNC_ROWS
                    + " rows too");
        }
        for (MigrationView v : d.views()) {
            ch.execute("DROP TABLE " + sql.t(v.name()));
        }
        for (ModelSpec m : List.of(v10, v11, v12)) {
            ch.execute("DROP TABLE " + sql.t(m.table().name()));
        }
        broker.deleteTopic(v10.topic().name());
        return rate;
    }

    /** The same sync (same model, rows and batch sizes) into a table with no views. */
    private static double noneRound(ProjectConfig config, ClickHouse ch, Broker broker, String name, boolean print)
            throws Exception {
        ModelSpec m = StreamBench.model(name, name + "_none", DB + "." + name + ".none." + System.nanoTime(), 2);
        StreamBench.create(ch, broker, m, config);
        double rate = StreamBench.syncRate(config, ch, broker, m, SYNC_ROWS, () -> StreamBench.ingest(config, m,
                SYNC_ROWS), print);
        ch.execute("DROP TABLE " + Sql.table(DB, m.table().name()));
        broker.deleteTopic(m.topic().name());
        return rate;
    }

    private static ModelSpec later(String name, String version, ColumnSpec... columns) {
        List<ColumnSpec> cols = List.of(columns);
        return new ModelSpec(name, version, cols, new TableSpec(name + "_" + version.replace('.', '_'), cols,
                "MergeTree", List.of("id"), null, LifeCycle.FULLY_MANAGED), null, false, "bench");
    }
}
