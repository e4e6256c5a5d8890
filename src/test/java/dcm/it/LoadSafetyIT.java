package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import dcm.clickhouse.ClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project that did not load completely never drops anything: each example model broken in turn (a syntax error, a
 * bad ORDER BY, a record without fields, a second definition of its model) and applied with every flag leaves every
 * table, row, view and topic as it was, exits 1 and names the file and line.
 */
class LoadSafetyIT {
    @TempDir
    Path dir;
    TestServers.Isolated iso;
    ClickHouse ch;

    @BeforeEach
    void setUp() {
        iso = TestServers.isolated("load");
        ch = iso.clickhouse();
    }

    @AfterEach
    void tearDown() {
        iso.drop();
        ch.close();
    }

    private TestProjects.Run shell(String commands) {
        return iso.shell(dir, commands);
    }

    /** Tables and views with their engines and row counts, and the project's topics. */
    private String state() {
        List<String> out = new ArrayList<>();
        String tables = ch.scalar("SELECT arrayStringConcat(groupArray(concat(name, ' ', engine)), ',') FROM"
                + " (SELECT name, engine FROM system.tables WHERE database = '" + iso.db() + "' AND name NOT LIKE"
                + " '\\\\_dcm\\\\_%' ORDER BY name) FORMAT TabSeparated");
        for (String t : tables.split(",")) {
            String name = t.split(" ")[0];
            out.add(t + (t.endsWith("View") ? "" : " rows=" + RowCount.rows(ch, iso.db(), name)));
        }
        TreeSet<String> topics = new TreeSet<>(TestServers.get().broker().topicNames());
        topics.removeIf(t -> !t.startsWith(iso.db() + "."));
        out.add("topics " + topics);
        return String.join("\n", out);
    }

    @Test
    void breakingEachExampleModelInTurnDropsNothing() throws Exception {
        Map<String, String> models = TestProjects.exampleModels();
        TestProjects.create(dir, models);
        assertEquals(0, shell("apply --yes").exitCode());
        ch.execute("INSERT INTO `" + iso.db() + "`.`Users_1_0` (id, name) SELECT toString(number), 'n' FROM"
                + " system.numbers LIMIT 1000");
        ch.execute("INSERT INTO `" + iso.db() + "`.`UserEvents_1_0` (eventId, userId) SELECT toString(number), 'u'"
                + " FROM system.numbers LIMIT 700");
        String before = state();
        assertTrue(before.contains("Users_1_0 MergeTree rows=1000") && before.contains("UserEvents View")
                && before.contains("PageViews_1_0"), before);

        Map<String, UnaryOperator<String>> breakages = new LinkedHashMap<>();
        breakages.put("a syntax error", text -> text.replaceFirst("\\{}", "{"));
        breakages.put("a line that is not Java", text -> "this is not java;\n" + text);
        breakages.put("an ORDER BY field that is no column", text -> text.contains(".orderBy(")
                ? text.replaceFirst("\\.orderBy\\(", ".orderBy(\"nope\", ") : text + "\nint boom = 1 / 0;\n");
        breakages.put("a record without fields", text -> text + "\nrecord Bad() {}\nnew OlapTable<>(\"Bad\", Bad.class);\n");
        for (String file : models.keySet()) {
            for (Map.Entry<String, UnaryOperator<String>> b : breakages.entrySet()) {
                Files.writeString(dir.resolve("models").resolve(file), b.getValue().apply(models.get(file)));
                String what = file + " with " + b.getKey();
                TestProjects.Run apply = shell("apply --yes --allow-destructive");
                assertEquals(1, apply.exitCode(), what + "\n" + apply.out() + apply.err());
                assertTrue(apply.err().matches("(?s).*models/" + java.util.regex.Pattern.quote(file) + ":\\d+.*"),
                        what + "\n" + apply.err());
                assertTrue(apply.err().contains("apply refused: the models did not load completely"), apply.err());
                TestProjects.Run plan = shell("plan");
                assertEquals(1, plan.exitCode(), what + "\n" + plan.out() + plan.err());
                assertTrue(plan.err().contains("this plan is incomplete"), what + "\n" + plan.err());
                assertFalse((plan.out() + plan.err()).matches("(?s).*(\n- |drop table|drop view|delete topic).*"),
                        what + "\n" + plan.out() + plan.err());
                assertEquals(before, state(), what);
            }
            Files.writeString(dir.resolve("models").resolve(file), models.get(file));
        }
        // a second file defining a model again, with another record
        Files.writeString(dir.resolve("models/users_again.jsh"), "record Person(String id, int n) {}\n"
                + "new OlapTable<>(\"Users\", Person.class);\n");
        TestProjects.Run apply = shell("apply --yes --allow-destructive");
        assertEquals(1, apply.exitCode(), apply.out() + apply.err());
        assertTrue(apply.err().contains("models/users_again.jsh:2: model Users is already defined at"
                + " models/users.jsh:"), apply.err());
        assertEquals(before, state());
        Files.delete(dir.resolve("models/users_again.jsh"));
        TestProjects.Run plan = shell("plan");
        assertEquals(0, plan.exitCode(), plan.out() + plan.err());
        assertTrue(plan.out().contains("no changes"), plan.out());
    }

    @Test
    void aModelWithoutFieldsLeavesEveryOtherCommandWorking() throws Exception {
        TestProjects.create(dir, Map.of("bad.jsh", "record Bad() {}\nnew OlapTable<>(\"Bad\", Bad.class);\n"));
        TestServers.get().clickhouse().execute("CREATE DATABASE IF NOT EXISTS `" + iso.db() + "`");
        TestProjects.Run r = TestProjects.shell(iso.env(), "", "--project", dir.toString(), "--no-infra", "--debug",
                "-c", "sql SELECT 1 AS one");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("one\n1\n"), r.out());
        assertTrue(r.err().contains("models/bad.jsh:2: model Bad: record Bad has no fields"), r.err());
    }

    @Test
    void sqlInTheModelsThatClickHouseRefusesIsReportedAtItsLineBeforeAnythingIsApplied() throws Exception {
        TestProjects.create(dir, Map.of("f.jsh", """
                record F(@Key String id,
                         @Default("'abc'") int n,
                         Instant at) {}

                new OlapTable<>("F", F.class).partitionBy("toYYYYMMM(at)");
                """));
        TestServers.get().clickhouse().execute("CREATE DATABASE IF NOT EXISTS `" + iso.db() + "`");
        TestProjects.Run plan = shell("plan");
        assertEquals(1, plan.exitCode(), plan.out() + plan.err());
        assertTrue(plan.err().contains("models/f.jsh:2: model F, field n: default 'abc': Cannot parse string 'abc' as"
                + " Int32"), plan.err());
        assertTrue(plan.err().contains("models/f.jsh:5: model F: partition toYYYYMMM(at): Unknown function"
                + " toYYYYMMM"), plan.err());
        TestProjects.Run apply = shell("apply --yes --allow-destructive");
        assertEquals(1, apply.exitCode(), apply.out() + apply.err());
        assertTrue(apply.err().contains("apply refused: ClickHouse refuses 2 piece(s) of SQL"), apply.err());
        assertEquals("0", ch.scalar("SELECT count() FROM system.tables WHERE database = '" + iso.db() + "' AND name"
                + " LIKE 'F%' FORMAT TabSeparated"), "nothing was created");
        // an injection attempt in a type is refused where the model is loaded, at the field's line
        Files.writeString(dir.resolve("models/f.jsh"), "record F(@Key String id,\n"
                + "    @ClickHouseType(\"String, evil UInt8\") String s) {}\nnew OlapTable<>(\"F\", F.class);\n");
        apply = shell("apply --yes");
        assertEquals(1, apply.exitCode());
        assertTrue(apply.err().contains("models/f.jsh:2: F.s: @ClickHouseType(\"String, evil UInt8\") is not one"
                + " ClickHouse type"), apply.err());
    }
}
