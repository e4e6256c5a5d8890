package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.sync.QueryLogCheck.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which offsets a restart skips, given the batches in flight the commits name and the query log's verdicts. */
class InFlightBatchesTest {
    private final TopicPartition p0 = new TopicPartition("t", 0);
    private final TopicPartition p1 = new TopicPartition("t", 1);
    private final Map<String, Long> asked = new HashMap<>();

    private InFlightBatches batches(Map<String, Verdict> verdicts, Map<TopicPartition, OffsetAndMetadata> committed) {
        return new InFlightBatches(handed -> {
            asked.putAll(handed);
            return verdicts;
        }, committed, Map.of(), Map.of());
    }

    private static OffsetAndMetadata at(long offset, MarkMetadata.Pending... pending) {
        return new OffsetAndMetadata(offset, MarkMetadata.encode("id", pending.length == 0 ? -1
                : pending[pending.length - 1].end(), List.of(pending)));
    }

    private static MarkMetadata.Pending b(String hash, long end) {
        return new MarkMetadata.Pending(hash, end, 100);
    }

    @Test
    void skipsTheBatchesThatLandedAndReadsTheRestAgain() {
        InFlightBatches in = batches(Map.of("aa", Verdict.LANDED, "bb", Verdict.NOT_LANDED),
                Map.of(p0, at(2000, b("aa", 4000), b("bb", 6000)), p1, at(500, b("bb", 700))));
        assertEquals(Map.of("aa", 100L, "bb", 100L), asked, "asked once, for every batch");
        InFlightBatches.Outcome o0 = in.decide(p0, 2000);
        assertEquals(4000, o0.from());
        assertTrue(o0.decided());
        assertEquals(6000, o0.lastEnd());
        assertEquals(List.of(), o0.rest());
        InFlightBatches.Outcome o1 = in.decide(p1, 500);
        assertEquals(500, o1.from());
        assertTrue(o1.decided());
        assertTrue(in.report().contains("1 of them landed (2000 record offset(s), not inserted again) and 1 did not"),
                in.report());
    }

    @Test
    void whatTheLogCannotTellStaysUncertain() {
        InFlightBatches in = batches(Map.of("aa", Verdict.LANDED, "bb", Verdict.UNSURE),
                Map.of(p0, at(0, b("aa", 10), b("bb", 20))));
        InFlightBatches.Outcome o = in.decide(p0, 0);
        assertEquals(10, o.from());
        assertFalse(o.decided());
        assertEquals(List.of(b("bb", 20)), o.rest());
        assertTrue(in.whyUnsure().contains("could not tell"), in.whyUnsure());
    }

    @Test
    void aLandedBatchAfterOneThatDidNotLandIsNotTrusted() {
        // cannot happen (a batch is inserted only once the one before it landed): read both again, uncertain
        InFlightBatches in = batches(Map.of("aa", Verdict.NOT_LANDED, "bb", Verdict.LANDED),
                Map.of(p0, at(0, b("aa", 10), b("bb", 20))));
        InFlightBatches.Outcome o = in.decide(p0, 0);
        assertEquals(0, o.from());
        assertFalse(o.decided());
    }

    @Test
    void withoutAQueryLogNothingIsDecided() {
        InFlightBatches in = batches(null, Map.of(p0, at(0, b("aa", 10))));
        InFlightBatches.Outcome o = in.decide(p0, 0);
        assertEquals(0, o.from());
        assertFalse(o.decided());
        assertEquals(List.of(b("aa", 10)), o.rest());
        assertTrue(in.whyUnsure().contains("keeps no query log"), in.whyUnsure());
    }

    @Test
    void batchesACommitOrTheLandedLogPassedAreNotAskedFor() {
        InFlightBatches in = batches(Map.of(), Map.of(p0, at(50, b("aa", 40))));
        assertEquals(Map.of(), asked);
        assertFalse(in.decide(p0, 50).decided());
        assertEquals("", in.report());
    }
}
