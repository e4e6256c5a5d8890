package dcm.core.plan;

import static dcm.core.plan.Fixtures.col;
import static dcm.core.plan.Fixtures.lcol;
import static dcm.core.plan.Fixtures.lines;
import static dcm.core.plan.Fixtures.live;
import static dcm.core.plan.Fixtures.model;
import static dcm.core.plan.Fixtures.plan;
import static dcm.core.plan.Fixtures.table;
import static dcm.core.plan.Fixtures.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.LifeCycle;
import dcm.core.live.LiveState;
import dcm.core.plan.Finding.Code;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plans for partially loaded projects (PlanOptions complete, unsure) and for dev (drops left for later). */
class PartialPlanTest {
    /** T_1_0 and its view made by dcm; a table, a view and a topic no model wants; a table whose key changes. */
    private static final LiveState LIVE = live()
            .made(table("T_1_0", "id", lcol("id", "String"), lcol("score", "Int64")))
            .made(view("T", "T_1_0", lcol("id", "String"), lcol("score", "Int64")))
            .made(table("R_1_0", "id", lcol("id", "String"), lcol("extra", "Int32")))
            .made(view("R", "R_1_0", lcol("id", "String"), lcol("extra", "Int32")))
            .made(table("Gone_1_0", "id", lcol("id", "String"))).madeTopic("ns.Gone_1_0", 1, 1000)
            .made(view("Old", "Gone_1_0", lcol("id", "String")))
            .build();
    private static final dcm.core.ModelSpec T = model("T", col("id", "String"), col("city", "String"));
    private static final dcm.core.ModelSpec R = model("R", LifeCycle.FULLY_MANAGED, List.of("x", "id"),
            col("id", "String"), col("x", "String"));

    private static List<String> blocked(Plan p) {
        assertTrue(p.blocked().stream().allMatch(f -> f.code() == Code.NOT_PLANNED), p.blocked().toString());
        return p.blocked().stream().map(f -> f.target() + ": " + f.message()).toList();
    }

    @Test
    void theDefaultsAndTheTwoArgumentOptionsPlanEverything() {
        for (PlanOptions o : List.of(PlanOptions.DEFAULT, new PlanOptions(true, 3))) {
            assertTrue(o.complete() && o.drops() && o.unsure().isEmpty(), o.toString());
        }
        PlanOptions o = PlanOptions.DEFAULT.withComplete(false).withUnsure(Set.of("B", "A")).withDrops(false);
        assertEquals(new PlanOptions(false, 1, false, Set.of("A", "B"), false), o);
        assertEquals(List.of("A", "B"), List.copyOf(o.unsure()));
        Plan all = plan(LIVE, T, R);
        assertEquals(List.of("+ T_1_0: city: String (after id)", "- T_1_0: score: Int64",
                "~ R_1_0: rebuild keeping every row: ORDER BY id -> x, id", "- T: drop view T",
                "+ T: create view T AS SELECT * FROM T_1_0", "- R: drop view R",
                "+ R: create view R AS SELECT * FROM R_1_0", "- Gone_1_0: drop table Gone_1_0",
                "- Old: drop view Old", "- ns.Gone_1_0: delete topic ns.Gone_1_0"), lines(all));
    }

    @Test
    void anIncompleteLoadDropsNothingAndSaysSoOncePerObject() {
        Plan p = plan(PlanOptions.DEFAULT.withComplete(false), LIVE, T, R);
        assertEquals(List.of("+ T_1_0: city: String (after id)"), lines(p));
        assertFalse(p.destructive());
        assertTrue(p.findings().stream().noneMatch(f -> f.code() == Code.DESTRUCTIVE), p.findings().toString());
        String why = ": not planned, the models did not load completely";
        String orphan = ": not planned: the models did not load completely; it may belong to a model that failed";
        assertEquals(List.of("T_1_0: drop column score (Int64) of T_1_0" + why,
                "T: re-create view T (its columns are not those of T_1_0)" + why,
                "R_1_0: rebuild keeping every row: ORDER BY id -> x, id (it leaves out extra (Int32))" + why,
                "Gone_1_0" + orphan, "Old" + orphan, "ns.Gone_1_0" + orphan), blocked(p));
    }

    @Test
    void aModelWhoseDefinitionIsUncertainIsNotPlannedAtAll() {
        LiveState l = live().made(table("U_1_0", "id", lcol("id", "String")))
                .made(view("U", "U_1_0", lcol("id", "String"))).made(table("U_0_9", "id", lcol("id", "String")))
                .madeTopic("ns.U_1_0", 1, 1000).made(table("T_1_0", "id", lcol("id", "String"))).build();
        // T is loaded but conflicts; U's file failed, so no model wants U's objects; V is sure
        Plan p = plan(PlanOptions.DEFAULT.withUnsure(Set.of("T", "U")), l, T, model("V", col("id", "String")));
        assertEquals(List.of("+ V_1_0: create table V_1_0 (1 columns, ORDER BY id)",
                "+ V: create view V AS SELECT * FROM V_1_0"), lines(p));
        assertEquals(List.of("T: model T: not planned, its definition did not load",
                "U: model U: not planned, its definition did not load"), blocked(p));
    }

    @Test
    void withoutDropsTheRestOfThePlanAssumesTheyDoNotRun() {
        // the drop of score waits: the view's columns stay those of the table, so the view is left as it is
        Plan p = plan(PlanOptions.DEFAULT.withDrops(false), LIVE, model("T", col("id", "String")), R);
        assertEquals(List.of("- Old: drop view Old"), lines(p));
        String left = "left for `apply --allow-destructive`: ";
        assertEquals(List.of("T_1_0: " + left + "drop column score (Int64) of T_1_0",
                "R_1_0: " + left + "rebuild keeping every row: ORDER BY id -> x, id (it leaves out extra (Int32))",
                "Gone_1_0: " + left + "drop table Gone_1_0", "ns.Gone_1_0: " + left + "delete topic ns.Gone_1_0"),
                blocked(p));
        assertTrue(p.findings().isEmpty(), p.findings().toString());
        // an added column changes the table's columns: the view follows the add, not the drop
        p = plan(PlanOptions.DEFAULT.withDrops(false), LIVE, T);
        assertEquals(List.of("+ T_1_0: city: String (after id)", "- T: drop view T",
                "+ T: create view T AS SELECT * FROM T_1_0", "- Old: drop view Old", "- R: drop view R"), lines(p));
    }
}
