package dcm.core.plan;

import static dcm.core.plan.Fixtures.col;
import static dcm.core.plan.Fixtures.lcol;
import static dcm.core.plan.Fixtures.lines;
import static dcm.core.plan.Fixtures.live;
import static dcm.core.plan.Fixtures.model;
import static dcm.core.plan.Fixtures.plan;
import static dcm.core.plan.Fixtures.renamed;
import static dcm.core.plan.Fixtures.stream;
import static dcm.core.plan.Fixtures.table;
import static dcm.core.plan.Fixtures.view;
import static dcm.core.plan.Fixtures.viewAs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import dcm.core.live.LiveColumn;
import dcm.core.live.LiveState;
import dcm.core.live.LiveTable;
import dcm.core.plan.Finding.Code;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private static final LiveState USERS = live()
            .made(table("Users_1_0", "id", lcol("id", "String"), lcol("name", "String"), lcol("age", "Int32")))
            .made(view("Users", "Users_1_0", lcol("id", "String"), lcol("name", "String"), lcol("age", "Int32")))
            .build();

    @Test
    void nothingLiveCreatesTableAliasViewAndTopic() {
        Plan p = plan(LiveState.empty(), model("Users", col("id", "String")), stream("Clicks", 3, 1000));
        assertEquals(List.of("+ Users_1_0: create table Users_1_0 (1 columns, ORDER BY id)",
                "+ Users: create view Users AS SELECT * FROM Users_1_0",
                "+ Clicks_1_0: create topic Clicks_1_0 (3 partition(s), retention 1000 ms)"), lines(p));
        assertFalse(p.destructive());
    }

    @Test
    void equivalentSpellingsAreNoChange() {
        LiveState l = live()
                .made(table("E_1_0", "(id, at)", lcol("id", "String"), lcol("at", "DateTime"),
                        lcol("amount", "Decimal(38, 9)"), lcol("kind", "Enum8('A' = 1, 'B' = 2)")))
                .made(view("E", "E_1_0", lcol("id", "String"), lcol("at", "DateTime"), lcol("amount", "Decimal(38, 9)"),
                        lcol("kind", "Enum8('A' = 1, 'B' = 2)")))
                .build();
        Plan p = plan(l, model("E", LifeCycle.FULLY_MANAGED, List.of("id", "at"), col("id", "String"),
                col("at", "DateTime"), col("amount", "Decimal(38,9)"), col("kind", "Enum8('A'=1, 'B'=2)")));
        assertTrue(p.isEmpty(), lines(p).toString());
    }

    @Test
    void columnsAreAddedInPositionDroppedRetypedAndTheViewFollows() {
        Plan p = plan(USERS, model("Users", col("id", "String"), col("email", "String"), col("age", "Int64")));
        assertEquals(List.of("+ Users_1_0: email: String (after id)", "~ Users_1_0: age: Int32 -> Int64",
                "- Users_1_0: name: String", "- Users: drop view Users",
                "+ Users: create view Users AS SELECT * FROM Users_1_0"), lines(p));
        assertTrue(p.destructive());
        List<Code> codes = p.findings().stream().map(Finding::code).toList();
        assertTrue(codes.containsAll(List.of(Code.DATA_DEPENDENT, Code.BACKWARD_INCOMPATIBLE, Code.DESTRUCTIVE,
                Code.LIKELY_RENAME)), codes.toString());
    }

    @Test
    void theAliasViewIsReCreatedOnlyWhenItsColumnsWouldDifferFromTheTables() {
        // a new default and a new ORDER BY change no column: the view stays
        Plan p = plan(USERS, model("Users", col("id", "String"), new ColumnSpec("name", "String", false, "'x'", null),
                col("age", "Int32")));
        assertEquals(List.of("~ Users_1_0: name: String DEFAULT (none) -> 'x'"), lines(p));
        p = plan(USERS, model("Users", LifeCycle.FULLY_MANAGED, List.of("age", "id"), col("id", "String"),
                col("name", "String"), col("age", "Int32")));
        assertEquals(List.of("~ Users_1_0: rebuild keeping every row: ORDER BY id -> age, id"), lines(p));
        // a drop the lifecycle blocks leaves the columns as they are
        p = plan(USERS, model("Users", LifeCycle.DELETION_PROTECTED, List.of("id"), col("id", "String"),
                col("age", "Int32")));
        assertTrue(p.isEmpty(), lines(p).toString());
        // a view whose columns are stale is re-created though nothing else changes
        LiveState stale = live().made(USERS.tables().get("Users_1_0"))
                .made(view("Users", "Users_1_0", lcol("id", "String"), lcol("name", "String"))).build();
        assertEquals(List.of("- Users: drop view Users", "+ Users: create view Users AS SELECT * FROM Users_1_0"),
                lines(plan(stale, model("Users", col("id", "String"), col("name", "String"), col("age", "Int32")))));
    }

    @Test
    void anUndeclaredRenameIsFlaggedWithTheModelChangeThatDeclaresIt() {
        Plan p = plan(USERS, model("Users", col("id", "String"), col("fullName", "String"), col("age", "Int32")));
        Finding f = p.findings().stream().filter(x -> x.code() == Code.LIKELY_RENAME).findFirst().orElseThrow();
        assertEquals("drop name + add fullName (both String) looks like a rename; as planned, the data of name is"
                + " lost", f.message());
        assertEquals("declare it in the model: @RenamedFrom(\"name\") on the field fullName", f.fix());
    }

    @Test
    void aDeclaredRenameKeepsTheData() {
        Plan p = plan(USERS, model("Users", col("id", "String"), renamed("fullName", "String", "name"),
                col("age", "Int32")));
        assertEquals("~ Users_1_0: name -> fullName: String (rename, data kept)", lines(p).get(0));
        assertFalse(p.destructive());
        assertTrue(p.findings().stream().noneMatch(f -> f.code() == Code.LIKELY_RENAME));
    }

    @Test
    void orderByChangeIsARebuildNeverDropAndCreate() {
        Plan p = plan(USERS, model("Users", LifeCycle.FULLY_MANAGED, List.of("age", "id"), col("id", "String"),
                col("name", "String"), col("age", "Int32")));
        Operation.RebuildTable r = assertInstanceOf(Operation.RebuildTable.class, p.operations().get(0));
        assertEquals("ORDER BY id -> age, id", r.reason());
        assertEquals(List.of("id", "name", "age"), r.copyColumns());
        assertFalse(p.destructive());
        assertTrue(p.operations().stream().noneMatch(o -> o instanceof Operation.DropTable));
    }

    @Test
    void rebuildCarriesRenamesAndConversions() {
        Plan p = plan(USERS, model("Users", LifeCycle.FULLY_MANAGED, List.of("id", "age"), col("id", "String"),
                renamed("fullName", "String", "name"), col("age", "Int64")));
        Operation.RebuildTable r = (Operation.RebuildTable) p.operations().get(0);
        assertEquals(List.of("`id`", "`name`", "CAST(`age` AS Int64)"), r.copyExpressions());
        assertEquals(List.of("id", "fullName", "age"), r.copyColumns());
    }

    @Test
    void aRebuildShowsEveryColumnChangeThatComesWithIt() {
        LiveState l = live().made(table("T_1_0", "id", lcol("id", "String"), lcol("name", "String"),
                lcol("age", "String"), lcol("score", "Int64"))).build();
        ColumnSpec[] cols = {col("id", "String"), renamed("fullName", "String", "name"), col("age", "Int32"),
                new ColumnSpec("city", "String", false, "'nl'", null)};
        Operation.RebuildTable r = (Operation.RebuildTable) plan(l, model("T", LifeCycle.FULLY_MANAGED,
                List.of("age", "id"), cols)).operations().get(0);
        assertEquals(List.of("~ name -> fullName: String (rename, data kept)",
                "~ age: String -> Int32 (every value converted)",
                "+ city: String DEFAULT 'nl' (new: existing rows get the default)",
                "- score: Int64 (left out: its values are lost, every row is kept)"),
                r.columnChanges().stream().map(c -> c.symbol() + " " + c.describe()).toList());
        r = (Operation.RebuildTable) plan(l, model("T", LifeCycle.DELETION_PROTECTED, List.of("age", "id"), cols))
                .operations().get(0);
        assertEquals("~ score: Int64 (kept: the table is DELETION_PROTECTED)", r.columnChanges().get(3).symbol() + " "
                + r.columnChanges().get(3).describe());
    }

    @Test
    void eachLossIsOneFindingSayingExactlyWhatIsLost() {
        LiveState l = live().made(table("T_1_0", "id", lcol("id", "String"), lcol("score", "Int64")))
                .made(table("R_1_0", "id", lcol("id", "String"), lcol("extra", "Int32")))
                .made(table("K_1_0", "id", lcol("id", "String")))
                .with(table("Gone_1_0", "id", lcol("id", "String"))).recorded("Gone_1_0", LifeCycle.FULLY_MANAGED)
                .topic("Gone_1_0", 1, 1000).build();
        Plan p = plan(l, model("T", col("id", "String")), model("R", LifeCycle.FULLY_MANAGED, List.of("id", "x"),
                col("id", "String"), col("x", "String")), model("K", LifeCycle.FULLY_MANAGED, List.of(), col("id",
                "String")));
        assertEquals(List.of("T_1_0: loses column score (Int64) of T_1_0 and all its values",
                "R_1_0: loses column extra (Int32) of R_1_0 and its values (the rebuild keeps every row)",
                "Gone_1_0: loses table Gone_1_0 and all its rows",
                "Gone_1_0: loses topic Gone_1_0 and all its records"), p.findings().stream()
                .filter(f -> f.code() == Code.DESTRUCTIVE).map(f -> f.target() + ": " + f.message()).toList());
        assertTrue(p.operations().stream().anyMatch(o -> o.target().equals("K_1_0")), "K_1_0 is rebuilt, losing"
                + " nothing");
    }

    @Test
    void deletionProtectedNeverDropsColumnsOrTables() {
        Plan p = plan(live().made(USERS.tables().get("Users_1_0")).with(table("Old_1_0", "id", lcol("id", "String")))
                        .recorded("Old_1_0", LifeCycle.DELETION_PROTECTED).build(),
                model("Users", LifeCycle.DELETION_PROTECTED, List.of("id"), col("id", "String")));
        assertTrue(p.operations().stream().noneMatch(Operation::destructive), lines(p).toString());
        assertEquals(List.of("drop column name: the table is DELETION_PROTECTED", "drop column age: the table is"
                + " DELETION_PROTECTED", "no model wants it any more, but it was created DELETION_PROTECTED: not"
                + " dropped"), p.blocked().stream().map(Finding::message).toList());
    }

    @Test
    void deletionProtectedRebuildKeepsOldTableAndColumns() {
        Plan p = plan(USERS, model("Users", LifeCycle.DELETION_PROTECTED, List.of("age", "id"), col("id", "String"),
                col("age", "Int32")));
        Operation.RebuildTable r = (Operation.RebuildTable) p.operations().get(0);
        assertTrue(r.keepOld());
        assertEquals(List.of("id", "age", "name"), r.table().columns().stream().map(c -> c.name()).toList());
        assertFalse(r.destructive());
    }

    @Test
    void externallyManagedIsNeverTouched() {
        Plan p = plan(USERS, model("Users", LifeCycle.EXTERNALLY_MANAGED, List.of("id"), col("id", "String")));
        assertTrue(p.isEmpty(), lines(p).toString());
        p = plan(LiveState.empty(), model("Users", LifeCycle.EXTERNALLY_MANAGED, List.of("id"), col("id", "String")));
        assertTrue(p.isEmpty());
        assertEquals(Code.PROTECTED, p.blocked().get(0).code());
    }

    @Test
    void onlyObjectsThisToolCreatedFullyManagedAreDropped() {
        LiveState l = live().with(table("Gone_1_0", "id", lcol("id", "String")))
                .with(table("Foreign", "id", lcol("id", "String")))
                .recorded("Gone_1_0", LifeCycle.FULLY_MANAGED)
                .topic("Gone_1_0", 1, 1000).recorded("Gone_1_0", LifeCycle.FULLY_MANAGED).build();
        assertEquals(List.of("- Gone_1_0: drop table Gone_1_0", "- Gone_1_0: delete topic Gone_1_0"),
                lines(plan(l)));
    }

    @Test
    void aTableDcmDidNotCreateIsForeignAndNothingIsPlannedOnIt() {
        LiveState l = live().with(table("T_1_0", "id", lcol("id", "String"), lcol("extra", "Int64"))).build();
        var m = model("T", col("id", "String"), col("city", "String"));
        Plan p = plan(l, m);
        assertTrue(p.isEmpty(), lines(p).toString());
        assertEquals(List.of(new Finding(Code.FOREIGN, "T_1_0", "table T_1_0 exists but was not created by dcm:"
                + " nothing is planned on it, nor on the alias view T; differs: + city: String (after id);"
                + " - extra: Int64", "`adopt T_1_0` to let dcm manage it (then `plan` shows the changes)")),
                p.findings());
        // once adopted (recorded), the changes are planned
        p = plan(live().made(l.tables().get("T_1_0")).build(), m);
        assertEquals(List.of("+ T_1_0: city: String (after id)", "- T_1_0: extra: Int64",
                "+ T: create view T AS SELECT * FROM T_1_0"), lines(p));
        // one that matches is foreign all the same
        p = plan(live().with(table("T_1_0", "id", lcol("id", "String"))).build(), model("T", col("id", "String")));
        assertTrue(p.isEmpty() && p.findings().get(0).message().endsWith("; it matches the model"),
                p.findings().toString());
    }

    @Test
    void anAliasViewOrTopicDcmDidNotCreateIsForeign() {
        // (a topic in a namespace: without one, the table and the topic share the name T_1_0, and so its record)
        LiveState l = live().made(table("T_1_0", "id", lcol("id", "String")))
                .with(view("T", "Other", lcol("id", "String"))).topic("ns.T_1_0", 1, 1000).build();
        ModelSpec m = new ModelSpec("T", "1.0", List.of(col("id", "String")), new TableSpec("T_1_0",
                List.of(col("id", "String")), "MergeTree", List.of("id"), null, LifeCycle.FULLY_MANAGED),
                new TopicSpec("ns.T_1_0", 3, 1000, LifeCycle.FULLY_MANAGED), false, "test");
        Plan p = plan(l, m);
        assertTrue(p.isEmpty(), lines(p).toString());
        assertEquals(List.of("view T exists but was not created by dcm: nothing is planned on it; differs: reads"
                + " Other, not T_1_0", "topic ns.T_1_0 exists but was not created by dcm: nothing is planned on it;"
                + " differs: ~ partitions: 1 -> 3"), p.findings().stream().map(Finding::message).toList());
        assertTrue(p.findings().stream().allMatch(f -> f.code() == Code.FOREIGN));
    }

    @Test
    void otherVersionsOfAModelAreKeptSideBySide() {
        LiveState l = live().with(table("Users_0_9", "id", lcol("id", "String")))
                .recorded("Users_0_9", LifeCycle.FULLY_MANAGED)
                .topic("Users_0_9", 1, 1000).recorded("Users_0_9", LifeCycle.FULLY_MANAGED).build();
        Plan p = plan(l, model("Users", col("id", "String")));
        assertTrue(p.operations().stream().noneMatch(o -> o.target().equals("Users_0_9")), lines(p).toString());
    }

    @Test
    void topicsGrowPartitionsChangeRetentionAndNeverShrink() {
        LiveState l = live().madeTopic("C_1_0", 2, 1000).build();
        assertEquals(List.of("~ C_1_0: partitions: 2 -> 4", "~ C_1_0: retention.ms: 1000 -> 5000"),
                lines(plan(l, stream("C", 4, 5000))));
        Plan shrink = plan(l, stream("C", 1, 1000));
        assertTrue(shrink.isEmpty());
        assertEquals(Code.UNSUPPORTED, shrink.findings().get(0).code());
    }

    @Test
    void lowCardinalityIsAChangeUnlessIgnored() {
        LiveState l = live().made(table("L_1_0", "id", lcol("id", "String"), lcol("c", "String")))
                .made(view("L", "L_1_0", lcol("id", "String"), lcol("c", "String"))).build();
        var m = model("L", col("id", "String"), col("c", "LowCardinality(String)"));
        assertEquals(3, Planner.plan(List.of(m), l, PlanOptions.DEFAULT).operations().size());
        assertEquals(0, Planner.plan(List.of(m), l, new PlanOptions(true, 1)).operations().size());
    }

    @Test
    void keywordNamesConverge() {
        LiveColumn[] cols = {lcol("select", "String"), lcol("from", "String"), lcol("order", "Int32")};
        var m = model("table", LifeCycle.FULLY_MANAGED, List.of("select"), col("select", "String"),
                col("from", "String"), col("order", "Int32"));
        LiveTable t = table("table_1_0", "select", cols);
        // as 18.16 reports it, and as current servers do (quoted, on several lines)
        for (LiveTable v : List.of(view("table", "table_1_0", cols), viewAs("table", "CREATE VIEW kw1.`table`\n(\n"
                + "    `select` String,\n    `from` String,\n    `order` Int32\n) AS\nSELECT *\nFROM kw1.table_1_0",
                cols))) {
            Plan p = plan(live().made(t).with(v).build(), m);
            assertTrue(p.isEmpty(), lines(p).toString());
        }
        assertEquals("from", AliasView.source("CREATE VIEW d.v (x String) AS SELECT * FROM d.`from`"));
        assertEquals("t_1_0", AliasView.source("CREATE VIEW `my db`.v (`from` String) AS SELECT * FROM `my db`.t_1_0"));
    }

    @Test
    void aTableWhereTheAliasViewBelongsIsAConflict() {
        LiveState l = live().with(table("Users", "id", lcol("id", "String"))).build();
        Plan p = plan(l, model("Users", col("id", "String")));
        assertEquals(Code.CONFLICT, p.findings().get(0).code());
        assertEquals(1, p.operations().size());
    }

    @Test
    void aDefaultTheServerStoredWithACastToTheColumnsTypeIsTheModelsDefault() {
        ModelSpec m = model("T", col("id", "String"), new dcm.core.ColumnSpec("len", "Int32", false, "length(id)",
                null));
        LiveState live = new LiveState(java.util.Map.of("T_1_0", new dcm.core.live.LiveTable("T_1_0", "MergeTree",
                List.of(lcol("id", "String"), new dcm.core.live.LiveColumn("len", "Int32", "DEFAULT",
                        "CAST(length(id), 'Int32')")), "id", "id", "", ""), "T", Fixtures.view("T", "T_1_0",
                lcol("id", "String"), lcol("len", "Int32"))), java.util.Map.of(), java.util.Map.of("T_1_0",
                dcm.core.LifeCycle.FULLY_MANAGED, "T", dcm.core.LifeCycle.FULLY_MANAGED));
        assertEquals(List.of(), Planner.plan(List.of(m), live, PlanOptions.DEFAULT).operations());
        // a CAST to another type is a different default
        LiveState other = new LiveState(java.util.Map.of("T_1_0", new dcm.core.live.LiveTable("T_1_0", "MergeTree",
                List.of(lcol("id", "String"), new dcm.core.live.LiveColumn("len", "Int32", "DEFAULT",
                        "CAST(length(id), 'Int64')")), "id", "id", "", ""), "T", Fixtures.view("T", "T_1_0",
                lcol("id", "String"), lcol("len", "Int32"))), java.util.Map.of(), live.lifecycles());
        assertEquals(1, Planner.plan(List.of(m), other, PlanOptions.DEFAULT).operations().size());
    }
}
