package dcm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected output rows compare field by field as text, in order; a difference is a unified-style diff. */
class ExpectedRowsTest {
    @Test
    void rowsCompareAsTextWhateverTheFieldOrder() {
        assertTrue(ExpectedRows.compare(List.of("{\"a\":5,\"b\":\"x\"}"), List.of("{\"b\":\"x\",\"a\":\"5\"}"))
                .equal());
        assertFalse(ExpectedRows.compare(List.of("{\"a\":null}"), List.of("{\"a\":\"null\"}")).equal());
    }

    @Test
    void aDifferenceAndAMissingRowShowAsADiff() {
        ExpectedRows.Comparison c = ExpectedRows.compare(List.of("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"),
                List.of("{\"a\":1}", "{\"a\":20}"));
        assertFalse(c.equal());
        assertEquals(List.of("--- expected (3 rows)", "+++ actual (2 rows)", "@@ output row 2 @@", "-{\"a\":2}",
                "+{\"a\":20}", "@@ output row 3 @@", "-{\"a\":3}"), c.diff());
    }
}
