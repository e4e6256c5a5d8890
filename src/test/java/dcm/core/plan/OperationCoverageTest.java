package dcm.core.plan;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.Dialect;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every kind of operation is handled where the core dispatches on it: its SQL, whether it drops something, and what
 * it does to a table's columns. (Rendering, JSON and apply are checked in their packages.)
 */
class OperationCoverageTest {
    @Test
    void everyKindHasASample() {
        assertFalse(OperationSamples.kinds().isEmpty(), "Operation is sealed and has kinds");
        OperationSamples.kinds().forEach(OperationSamples::of);
    }

    @Test
    void everyKindHasItsSqlInBothDialects() {
        for (Dialect d : List.of(Dialect.MODERN, Dialect.LEGACY_18_16)) {
            SqlGen sql = new SqlGen("local", d, "0123456789abcdef#1");
            for (Operation op : OperationSamples.all()) {
                List<String> statements = assertDoesNotThrow(() -> sql.statements(op), op.toString());
                assertFalse(statements.isEmpty(), op + ": no SQL");
                // a broker operation is shown as a comment naming its topic; every other names its table or view
                assertTrue(statements.stream().anyMatch(s -> s.contains(op.target())), op + ": " + statements);
            }
        }
    }

    @Test
    void everyKindSaysWhetherItDropsAndEveryDestructiveOneDoes() {
        for (Operation op : OperationSamples.all()) {
            boolean drops = assertDoesNotThrow(() -> Planner.drops(op), op.toString());
            // a destructive operation that did not count as a drop would be planned from an incomplete load
            assertTrue(drops || !op.destructive(), op + " is destructive but does not count as a drop");
        }
    }

    @Test
    void everyKindSaysWhatItDoesToATablesColumns() {
        for (Operation op : OperationSamples.all()) {
            assertDoesNotThrow(() -> TableDiff.columnsAfter(List.of(Fixtures.lcol("id", "String")), List.of(op)),
                    op.toString());
        }
    }
}
