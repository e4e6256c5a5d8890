package dcm.core.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import dcm.core.live.LiveColumn;
import dcm.core.live.LiveState;
import dcm.core.live.LiveTable;
import dcm.core.plan.Operation;
import dcm.core.plan.Plan;
import dcm.core.plan.PlanOptions;
import dcm.core.plan.Planner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionsTest {
    static ModelSpec users(String version, ColumnSpec... columns) {
        String physical = "Users_" + version.replace('.', '_');
        return new ModelSpec("Users", version, List.of(columns), new TableSpec(physical, List.of(columns), "MergeTree",
                List.of(columns[0].name()), null, LifeCycle.FULLY_MANAGED), new TopicSpec(physical, 1, 1000,
                LifeCycle.FULLY_MANAGED), true, "models/users.jsh:1");
    }

    static final ColumnSpec ID = ColumnSpec.of("id", "String");
    static final ColumnSpec AGE = ColumnSpec.of("age", "String");
    static final ColumnSpec AGE_NUM = ColumnSpec.of("age", "UInt16");
    static final ColumnSpec CITY = new ColumnSpec("city", "String", false, "'?'", null);

    private static Map<String, List<ModelSpec>> snapshots(ModelSpec... old) {
        Map<String, List<ModelSpec>> out = new LinkedHashMap<>();
        for (ModelSpec m : old) {
            out.put(m.version(), List.of(m));
        }
        return out;
    }

    @Test
    void withoutCascadeEveryOldTableGetsAViewToEveryLaterOneWithTheStepsComposed() {
        Desired d = Versions.desired(List.of(users("1.2", ID, AGE_NUM, CITY)), snapshots(users("1.0", ID, AGE),
                users("1.1", ID, AGE_NUM)), Mappings.GENERATED, false);
        assertEquals(List.of("Users_migrate__1_0__1_1", "Users_migrate__1_0__1_2", "Users_migrate__1_1__1_2"),
                d.views().stream().map(MigrationView::name).toList());
        MigrationView direct = d.views().get(1);
        assertEquals("Users_1_0", direct.source());
        assertEquals("Users_1_2", direct.target());
        assertTrue(direct.expressions().get(1).contains("CAST(`age` AS UInt16)"), direct.expressions().toString());
        assertEquals(List.of("Users_migrate__1_0__1_1", "Users_migrate__1_1__1_2"),
                d.steps().stream().map(MigrationView::name).toList());
        assertEquals(List.of("1.0", "1.1"), d.older().stream().map(ModelSpec::version).toList());
        assertTrue(d.problems().isEmpty(), d.problems().toString());
    }

    @Test
    void withCascadeOnlyTheSteps() {
        Desired d = Versions.desired(List.of(users("1.2", ID, AGE_NUM, CITY)), snapshots(users("1.0", ID, AGE),
                users("1.1", ID, AGE_NUM)), Mappings.GENERATED, true);
        assertEquals(List.of("Users_migrate__1_0__1_1", "Users_migrate__1_1__1_2"),
                d.views().stream().map(MigrationView::name).toList());
    }

    @Test
    void anUnchangedVersionSharesTheOlderTableAndTopicAndStepsStartFromThere() {
        Desired d = Versions.desired(List.of(users("1.2", ID, AGE_NUM)), snapshots(users("1.0", ID, AGE),
                users("1.1", ID, AGE)), Mappings.GENERATED, false);
        ModelSpec v11 = d.older().get(1);
        assertEquals("Users_1_0", v11.table().name());
        assertEquals("Users_1_0", v11.topic().name());
        assertEquals(List.of("Users_migrate__1_0__1_2"), d.views().stream().map(MigrationView::name).toList());
        // the step is named after the tables, its mapping reads the shared schema
        assertEquals("1.0", d.steps().get(0).from());
    }

    @Test
    void anUnusableMappingIsAProblemAndNoViewPassesIt() {
        Desired d = Versions.desired(List.of(users("1.1", ID, AGE, ColumnSpec.of("zip", "String"))),
                snapshots(users("1.0", ID, AGE)), Mappings.GENERATED, false);
        assertTrue(d.views().isEmpty());
        assertEquals(1, d.problems().size());
        assertTrue(d.problems().get(0).startsWith("Users 1.0 -> 1.1 (generated): zip (String) is new"),
                d.problems().get(0));
    }

    @Test
    void aNewVersionsTableIsBackfilledWithItsViewsAndTheAliasMovesAfter() {
        Desired d = Versions.desired(List.of(users("1.1", ID, AGE_NUM)), snapshots(users("1.0", ID, AGE)),
                Mappings.GENERATED, false);
        LiveTable v10 = new LiveTable("Users_1_0", "MergeTree", List.of(new LiveColumn("id", "String", "", ""),
                new LiveColumn("age", "String", "", "")), "id", "id", "", "");
        LiveTable alias = new LiveTable("Users", "View", v10.columns(), "", "", "",
                "CREATE VIEW local.Users (id String, age String) AS SELECT * FROM local.Users_1_0");
        LiveState live = new LiveState(Map.of("Users_1_0", v10, "Users", alias), Map.of(), Map.of("Users_1_0",
                LifeCycle.FULLY_MANAGED, "Users", LifeCycle.FULLY_MANAGED), Map.of(), Map.of("Users_1_0", 7L));
        Plan p = Planner.plan(d, live, PlanOptions.DEFAULT);
        List<String> ops = p.operations().stream().map(o -> o.getClass().getSimpleName() + " " + o.target()).toList();
        assertEquals(List.of("CreateTable Users_1_1", "Backfill Users_1_1", "DropView Users", "CreateView Users",
                "CreateTopic Users_1_0", "CreateTopic Users_1_1"), ops);
        Operation.Backfill b = (Operation.Backfill) p.operations().get(1);
        assertEquals(7, b.rows());
        assertEquals(List.of("Users_1_0"), b.paused());
        assertEquals(List.of("Users_migrate__1_0__1_1"), b.views().stream().map(MigrationView::name).toList());
    }

    @Test
    void aChangedMappingReplacesItsViewAndAMatchingOneIsLeftAlone() {
        Desired d = Versions.desired(List.of(users("1.1", ID, AGE_NUM)), snapshots(users("1.0", ID, AGE)),
                Mappings.GENERATED, false);
        MigrationView v = d.views().get(0);
        LiveTable t10 = new LiveTable("Users_1_0", "MergeTree", List.of(new LiveColumn("id", "String", "", ""),
                new LiveColumn("age", "String", "", "")), "id", "id", "", "");
        LiveTable t11 = new LiveTable("Users_1_1", "MergeTree", List.of(new LiveColumn("id", "String", "", ""),
                new LiveColumn("age", "UInt16", "", "")), "id", "id", "", "");
        LiveTable mv = new LiveTable(v.name(), "MaterializedView", t11.columns(), "", "", "", "CREATE MATERIALIZED"
                + " VIEW local." + v.name() + " TO local.Users_1_1 AS SELECT ...");
        LiveTable alias = new LiveTable("Users", "View", t11.columns(), "", "", "",
                "CREATE VIEW local.Users (id String, age UInt16) AS SELECT * FROM local.Users_1_1");
        Map<String, LiveTable> tables = Map.of("Users_1_0", t10, "Users_1_1", t11, v.name(), mv, "Users", alias);
        Map<String, LifeCycle> lc = Map.of("Users_1_0", LifeCycle.FULLY_MANAGED, "Users_1_1", LifeCycle.FULLY_MANAGED,
                v.name(), LifeCycle.FULLY_MANAGED, "Users", LifeCycle.FULLY_MANAGED);
        PlanOptions tablesOnly = PlanOptions.DEFAULT;
        Plan same = Planner.plan(d, new LiveState(tables, Map.of(), lc, Map.of(v.name(), "migration " + v.key()),
                Map.of()), tablesOnly);
        assertEquals(List.of(), same.operations().stream().filter(o -> !o.onTopic()).toList());
        Plan changed = Planner.plan(d, new LiveState(tables, Map.of(), lc, Map.of(v.name(), "migration 0000"),
                Map.of()), tablesOnly);
        assertEquals(List.of(new Operation.ReplaceMigrationView(v)), changed.operations().stream()
                .filter(o -> !o.onTopic()).toList());
    }
}
