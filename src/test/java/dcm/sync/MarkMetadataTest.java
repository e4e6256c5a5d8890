package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
