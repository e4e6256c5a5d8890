package dcm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.TableSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Generated samples: deterministic, valid for the schema, ordinary rows first, then each column's edge values. */
class SampleValuesTest {
    static final List<ColumnSpec> COLUMNS = List.of(ColumnSpec.of("id", "String"), ColumnSpec.of("n", "UInt8"),
            ColumnSpec.of("m", "Nullable(Int64)"), ColumnSpec.of("d", "Date"));
    static final ModelSpec MODEL = new ModelSpec("T", "1.0", COLUMNS, new TableSpec("T_1_0", COLUMNS, "MergeTree",
            List.of("id"), null, LifeCycle.FULLY_MANAGED), null, false, "test");

    @Test
    void edgeValuesFollowTheOrdinaryRowsAndCoverEachType() {
        List<ObjectNode> rows = SampleValues.generate(MODEL, 0);
        assertEquals(SampleValues.edgeRows(MODEL), rows.size());
        assertEquals(rows.toString(), SampleValues.generate(MODEL, 0).toString(), "deterministic");
        String all = rows.toString();
        assertTrue(all.contains("\"n\":255"), all);
        assertTrue(all.contains("\"m\":null"), all);
        assertTrue(all.contains("-9223372036854775808"), all);
        assertTrue(all.contains("\"id\":\"\""), all);
        assertTrue(all.contains("\"id\":\"70000\""), all);
        assertTrue(all.contains("\"d\":\"1970-01-01\""), all);
        assertTrue(all.contains("2149-06-06"), all);
        assertEquals(1000, SampleValues.generate(MODEL, 1000).size());
    }
}
