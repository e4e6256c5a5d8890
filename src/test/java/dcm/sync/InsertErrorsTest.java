package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.clickhouse.ClickHouseException;
import dcm.clickhouse.ClickHouseException.Kind;
import dcm.sync.InsertErrors.Action;
import org.junit.jupiter.api.Test;

class InsertErrorsTest {
    private static Action of(int code) {
        return InsertErrors.action(new ClickHouseException(code, "m", null).kind());
    }

    @Test
    void dataErrorsSplitTheBatch() {
        assertEquals(Action.SPLIT, of(27), "cannot parse input");
        assertEquals(Action.SPLIT, of(53), "type mismatch");
        assertEquals(Action.SPLIT, of(349), "NULL in a column that is not Nullable");
        assertEquals(Action.SPLIT, of(6), "cannot parse text");
    }

    @Test
    void serverAwaySchemaChangesAndLoadAreRetried() {
        assertEquals(Action.RETRY, of(-1), "connection refused");
        assertEquals(Action.RETRY, of(60), "the table missing during a rebuild's swap");
        assertEquals(Action.RETRY, of(16), "a column missing during a rebuild's swap");
        assertEquals(Action.RETRY, of(252), "too many parts");
        assertEquals(Action.RETRY, of(241), "memory limit");
        assertEquals(Action.RETRY, of(159), "timeout");
    }

    @Test
    void noAnswerIsRetriedAsPossiblyStored() {
        assertEquals(Action.RETRY_UNSURE, of(0));
    }

    @Test
    void anInsertAViewRefusedIsNeverSentAgain() {
        Kind kind = new ClickHouseException(395, "Code 395: Value passed to 'throwIf' function is non zero: while"
                + " pushing to view db.v", null).kind();
        assertEquals(Action.STORED_REFUSED_BY_VIEW, InsertErrors.action(kind));
        // a data code from a view's CAST: stored, not split
        assertEquals(Action.STORED_REFUSED_BY_VIEW, InsertErrors.action(new ClickHouseException(6, "Code 6: Cannot"
                + " parse string 'zz' as UInt16: while pushing to view db.v", null).kind()));
        assertFalse(InsertErrors.tableMayHaveChanged(kind));
    }

    @Test
    void everyKindHasAnAction() {
        for (Kind k : Kind.values()) {
            InsertErrors.action(k);
        }
        assertTrue(InsertErrors.tableMayHaveChanged(Kind.DATA));
        assertFalse(InsertErrors.tableMayHaveChanged(Kind.NO_ANSWER));
        assertFalse(InsertErrors.tableMayHaveChanged(Kind.CONNECTION));
    }
}
