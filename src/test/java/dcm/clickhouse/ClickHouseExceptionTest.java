package dcm.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /** The messages as {@link ClickHouse} gives them, measured on 18.16 (two views, the second refusing). */
    @Test
    void anInsertAViewFailedIsViewRefusedWhateverTheCode() {
        ClickHouseException throwIf = new ClickHouseException(395, "Code 395: Value passed to 'throwIf' function is"
                + " non zero: while pushing to view vr_probe.mv_b", null);
        assertEquals(Kind.VIEW_REFUSED, throwIf.kind());
        assertEquals("vr_probe.mv_b", throwIf.view());
        assertTrue(throwIf.answered());
        // a CAST of text in a view: a data code, but the rows were stored (not split and sent again)
        ClickHouseException cast = new ClickHouseException(6, "Code 6: Cannot parse string 'zz' as UInt16: syntax"
                + " error at begin of string. Note: there are toUInt16OrZero and toUInt16OrNull functions, which"
                + " returns zero/NULL instead of throwing exception.: while pushing to view db.Ev_1_0_to_1_1", null);
        assertEquals(Kind.VIEW_REFUSED, cast.kind());
        assertEquals("db.Ev_1_0_to_1_1", cast.view());
        assertEquals(6, cast.code());
        // the raw text (before the noise is stripped) and a name that needs quoting
        ClickHouseException raw = new ClickHouseException(395, "Code: 395, e.displayText() = DB::Exception: Value"
                + " passed to 'throwIf' function is non zero: while pushing to view vr_probe.`weird view`,"
                + " e.what() = DB::Exception", null);
        assertEquals(Kind.VIEW_REFUSED, raw.kind());
        assertEquals("vr_probe.`weird view`", raw.view());
    }

    @Test
    void otherFailuresNameNoView() {
        ClickHouseException data = new ClickHouseException(6, "Code 6: Cannot parse input: expected \\t", null);
        assertEquals(Kind.DATA, data.kind());
        assertNull(data.view());
        // a view whose target table is missing: 18.16 says only this (the row was stored, see docs/versions.md)
        assertEquals(Kind.SCHEMA, new ClickHouseException(60, "Code 60: Table vr_probe.b doesn't exist.", null)
                .kind());
        // no code: no answer, whatever the text
        assertEquals(Kind.NO_ANSWER, new ClickHouseException(0, "while pushing to view a.b", null).kind());
    }

    @Test
    void aOneBlockInsertAsksForBlocksOfAtLeastItsRows() {
        assertEquals(java.util.Map.of(), OneBlock.settings(0));
        assertEquals(java.util.Map.of("max_insert_block_size", "1048576", "min_insert_block_size_rows", "1048576",
                "min_insert_block_size_bytes", "1099511627776"), OneBlock.settings(100));
        assertEquals("3000000", OneBlock.settings(3_000_000).get("max_insert_block_size"));
        assertEquals("3000000", OneBlock.settings(3_000_000).get("min_insert_block_size_rows"));
    }
}
