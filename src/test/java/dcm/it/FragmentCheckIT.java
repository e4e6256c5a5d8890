package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.api.ClickHouseType;
import dcm.api.Default;
import dcm.api.Key;
import dcm.api.ModelAssembler;
import dcm.api.OlapTable;
import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TableSpec;
import dcm.core.plan.SqlGen;
import dcm.migrate.FragmentCheck;
import dcm.migrate.FragmentCheck.Kind;
import dcm.migrate.FragmentCheck.Problem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server check of models' hand-written SQL, against the real ClickHouse. */
class FragmentCheckIT {
    record Good(@Key String id, @ClickHouseType("LowCardinality(String)") String country,
                @ClickHouseType("Enum8('a' = 1, 'it\\'s' = 2)") String kind,
                @ClickHouseType("Array(Nullable(String))") List<String> tags,
                @ClickHouseType("AggregateFunction(uniq, String)") String visitors,
                @ClickHouseType("Decimal(38, 9)") String money, long ver, Instant at,
                @Default("concat(id, '-', country)") String label, @Default("now()") Instant seen,
                @Default("'it''s'") String quoted, @Default("toUInt32(ver) + 1") int next) {}

    record UnknownType(@Key String id, @ClickHouseType("Strin") String name) {}

    record NewerType(@Key String id, @ClickHouseType("DateTime64(3)") String at) {}

    record BadDefault(@Key String id, @Default("'abc'") int n, @Default("nope + 1") int m) {}

    record Dated(@Key String id, Instant at) {}

    ClickHouse ch;
    TestServers.Isolated iso;
    FragmentCheck check;

    @BeforeEach
    void setUp() {
        iso = TestServers.isolated("frag");
        ch = iso.clickhouse();
        ch.execute("CREATE DATABASE IF NOT EXISTS `" + iso.db() + "`");
        check = new FragmentCheck(ch);
    }

    @AfterEach
    void tearDown() {
        iso.drop();
        ch.close();
    }

    private ModelSpec model(OlapTable<?> table) {
        return ModelAssembler.assembleOne(List.of(new ModelAssembler.Definition(table, "models/m.jsh:1")),
                new ModelAssembler.Settings("1.0", "", 1000L, ch.dialect()));
    }

    private Problem only(List<Problem> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    @Test
    void validFragmentsPassAndClickHouseCreatesTheTable() {
        ModelSpec good = model(new OlapTable<>("Good", Good.class).engine("ReplacingMergeTree(ver)")
                .partitionBy("(toYYYYMM(at), country)"));
        assertEquals(List.of(), check.check(List.of(good)));
        ch.execute(new SqlGen(iso.db(), ch.dialect()).createTable(good.table(), good.table().name()));
        assertTrue(ch.tableExists(good.table().name()));
    }

    @Test
    void anUnknownTypeIsReportedAtItsField() {
        Problem p = only(check.check(List.of(model(new OlapTable<>("U", UnknownType.class)))));
        assertEquals(List.of("U", "1.0", "name", Kind.TYPE, "Strin", 50),
                List.of(p.model(), p.version(), p.field(), p.kind(), p.fragment(), p.code()));
        assertTrue(p.message().startsWith("Unknown data type family: Strin"), p.message());
        assertEquals(null, p.hint());
    }

    @Test
    void aTypeOnlyNewerServersKnowSaysSo() {
        List<Problem> problems = check.check(List.of(model(new OlapTable<>("N", NewerType.class))));
        if (ch.dialect().dateTime64()) {
            assertEquals(List.of(), problems);
            return;
        }
        Problem p = only(problems);
        assertEquals("at", p.field());
        assertEquals(Kind.TYPE, p.kind());
        assertEquals(50, p.code());
        assertTrue(p.message().startsWith("Unknown data type family: DateTime64"), p.message());
        assertEquals("DateTime64 needs a newer ClickHouse server (20.1 or later) than this one ("
                + ch.dialect().version() + "): upgrade the server or use a type it has", p.hint());
    }

    @Test
    void defaultsAreCastToTheirColumnTypeInTheContextOfTheOtherColumns() {
        List<Problem> problems = check.check(List.of(model(new OlapTable<>("D", BadDefault.class))));
        assertEquals(2, problems.size(), problems.toString());
        Problem abc = problems.get(0);
        assertEquals("n", abc.field());
        assertEquals(Kind.DEFAULT, abc.kind());
        assertEquals("'abc'", abc.fragment());
        assertEquals(6, abc.code());
        assertTrue(abc.message().startsWith("Cannot parse string 'abc' as Int32"), abc.message());
        Problem nope = problems.get(1);
        assertEquals("m", nope.field());
        assertEquals(47, nope.code());
        assertTrue(nope.message().contains("nope"), nope.message());
        assertTrue(abc.describe().startsWith("D@1.0 n: default 'abc': Cannot parse string"), abc.describe());
    }

    @Test
    void aBadPartitionExpressionIsReportedForTheTable() {
        Problem p = only(check.check(List.of(model(new OlapTable<>("P", Dated.class).partitionBy("toYYYYMMM(at)")))));
        assertEquals(List.of("P", "1.0", Kind.PARTITION, "toYYYYMMM(at)", 46),
                List.of(p.model(), p.version(), p.kind(), p.fragment(), p.code()));
        assertEquals(null, p.field());
        assertTrue(p.message().startsWith("Unknown function toYYYYMMM"), p.message());
        p = only(check.check(List.of(model(new OlapTable<>("P", Dated.class).partitionBy("toYYYYMM(id)")))));
        assertEquals(43, p.code());
        assertTrue(p.message().contains("Illegal type String of argument of function toYYYYMM"), p.message());
    }

    @Test
    void expressionsWaitForTheTypesTheyNeed() {
        TableSpec t = new TableSpec("Mixed_1_0", List.of(ColumnSpec.of("id", "Strin"),
                new ColumnSpec("n", "Int32", false, "'abc'", null)), "MergeTree", List.of("id"), null,
                LifeCycle.FULLY_MANAGED);
        ModelSpec m = new ModelSpec("Mixed", "1.0", t.columns(), t, null, false, "x:1");
        Problem p = only(check.check(List.of(m)));
        assertEquals(Kind.TYPE, p.kind());
        assertEquals("id", p.field());
    }

    @Test
    void fragmentsTheLocalCheckRefusesNeverReachTheServer() {
        TableSpec t = new TableSpec("Sneaky_1_0", List.of(ColumnSpec.of("id", "String"),
                new ColumnSpec("n", "Int32", false, "1) AS x, (SELECT 1", null)), "MergeTree", List.of("id"), null,
                LifeCycle.FULLY_MANAGED);
        Problem p = only(check.check(List.of(new ModelSpec("Sneaky", "1.0", t.columns(), t, null, false, "x:1"))));
        assertEquals(new Problem("Sneaky", "1.0", "n", Kind.DEFAULT, "1) AS x, (SELECT 1", 0,
                "')' at column 2 closes nothing; the brackets are unbalanced", null), p);
    }

    @Test
    void theCheckRunsReadOnlyWithTheClientsSettingsAndIsQuick() {
        ClickHouseException e = assertThrows(ClickHouseException.class, () -> ch.readOnlyText(
                "CREATE TABLE `" + iso.db() + "`.`written` (a UInt8) ENGINE = Memory"));
        assertEquals(164, e.code(), e.getMessage());
        assertFalse(ch.tableExists("written"));
        assertEquals("2", ch.readOnlyText("SELECT value FROM system.settings WHERE name = 'readonly'"
                + " FORMAT TabSeparated").strip());
        if (ch.dialect().lowCardinalityExperimental()) {
            assertEquals("1", ch.readOnlyText("SELECT value FROM system.settings WHERE name ="
                    + " 'allow_experimental_low_cardinality_type' FORMAT TabSeparated").strip());
        }

        List<ModelSpec> three = List.of(
                model(new OlapTable<>("Good", Good.class).partitionBy("toYYYYMM(at)")),
                model(new OlapTable<>("Dated", Dated.class).partitionBy("toYYYYMM(at)")),
                model(new OlapTable<>("Other", Good.class).engine("ReplacingMergeTree(ver)")));
        assertEquals(List.of(), check.check(three)); // warm: connection and dialect
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            assertEquals(List.of(), check.check(three));
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("FragmentCheck of 3 valid models: best of 5 %.1f ms%n", best / 1e6);
        long t0 = System.nanoTime();
        assertEquals(2, check.check(List.of(model(new OlapTable<>("D", BadDefault.class)))).size());
        System.out.printf("FragmentCheck of 1 model with 2 bad defaults (the fallback path): %.1f ms%n",
                (System.nanoTime() - t0) / 1e6);
    }
}
