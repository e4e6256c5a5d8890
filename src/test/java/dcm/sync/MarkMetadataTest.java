package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class MarkMetadataTest {
    @Test
    void encodesTheTopicFirstAndTheIntentWhenThereIsOne() {
        assertEquals("dcm-topic=abc;dcm-intent=120", MarkMetadata.encode("abc", 120));
        assertEquals("dcm-topic=abc", MarkMetadata.encode("abc", -1));
        assertEquals("dcm-intent=0", MarkMetadata.encode("", 0));
        assertEquals("dcm-intent=7", MarkMetadata.encode(null, 7));
        assertEquals("", MarkMetadata.encode("", -1));
    }

    @Test
    void decodesWhatItEncodes() {
        for (String id : new String[] {"", "Qk9h2mJ5Ry6TZ0hXk3g7Fw"}) {
            for (long intent : new long[] {-1, 0, 5, Long.MAX_VALUE}) {
                String m = MarkMetadata.encode(id, intent);
                assertEquals(intent, MarkMetadata.intent(m), m);
                assertEquals(id.isEmpty() ? null : id, MarkMetadata.topicId(m), m);
            }
        }
    }

    @Test
    void metadataOfOthersIsNoTopicAndNoIntent() {
        assertEquals(-1, MarkMetadata.intent((String) null));
        assertNull(MarkMetadata.topicId((String) null));
        assertEquals(-1, MarkMetadata.intent(""));
        assertEquals(-1, MarkMetadata.intent("some app's note"));
        assertEquals(-1, MarkMetadata.intent("dcm-intent=twelve"), "not a number");
        assertNull(MarkMetadata.topicId("x;y"));
        assertEquals(42, MarkMetadata.intent("other=1;dcm-intent=42"), "fields in any order");
        assertEquals(-1, MarkMetadata.intent((OffsetAndMetadata) null));
        assertNull(MarkMetadata.topicId((OffsetAndMetadata) null));
        assertEquals("t", MarkMetadata.topicId(new OffsetAndMetadata(3, "dcm-topic=t;dcm-intent=9")));
        assertEquals(9, MarkMetadata.intent(new OffsetAndMetadata(3, "dcm-topic=t;dcm-intent=9")));
        assertEquals(-1, MarkMetadata.intent(new OffsetAndMetadata(3)));
    }

    @Test
    void namesTheBatchesInFlightCompactly() {
        String hash = InsertJob.hash("Hx7_topic-id-22chars", "5f3a9c1d2e4b6a70", 12,
                java.util.Map.of(new org.apache.kafka.common.TopicPartition("t", 0), new OffsetAndMetadata(4000)));
        assertEquals(24, hash.length());
        var batches = java.util.List.of(new MarkMetadata.Pending(hash, 4000, 1796056667L),
                new MarkMetadata.Pending("0123456789abcdef01234567", 6000, 1796056668L));
        String m = MarkMetadata.encode("Hx7_topic-id-22chars", 6000, batches);
        assertEquals("dcm-topic=Hx7_topic-id-22chars;dcm-intent=6000;dcm-batches=" + hash + "@4000@1796056667,"
                + "0123456789abcdef01234567@6000@1796056668", m);
        OffsetAndMetadata o = new OffsetAndMetadata(2000, m);
        assertEquals(batches, MarkMetadata.batches(o));
        assertEquals(6000, MarkMetadata.intent(o));
        assertEquals("Hx7_topic-id-22chars", MarkMetadata.topicId(o));
        // the most a partition's metadata names (the pipeline's batches) stays far below Kafka's 4096 bytes
        assertTrue(MarkMetadata.encode("Hx7_topic-id-22chars", Long.MAX_VALUE, java.util.Collections.nCopies(
                TopicSync.PIPELINE, new MarkMetadata.Pending(hash, Long.MAX_VALUE, Long.MAX_VALUE))).length() < 300);
    }

    @Test
    void leavesOutBatchesBeyondWhatKafkaTakes() {
        var many = java.util.Collections.nCopies(60, new MarkMetadata.Pending("0123456789abcdef01234567", 1L << 40,
                1796056667L));
        assertEquals("dcm-topic=t;dcm-intent=9", MarkMetadata.encode("t", 9, many));
        assertTrue(MarkMetadata.encode("t", 9, many.subList(0, 30)).length() <= MarkMetadata.MAX_LENGTH);
        assertEquals(30, MarkMetadata.batches(new OffsetAndMetadata(1, MarkMetadata.encode("t", 9,
                many.subList(0, 30)))).size());
    }

    @Test
    void readsNoBatchesFromMetadataItCannotParse() {
        assertEquals(java.util.List.of(), MarkMetadata.batches(new OffsetAndMetadata(1, "dcm-batches=xyz@1@2")));
        assertEquals(java.util.List.of(), MarkMetadata.batches(new OffsetAndMetadata(1, "dcm-batches=ab@1")));
        assertEquals(java.util.List.of(), MarkMetadata.batches(new OffsetAndMetadata(1, "dcm-intent=4")));
        assertEquals(java.util.List.of(), MarkMetadata.batches(null));
        assertEquals("dcm-topic=t", MarkMetadata.encode("t", -1, java.util.List.of()));
    }

    @Test
    void hashesDifferForTheSameOffsetsReadAgain() {
        var ends = java.util.Map.of(new org.apache.kafka.common.TopicPartition("t", 0), new OffsetAndMetadata(10));
        assertEquals(InsertJob.hash("id", "run", 1, ends), InsertJob.hash("id", "run", 1, ends));
        assertNotEquals(InsertJob.hash("id", "run", 1, ends), InsertJob.hash("id", "run2", 1, ends));
        assertNotEquals(InsertJob.hash("id", "run", 1, ends), InsertJob.hash("id", "run", 2, ends));
        assertTrue(InsertJob.queryId("ab").startsWith(InsertJob.QUERY_ID_PREFIX));
    }
}
