package dcm.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.clickhouse.ClickHouse;
import dcm.config.ClickHouseConfig;
import dcm.config.ProjectConfig;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.core.TableSpec;
import dcm.core.versions.Mapping;
import dcm.core.versions.MigrationView;
import dcm.ingest.SampleValues;
import dcm.migrate.MappingReport;
import dcm.migrate.MappingRun;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/bench mapping}: the mapping test ({@link MappingRun}, what {@code test-mapping} runs after
 * resolving the versions) of 1.0 -> 1.1 (a rename, a guarded String -> UInt16 conversion, a default, a dropped
 * column) on 100,000 generated rows (edge values first: some are refused and located), against a plain load of the
 * same JSON lines into a Memory table and an {@code INSERT ... SELECT} of the mapping over the rows that convert,
 * in the same run, rounds alternating.
 */
final class MappingTestBench {
    private static final int ROWS = Integer.getInteger("bench.mapping.rows", 100_000);
    private static final int ROUNDS = Integer.getInteger("bench.mapping.rounds", 3);

    private MappingTestBench() {}

    static void run(ProjectConfig config) {
        String db = "bench_mapping_" + ProcessHandle.current().pid();
        ClickHouseConfig c = config.clickhouse();
        try (ClickHouse root = new ClickHouse(c)) {
            root.execute("CREATE DATABASE IF NOT EXISTS " + Sql.id(db), false);
            try (ClickHouse ch = new ClickHouse(new ClickHouseConfig(c.host(), c.hostPort(), c.nativePort(), db,
                    c.user(), c.password(), c.useSsl()))) {
                rounds(ch);
            } finally {
                root.execute("DROP DATABASE IF EXISTS " + Sql.id(db), false);
            }
        }
    }

    private static void rounds(ClickHouse ch) {
        ModelSpec v10 = version("1.0", ColumnSpec.of("id", "String"), ColumnSpec.of("name", "String"),
                ColumnSpec.of("age", "String"), ColumnSpec.of("legacy", "Int32"));
        ModelSpec v11 = version("1.1", ColumnSpec.of("id", "String"), new ColumnSpec("fullName", "String", false,
                null, "name"), ColumnSpec.of("age", "UInt16"), new ColumnSpec("country", "String", false, "'nl'",
                null));
        MigrationView view = MigrationView.of(Mapping.generate(v10, v11), "Users_1_0", "Users_1_1", "generated");
        long g0 = System.nanoTime();
        byte[] lines = dcm.app.MappingTests.lines(SampleValues.generate(v10, ROWS));
        System.out.printf("mapping test: %d generated rows (%d edge rows first) made in %d ms, %d KB of JSON lines%n",
                ROWS, SampleValues.edgeRows(v10), (System.nanoTime() - g0) / 1_000_000, lines.length / 1024);
        for (int round = 0; round <= ROUNDS; round++) {
            long t0 = System.nanoTime();
            MappingReport r = new MappingRun(ch, view, v10.table().columns(), v11.table().columns())
                    .run(MappingRun.Input.lines(lines), 20, false, () -> false, line -> { });
            long test = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            long plainRows = plain(ch, view, v10, v11, lines, r);
            long plain = System.nanoTime() - t1;
            System.out.printf("  %s: test-mapping %d ms (%d of %d rows out, %d refused located), plain load +"
                    + " INSERT ... SELECT %d ms (%d rows): ratio %.2f%n", round == 0 ? "warm-up" : "round " + round,
                    test / 1_000_000, r.outRows(), r.rows(), r.count(MappingReport.Kind.DROPPED), plain / 1_000_000,
                    plainRows, (double) test / plain);
        }
    }

    /** The same rows into a Memory table, then the mapping into another over the rows the test kept. */
    private static long plain(ClickHouse ch, MigrationView view, ModelSpec v10, ModelSpec v11, byte[] lines,
                              MappingReport r) {
        List<String> in = new ArrayList<>(List.of("`_dcm_row` UInt64"));
        v10.table().columns().forEach(c -> in.add(Sql.id(c.name()) + " " + c.type()));
        List<String> out = new ArrayList<>();
        v11.table().columns().forEach(c -> out.add(Sql.id(c.name()) + " " + c.type()));
        try {
            ch.execute("CREATE TABLE " + Sql.table(ch.database(), "plain_in") + " (" + String.join(", ", in) + ") ENGINE = Memory");
            ch.execute("CREATE TABLE " + Sql.table(ch.database(), "plain_out") + " (" + String.join(", ", out) + ") ENGINE = Memory");
            ch.insertJsonEachRow("plain_in", lines);
            List<String> dropped = r.findings().stream().filter(f -> f.kind() == MappingReport.Kind.DROPPED)
                    .map(f -> String.valueOf(f.row())).toList();
            ch.execute("INSERT INTO " + Sql.table(ch.database(), "plain_out") + " (" + String.join(", ", view.columns().stream().map(Sql::id).toList())
                    + ") SELECT " + view.selectList() + " FROM " + Sql.table(ch.database(), "plain_in") + (dropped.isEmpty() ? ""
                    : " WHERE `_dcm_row` NOT IN (" + String.join(", ", dropped) + ")"));
            return Long.parseLong(String.valueOf(ch.query("SELECT count() AS n FROM plain_out", true).get(0, "n")));
        } finally {
            ch.execute("DROP TABLE IF EXISTS " + Sql.table(ch.database(), "plain_in"));
            ch.execute("DROP TABLE IF EXISTS " + Sql.table(ch.database(), "plain_out"));
        }
    }

    private static ModelSpec version(String version, ColumnSpec... columns) {
        List<ColumnSpec> cols = List.of(columns);
        return new ModelSpec("Users", version, cols, new TableSpec("Users_" + version.replace('.', '_'), cols,
                "MergeTree", List.of("id"), null, LifeCycle.FULLY_MANAGED), null, false, "bench");
    }
}
