package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import dcm.clickhouse.ClickHouse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every name the models accept round-trips: model and field names that are SQL keywords, that start with an
 * underscore, hold digits or are as long as a name may be are applied, and the next plan is empty.
 */
class KeywordNamesIT {
    /** 124 characters: with the version suffix {@code _1_0}, the table name has the 128 that names allow. */
    private static final String LONG_MODEL = "L" + "o".repeat(123);
    private static final String LONG_FIELD = "f" + "1".repeat(127);
    @TempDir
    Path dir;
    TestServers.Isolated iso;
    ClickHouse ch;

    @BeforeEach
    void setUp() {
        iso = TestServers.isolated("kw");
        ch = iso.clickhouse();
    }

    @AfterEach
    void tearDown() {
        iso.drop();
        var broker = TestServers.get().broker();
        broker.topicNames().stream().filter(t -> t.startsWith(iso.db() + ".")).forEach(broker::deleteTopic);
        ch.close();
    }

    @Test
    void keywordAndOddButValidNamesApplyAndThenPlanNothing() {
        String models = "record table(@Key String select, String from, int order, String where, String group,"
                + " long limit, String format, String settings, String _x, String a1b2, String " + LONG_FIELD + ") {}\n"
                + "new OlapTable<>(\"table\", table.class).orderBy(\"from\", \"order\");\n"
                + "record select(@Key String from, String where, int group) {}\n"
                + "new IngestPipeline<>(\"select\", select.class).orderBy(\"where\", \"from\");\n"
                + "record from(@Key String order) {}\nnew OlapTable<>(\"from\", from.class);\n"
                + "record order(@Key String by) {}\nnew IngestPipeline<>(\"order\", order.class);\n"
                + "record where(@Key String x) {}\nnew OlapTable<>(\"where\", where.class);\n"
                + "record group(@Key String by) {}\nnew OlapTable<>(\"group\", group.class);\n"
                + "record limit(@Key String offset) {}\nnew IngestPipeline<>(\"limit\", limit.class);\n"
                + "record format(@Key String JSON) {}\nnew OlapTable<>(\"format\", format.class);\n"
                + "record settings(@Key String max_threads) {}\nnew OlapTable<>(\"settings\", settings.class);\n"
                + "record _x(@Key String _y) {}\nnew IngestPipeline<>(\"_x\", _x.class);\n"
                + "record m2024v2(@Key String a1) {}\nnew OlapTable<>(\"m2024v2\", m2024v2.class);\n"
                + "record " + LONG_MODEL + "(@Key String id) {}\nnew IngestPipeline<>(\"" + LONG_MODEL + "\", "
                + LONG_MODEL + ".class);\n";
        TestProjects.create(dir, Map.of("k.jsh", models));
        TestProjects.Run applied = shell("apply --yes");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        assertTrue(applied.out().contains("applied 29 operation(s)"), applied.out());

        TestProjects.Run r = shell("plan");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("no changes: the database and broker match the models"), r.out());
        assertEquals("12\t12", ch.scalar("SELECT countIf(engine = 'MergeTree'), countIf(engine = 'View') FROM"
                + " system.tables WHERE database = '" + iso.db() + "' AND name NOT LIKE '\\\\_dcm\\\\_%'"
                + " FORMAT TabSeparated"));
        assertEquals("select,from,order,where,group,limit,format,settings,_x,a1b2," + LONG_FIELD,
                ch.scalar("SELECT arrayStringConcat(groupArray(name), ',') FROM system.columns WHERE database = '"
                        + iso.db() + "' AND table = 'table' FORMAT TabSeparated"));
        assertTrue(TestServers.get().broker().topicNames().containsAll(java.util.List.of(iso.db() + ".select_1_0",
                iso.db() + "._x_1_0", iso.db() + "." + LONG_MODEL + "_1_0")));
    }

    private TestProjects.Run shell(String commands) {
        return iso.shell(dir, commands);
    }
}
