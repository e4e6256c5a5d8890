package dcm.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TableSpec;
import dcm.core.live.LiveColumn;
import dcm.core.live.LiveState;
import dcm.core.live.LiveTable;
import dcm.core.plan.Operation;
import dcm.core.plan.OperationSamples;
import dcm.core.plan.Plan;
import dcm.core.plan.PlanOptions;
import dcm.core.plan.Planner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a plan reads: every change shown, each under what it belongs to. */
class PlanViewTest {
    private static final LiveTable T = new LiveTable("T_1_0", "MergeTree", List.of(new LiveColumn("id", "String", "",
            ""), new LiveColumn("score", "Int64", "", "")), "id", "id", "", "");

    private static List<String> text(Plan plan) {
        return PlanView.render(plan, null).stream().map(b -> ((Block.Line) b).text()).toList();
    }

    private static ModelSpec model(List<String> orderBy, ColumnSpec... cols) {
        TableSpec t = new TableSpec("T_1_0", List.of(cols), "MergeTree", orderBy, null, LifeCycle.FULLY_MANAGED);
        return new ModelSpec("T", "1.0", List.of(cols), t, null, false, "test");
    }

    @Test
    void aRebuildShowsItsColumnChangesUnderIt() {
        LiveState live = new LiveState(Map.of("T_1_0", T), Map.of(), Map.of("T_1_0", LifeCycle.FULLY_MANAGED));
        Plan plan = Planner.plan(List.of(model(List.of("city", "id"), ColumnSpec.of("id", "String"),
                ColumnSpec.of("city", "String"))), live, PlanOptions.DEFAULT);
        List<String> lines = text(plan);
        assertEquals(List.of("~ Table: T_1_0:",
                "    ~ rebuild keeping every row: ORDER BY id -> city, id",
                "        + city: String (new: existing rows get the type's default value)",
                "        - score: Int64 (left out: its values are lost, every row is kept)"), lines.subList(0, 4));
    }

    @Test
    void everyKindOfOperationIsGroupedShownAndListedInJson() {
        for (Operation op : OperationSamples.all()) {
            PlanView.Kind kind = PlanView.kind(op);
            // the heading agrees with what the operation says it changes
            assertEquals(op.onTopic(), kind == PlanView.Kind.TOPIC, op.toString());
            Plan plan = new Plan(List.of(op), List.of(), List.of());
            List<String> lines = text(plan);
            assertTrue(lines.stream().anyMatch(l -> l.endsWith(op.symbol() + " " + op.describe())), op + ": " + lines);
            if (kind == PlanView.Kind.COLUMN) {
                assertEquals("~ Table: " + op.target() + ":", lines.get(0), op.toString());
            }
            @SuppressWarnings("unchecked")
            List<java.util.Map<String, Object>> json = (List<java.util.Map<String, Object>>) PlanView.json(plan)
                    .get("operations");
            assertEquals(op.getClass().getSimpleName(), json.get(0).get("op"), op.toString());
        }
    }
}
