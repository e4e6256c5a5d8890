package dcm.bench;

import dcm.clickhouse.ClickHouse;
import dcm.config.ClickHouseConfig;
import dcm.config.ProjectConfig;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.core.TableSpec;
import dcm.core.live.LiveState;
import dcm.core.plan.Plan;
import dcm.core.plan.PlanOptions;
import dcm.core.plan.Planner;
import dcm.core.plan.SqlGen;
import dcm.migrate.Journal;
import dcm.migrate.LiveReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plan time for 1,000 models of 30 columns against a live database that already has them (live-state reading
 * included), against the baseline of the two raw system-table queries that reading needs. Target: under 1 s.
 */
final class PlanBench {
    private static final int MODELS = 1000;
    private static final int COLUMNS = 30;

    private PlanBench() {}

    static void run(ProjectConfig config) {
        ClickHouseConfig c = config.clickhouse();
        String db = "dcm_bench_plan";
        try (ClickHouse ch = new ClickHouse(new ClickHouseConfig(c.host(), c.hostPort(), c.nativePort(), db, c.user(),
                c.password(), c.useSsl()))) {
            if (!ch.answers()) {
                System.out.println("plan bench skipped: ClickHouse does not answer at " + c.endpoint()
                        + " (run `./shell -c \"infra up\"`)");
                return;
            }
            List<ModelSpec> models = models();
            setUp(ch, db, models);
            for (int i = 0; i < 2; i++) {
                plan(ch, models);
            }
            long planMs = median(() -> plan(ch, models));
            long rawMs = median(() -> {
                long t0 = System.nanoTime();
                String d = Sql.str(db);
                ch.query("SELECT name, engine, sorting_key, primary_key, partition_key, create_table_query FROM"
                        + " system.tables WHERE database = " + d, false);
                ch.query("SELECT table, name, type, default_kind, default_expression FROM system.columns WHERE"
                        + " database = " + d, false);
                return (System.nanoTime() - t0) / 1_000_000;
            });
            System.out.printf(Locale.ROOT, "%-55s %8d ms   baseline: %s %d ms   ratio %.2f   (target < 1000 ms: %s)%n",
                    "plan 1,000 models x 30 columns (live read included)", planMs, "2 raw system queries", rawMs,
                    planMs / (double) Math.max(1, rawMs), planMs < 1000 ? "met" : "MISSED");
        }
    }

    private static long plan(ClickHouse ch, List<ModelSpec> models) {
        long t0 = System.nanoTime();
        LiveState live = LiveReader.read(ch, null);
        Plan p = Planner.plan(models, live, PlanOptions.DEFAULT);
        if (!p.isEmpty() || !p.findings().isEmpty()) {
            throw new IllegalStateException("bench database differs from the models: " + (p.isEmpty()
                    ? p.findings().get(0).message() : p.operations().get(0)));
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static List<ModelSpec> models() {
        List<ModelSpec> out = new ArrayList<>();
        for (int m = 0; m < MODELS; m++) {
            List<ColumnSpec> cols = new ArrayList<>();
            cols.add(new ColumnSpec("id", "String", true, null, null));
            for (int i = 1; i < COLUMNS; i++) {
                cols.add(ColumnSpec.of("f" + i, i % 3 == 0 ? "Int64" : i % 3 == 1 ? "String" : "DateTime"));
            }
            String name = "M" + m;
            out.add(new ModelSpec(name, "1.0", cols, new TableSpec(name + "_1_0", cols, "MergeTree", List.of("id"),
                    null, LifeCycle.FULLY_MANAGED), null, false, "bench"));
        }
        return out;
    }

    private static void setUp(ClickHouse ch, String db, List<ModelSpec> models) {
        ch.execute("CREATE DATABASE IF NOT EXISTS " + Sql.id(db));
        // the models' tables and views, recorded as dcm's (as apply would have made them)
        long have = Long.parseLong(ch.scalar("SELECT count() FROM system.tables WHERE database = " + Sql.str(db)
                + " AND name NOT LIKE '\\_dcm\\_%' FORMAT TabSeparated"));
        if (have == 2L * models.size() && ch.tableExists("_dcm_objects") && Long.parseLong(ch.scalar(
                "SELECT uniqExact(name) FROM " + Sql.table(db, "_dcm_objects") + " FORMAT TabSeparated")) == have) {
            return;
        }
        ch.execute("DROP DATABASE IF EXISTS " + Sql.id(db));
        ch.execute("CREATE DATABASE " + Sql.id(db));
        SqlGen gen = new SqlGen(db, ch.dialect());
        for (ModelSpec m : models) {
            ch.execute(gen.createTable(m.table(), m.table().name()));
            ch.execute("CREATE VIEW " + Sql.table(db, m.name()) + " AS SELECT * FROM " + Sql.table(db, m.table().name()));
        }
        Journal journal = new Journal(ch);
        journal.ensure();
        journal.recordObjects(models.stream().map(m -> m.table().name()).toList(), "table", LifeCycle.FULLY_MANAGED);
        journal.recordObjects(models.stream().map(ModelSpec::name).toList(), "view", LifeCycle.FULLY_MANAGED);
    }

    private static long median(Bench.Timed t) {
        try {
            return Bench.median(5, t);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
