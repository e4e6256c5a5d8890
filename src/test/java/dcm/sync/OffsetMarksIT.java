package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.clickhouse.ClickHouse;
import dcm.config.ClickHouseConfig;
import dcm.config.ProjectConfig;
import dcm.it.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The marks a sync leaves at the real broker and in the real ClickHouse: what is committed and which intent the
 * committed offset's metadata carries after each step (an intent stays until the commits pass it, whatever
 * partitions later commits touch), and what the landed log backstops. The crash tests see these only through
 * their outcome; here each step is checked.
 */
class OffsetMarksIT {
    private final TestServers servers = TestServers.get();
    private final String db = "om_" + Long.toString(System.nanoTime(), 36);
    private final String topic = db + ".T";
    private final String group = "dcm-sync." + db + ".T";
    private final TopicPartition p0 = new TopicPartition(topic, 0);
    private final TopicPartition p1 = new TopicPartition(topic, 1);
    private final List<String> errors = new ArrayList<>();
    private ClickHouse ch;
    private LandedLog log;
    private Admin admin;

    @BeforeEach
    void setUp() {
        ProjectConfig config = servers.config();
        ClickHouseConfig c = config.clickhouse();
        servers.clickhouse().execute("CREATE DATABASE `" + db + "`");
        ch = new ClickHouse(new ClickHouseConfig(c.host(), c.hostPort(), c.nativePort(), db, c.user(), c.password(),
                c.useSsl()));
        log = new LandedLog(ch, group);
        log.ensure();
        servers.broker().createTopic(topic, 2, 1, 3_600_000L);
        admin = Admin.create(Map.of("bootstrap.servers", config.broker().broker()));
    }

    @AfterEach
    void tearDown() throws Exception {
        admin.deleteTopics(List.of(topic)).all().get();
        admin.close();
        ch.close();
        servers.clickhouse().execute("DROP DATABASE IF EXISTS `" + db + "`");
    }

    private OffsetMarks marks(long backstopMs) {
        return new OffsetMarks(servers.config().broker(), group, log, errors::add, backstopMs, () -> "");
    }

    private static Map<TopicPartition, OffsetAndMetadata> at(TopicPartition tp, long offset) {
        return Map.of(tp, new OffsetAndMetadata(offset));
    }

    /** The group's committed offset and metadata of a partition, as the broker has them: "offset metadata". */
    private String committed(TopicPartition tp) throws Exception {
        OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
        return o == null ? "none" : o.offset() + " " + o.metadata();
    }

    @Test
    void anIntentStaysInTheMetadataUntilTheCommitsPassIt() throws Exception {
        try (OffsetMarks marks = marks(60_000)) {
            marks.base(p0, 0);
            marks.base(p1, 0);
            // before the first batch (p0 up to 100) is inserted
            marks.note(Map.of(), at(p0, 100));
            assertEquals("0 dcm-intent=100", committed(p0));
            assertEquals("none", committed(p1), "a partition no batch touched is not committed");
            // the first batch landed only to 60 (a batch cut in the middle of a poll); the next, to 100 and on p1
            // to 40, is about to be inserted
            marks.note(at(p0, 60), Map.of(p0, new OffsetAndMetadata(100), p1, new OffsetAndMetadata(40)));
            assertEquals("60 dcm-intent=100", committed(p0));
            assertEquals("0 dcm-intent=40", committed(p1));
            // a landed commit on p1 alone leaves p0's intent where it is
            marks.note(at(p1, 40), Map.of());
            assertEquals("40 ", committed(p1));
            assertEquals("60 dcm-intent=100", committed(p0));
            // passed: no intent left
            marks.note(at(p0, 100), Map.of());
            assertEquals("100 ", committed(p0));
            // positions past transaction markers, with no batch in flight
            marks.skip(at(p0, 101));
            assertEquals("101 ", committed(p0));
            assertTrue(errors.isEmpty(), errors.toString());
        }
    }

    @Test
    void intentsRecoveryFoundAreCarriedOnByTheNextCommits() throws Exception {
        try (OffsetMarks marks = marks(60_000)) {
            // restarted after a crash: committed 20, a batch up to 50 may have landed; every commit names the
            // topic it is for (by id)
            marks.seed("t1", Map.of(p0, 20L), Map.of(p0, 50L));
            // the batch read again is cut at 35: the commit past it still says what may be in the table
            marks.note(Map.of(), at(p0, 35));
            assertEquals("20 dcm-topic=t1;dcm-intent=50", committed(p0));
            marks.note(at(p0, 35), Map.of());
            assertEquals("35 dcm-topic=t1;dcm-intent=50", committed(p0));
            marks.note(at(p0, 55), Map.of());
            assertEquals("55 dcm-topic=t1", committed(p0));
            OffsetAndMetadata read = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(p0);
            assertEquals("t1", MarkMetadata.topicId(read));
            assertEquals(-1, MarkMetadata.intent(read));
        }
    }

    @Test
    void theLandedLogBackstopsWhatIsCommitted() throws Exception {
        try (OffsetMarks busy = marks(60_000)) {
            busy.base(p0, 0);
            busy.note(at(p0, 10), Map.of());
            busy.backstopIfDue();
            assertTrue(log.landed().isEmpty(), "not due yet: " + log.landed());
            assertTrue(busy.behind());
            assertTrue(busy.backstop());
            assertEquals(Map.of(0, 10L), log.landed());
            assertFalse(busy.behind());
        }
        try (OffsetMarks due = marks(0)) {
            due.seed("", Map.of(p0, 10L), Map.of());
            due.note(at(p0, 30), at(p0, 45));
            due.backstopIfDue();
            assertEquals(Map.of(0, 30L), log.landed(), "the backstop holds what landed, never an intent");
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
