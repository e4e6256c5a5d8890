package dcm.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;

import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.TableSpec;
import dcm.core.plan.Operation;
import dcm.core.plan.OperationSamples;
import dcm.core.plan.Operation.RebuildColumn;
import dcm.core.plan.Operation.RebuildColumn.Change;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plan files and journaled rebuilds round-trip, and those written before a field existed still read. */
class PlanJsonTest {
    @Test
    void aRebuildRoundTripsWithItsColumnChanges() throws Exception {
        TableSpec t = new TableSpec("T_1_0", List.of(ColumnSpec.of("id", "String"), ColumnSpec.of("city", "String")),
                "MergeTree", List.of("city", "id"), null, LifeCycle.FULLY_MANAGED);
        Operation.RebuildTable r = new Operation.RebuildTable(t, "ORDER BY id -> city, id", List.of("id"),
                List.of("`id`"), false, true, List.of(new RebuildColumn(Change.ADDED, "city", "String", null, null),
                new RebuildColumn(Change.LEFT_OUT, "score", "Int64", null, null)));
        String json = PlanJson.MAPPER.writerFor(Operation[].class).writeValueAsString(new Operation[] {r});
        List<Operation> back = List.of(PlanJson.MAPPER.readValue(json, Operation[].class));
        assertEquals(List.of(r), back);
    }

    @Test
    void aRebuildSavedBeforeColumnChangesWereRecordedReadsWithNone() throws Exception {
        String old = "{\"op\":\"RebuildTable\",\"table\":{\"name\":\"T_1_0\",\"columns\":[{\"name\":\"id\","
                + "\"type\":\"String\",\"key\":true,\"defaultExpr\":null,\"renamedFrom\":null}],\"engine\":"
                + "\"MergeTree\",\"orderBy\":[\"id\"],\"partitionBy\":null,\"lifeCycle\":\"FULLY_MANAGED\"},"
                + "\"reason\":\"ORDER BY tuple() -> id\",\"copyColumns\":[\"id\"],\"copyExpressions\":[\"`id`\"],"
                + "\"keepOld\":false,\"dropsColumns\":false}";
        Operation.RebuildTable r = (Operation.RebuildTable) PlanJson.MAPPER.readValue(old, Operation.class);
        assertEquals(List.of(), r.columnChanges());
        assertEquals(List.of("id"), r.copyColumns());
    }

    @Test
    void everyKindOfOperationIsRegisteredByNameAndRoundTrips() throws Exception {
        Class<?> mixin = PlanJson.MAPPER.findMixInClassFor(Operation.class);
        List<String> registered = java.util.Arrays.stream(mixin.getAnnotation(JsonSubTypes.class).value())
                .map(t -> t.value().getSimpleName() + "=" + t.name()).toList();
        for (Operation op : OperationSamples.all()) {
            String name = op.getClass().getSimpleName();
            // saved plans and the journal name each operation by its simple name, for ever
            assertTrue(registered.contains(name + "=" + name), name + " is not in PlanJson's @JsonSubTypes: "
                    + registered);
            String json = PlanJson.MAPPER.writerFor(Operation.class).writeValueAsString(op);
            assertTrue(json.contains("\"op\" : \"" + name + "\""), json);
            assertEquals(op, PlanJson.MAPPER.readValue(json, Operation.class), json);
        }
    }
}
