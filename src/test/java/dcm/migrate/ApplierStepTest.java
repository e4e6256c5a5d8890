package dcm.migrate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dcm.core.plan.Operation;
import dcm.core.plan.OperationSamples;
import org.junit.jupiter.api.Test;

/**
 * apply has a step for every kind of operation. (What each step does to the servers is MigrateIT's and AdoptIT's;
 * this needs none, so a kind added to {@link Operation} without a step fails here, in the unit tests.)
 */
class ApplierStepTest {
    @Test
    void everyKindOfOperationHasAStep() {
        for (Operation op : OperationSamples.all()) {
            assertNotNull(assertDoesNotThrow(() -> Applier.step(op), op.toString()), op.toString());
        }
    }
}
