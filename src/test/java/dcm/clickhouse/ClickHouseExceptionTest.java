package dcm.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.clickhouse.ClickHouseException.Kind;
import org.junit.jupiter.api.Test;

class ClickHouseExceptionTest {
    @Test
    void noCodeIsNoAnswerAndARefusedConnectionIsUnreachable() {
        ClickHouseException refused = new ClickHouseException(ClickHouseException.REFUSED, "refused", null);
        assertEquals(Kind.CONNECTION, refused.kind());
        assertTrue(refused.unreachable());
        assertFalse(refused.answered());
        ClickHouseException dropped = new ClickHouseException(0, "Connection reset", null);
        assertEquals(Kind.NO_ANSWER, dropped.kind());
        assertFalse(dropped.unreachable());
        assertFalse(dropped.answered());
        assertEquals(0, dropped.code());
    }

    @Test
    void codesMapToKinds() {
        for (int code : new int[] {6, 26, 27, 32, 38, 41, 53, 69, 70, 72, 117, 130, 131, 321, 349, 377}) {
            assertEquals(Kind.DATA, ClickHouseException.kindOf(code), "code " + code);
        }
        for (int code : new int[] {8, 10, 15, 16, 44, 47, 50, 57, 60, 81, 82}) {
            assertEquals(Kind.SCHEMA, ClickHouseException.kindOf(code), "code " + code);
        }
        assertEquals(Kind.SYNTAX, ClickHouseException.kindOf(62));
        assertEquals(Kind.TIMEOUT, ClickHouseException.kindOf(159));
        assertEquals(Kind.TIMEOUT, ClickHouseException.kindOf(160));
        assertEquals(Kind.CANCELLED, ClickHouseException.kindOf(394));
        // too many parts, memory limit, read-only: not about the data, the objects or the statement
        assertEquals(Kind.OTHER, ClickHouseException.kindOf(252));
        assertEquals(Kind.OTHER, ClickHouseException.kindOf(241));
        assertEquals(Kind.OTHER, ClickHouseException.kindOf(164));
        ClickHouseException e = new ClickHouseException(60, "Code 60: Table x doesn't exist", null);
        assertEquals(60, e.code());
        assertTrue(e.answered());
        assertFalse(e.unreachable());
    }
}
