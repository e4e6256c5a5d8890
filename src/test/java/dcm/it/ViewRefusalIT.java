package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.Wait;
import dcm.clickhouse.ClickHouse;
import dcm.config.ProjectConfig;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.ingest.Ingestor;
import dcm.ingest.Schema;
import dcm.kafka.Broker;
import dcm.sync.SyncManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync into a table one of whose materialized views (a later version's mapping) refuses some values: 18.16 stores
 * the insert's block in the table, then fails it in the view. The sync never sends such a batch again: the table
 * holds every record once, the view's table the records of the batches it took, and the dead letters exactly the
 * records of the refused batches, saying where they are missing; the sync goes on. And the insert that makes it
 * exact: every sync insert is one block, also past the server's default block size.
 */
class ViewRefusalIT {
    private static final String TABLE = "Ev_1_0";
    @TempDir
    Path dir;

    @Test
    void aBatchAViewRefusesIsStoredOnceAndDeadLetteredAndTheSyncGoesOn() throws Exception {
        refusedBatches(false);
    }

    @Test
    void aBatchAViewRefusesAsJsonLinesIsNotSplitNorSentAgain() throws Exception {
        refusedBatches(true);
    }

    /**
     * 300 good records, then 1,000 with 5 bad ones, then 200 of another producer with 2 bad ones, then a good one,
     * into a table whose second view refuses the bad ones; {@code json}: the table has a column more than the model
     * (so no batch goes as TSV: every one as JSON lines, whose data errors split the batch).
     */
    private void refusedBatches(boolean json) throws Exception {
        TestServers.Isolated iso = TestServers.isolated("vr");
        String db = iso.db();
        SyncProject project = SyncProject.apply(dir, iso.env(), db, Map.of("ev.jsh", StreamIT.MODEL));
        ProjectConfig config = project.config();
        ModelSpec model = project.model("Ev");
        Schema schema = new Schema(model);
        String topic = model.topic().name();
        try (ClickHouse ch = new ClickHouse(config.clickhouse()); Broker broker = new Broker(config.broker());
             Ingestor ingestor = new Ingestor(config.broker(), 1)) {
            if (json) {
                ch.execute("ALTER TABLE " + Sql.table(db, TABLE) + " ADD COLUMN extra String DEFAULT ''");
            }
            // two views, as a later version's table gets them; 18.16 pushes to them in name order: the first takes
            // every row, the second refuses an n over 5 (a throwIf guard) and a user that is not a number (a CAST)
            ch.execute("CREATE TABLE " + Sql.table(db, "Carry") + " (id String, n Int32) ENGINE = MergeTree"
                    + " ORDER BY id");
            ch.execute("CREATE TABLE " + Sql.table(db, "Later") + " (id String, n Int32, u UInt16) ENGINE = MergeTree"
                    + " ORDER BY id");
            ch.execute("CREATE MATERIALIZED VIEW " + Sql.table(db, "a_carry") + " TO " + Sql.table(db, "Carry")
                    + " AS SELECT id, n FROM " + Sql.table(db, TABLE));
            ch.execute("CREATE MATERIALIZED VIEW " + Sql.table(db, "z_refuse") + " TO " + Sql.table(db, "Later")
                    + " AS SELECT id, if(throwIf(n > 5) = 0, n, n) AS n, CAST(user AS UInt16) AS u FROM "
                    + Sql.table(db, TABLE));
            try (SyncManager sync = new SyncManager(config, ch, broker, 100, 200)) {
                assertEquals(1, sync.start(List.of(model)));
                // good records only: every one in all three tables
                send(ingestor, schema, topic, records(schema, "g", 0, 300, Set.of()), 50);
                RowCount.await(ch, db, TABLE, null, 300, Duration.ofSeconds(60));
                RowCount.await(ch, db, "Later", null, 300, Duration.ofSeconds(60));
                RowCount.await(ch, db, "Carry", null, 300, Duration.ofSeconds(60));
                assertEquals(0, sync.status().get(0).deadLetters(), sync.status().toString());

                // 1,000 more with 5 bad ones among them (batches of 100 rows at most: most batches have none)
                Set<Integer> bad = Set.of(13, 213, 413, 613, 813);
                send(ingestor, schema, topic, records(schema, "r", 0, 1_000, bad), 50);
                // the table holds every record once: a refused batch is not sent again
                RowCount.await(ch, db, TABLE, null, 1_300, Duration.ofSeconds(60));
                assertTrue(sync.awaitIdle(60_000), "the sync caught up: " + sync.status());
                assertEquals("1300\t1300", RowCount.rowsAndDistinct(ch, db, TABLE, "id"));
                assertEquals("1300\t1300", RowCount.rowsAndDistinct(ch, db, "Carry", "id"));
                Set<String> later = ids(ch, db, "Later");
                long refused = 1_300 - later.size();
                assertEquals(later.size() + "\t" + later.size(), RowCount.rowsAndDistinct(ch, db, "Later", "id"));
                // at most the five batches that held a bad record, of 100 rows at most, at least the bad records
                assertTrue(refused >= 5 && refused <= 500, refused + " record(s) missing from Later");

                // the dead letters: exactly the records missing from Later, each once, with the reason
                List<ConsumerRecord<String, String>> dead = readAll(topic + ".dlq", (int) refused);
                assertEquals(refused, dead.size(), "dead letters");
                Set<String> deadIds = new HashSet<>();
                for (ConsumerRecord<String, String> r : dead) {
                    String id = dcm.ingest.FieldTypeAccess.json(r.value()).get("id").asText();
                    assertTrue(deadIds.add(id), "dead-lettered twice: " + id);
                    String reason = new String(r.headers().lastHeader("dcm.reason").value(), StandardCharsets.UTF_8);
                    assertTrue(reason.startsWith("stored in " + db + "." + TABLE + ", but the view " + db
                            + ".z_refuse (a later version's mapping) refused the insert of the "), reason);
                    assertTrue(reason.contains("while pushing to view " + db + ".z_refuse"), reason);
                    assertTrue(reason.contains("It is missing from that view's table"), reason);
                    assertTrue(reason.endsWith("fix the mapping (`mapping Ev`) and copy it there by hand"), reason);
                }
                Set<String> all = new HashSet<>(later);
                all.addAll(deadIds);
                assertEquals(1_300, all.size(), "every record either in Later or dead-lettered, never both");
                for (int i : bad) {
                    assertTrue(deadIds.contains("r" + i), "bad record r" + i + " dead-lettered: "
                            + new TreeSet<>(deadIds));
                }
                SyncManager.Status status = sync.status().get(0);
                assertEquals(refused, status.deadLetters(), status.toString());
                assertTrue(status.lastError().contains("but the view " + db + ".z_refuse"), status.toString());

                // records of another producer (checked by the sync), timestamps as epoch seconds
                Set<Integer> foreignBad = Set.of(50, 150);
                produceForeign(topic, 200, foreignBad);
                RowCount.await(ch, db, TABLE, null, 1_500, Duration.ofSeconds(60));
                assertTrue(sync.awaitIdle(60_000), "the sync caught up: " + sync.status());
                assertEquals("1500\t1500", RowCount.rowsAndDistinct(ch, db, TABLE, "id"));
                assertEquals("1500\t1500", RowCount.rowsAndDistinct(ch, db, "Carry", "id"));
                Set<String> laterForeign = ids(ch, db, "Later");
                laterForeign.removeAll(later);
                long refusedForeign = 200 - laterForeign.size();
                assertTrue(refusedForeign >= 2 && refusedForeign <= 200, refusedForeign + " foreign record(s) refused");
                List<ConsumerRecord<String, String>> deadForeign = readAll(topic + ".dlq", (int) (refused
                        + refusedForeign)).subList((int) refused, (int) (refused + refusedForeign));
                Set<String> deadForeignIds = new HashSet<>();
                for (ConsumerRecord<String, String> r : deadForeign) {
                    assertTrue(deadForeignIds.add(dcm.ingest.FieldTypeAccess.json(r.value()).get("id").asText()));
                }
                deadForeignIds.addAll(laterForeign);
                assertEquals(200, deadForeignIds.size(), "every foreign record either in Later or dead-lettered");
                foreignBad.forEach(i -> assertTrue(deadForeignIds.contains("f" + i) && !laterForeign.contains("f" + i),
                        "bad foreign record f" + i + " dead-lettered, not in Later"));
                assertEquals(refused + refusedForeign, sync.status().get(0).deadLetters(), sync.status().toString());

                // the sync goes on: a good record lands in every table, and nothing more is dead-lettered
                send(ingestor, schema, topic, records(schema, "after", 0, 1, Set.of()), 1);
                RowCount.await(ch, db, "Later", "id = 'after0'", 1, Duration.ofSeconds(60));
                RowCount.await(ch, db, TABLE, null, 1_501, Duration.ofSeconds(60));
                assertEquals(1_500 - refused - refusedForeign + 1, RowCount.rows(ch, db, "Later"));
                assertEquals(1_501, RowCount.rows(ch, db, "Carry"));
                assertTrue(sync.awaitIdle(60_000), "the sync caught up: " + sync.status());
                SyncManager.Status end = sync.status().get(0);
                assertEquals(refused + refusedForeign, end.deadLetters(), end.toString());
                // every record went as TSV (refused batches included), or none
                assertEquals(json ? 0 : 1_501, end.tsvRows(), end.toString());
            }
        } finally {
            iso.drop();
        }
    }

    /**
     * A view whose table is gone (dropped by hand, a half-finished change): 18.16 refuses the insert before it stores
     * anything (code 60), so the sync sends the batch again until the table is back, and then every record is in
     * both tables exactly once, nothing dead-lettered.
     */
    @Test
    void aViewWhoseTableIsMissingStoresNothingAndTheBatchLandsOnceWhenItIsBack() throws Exception {
        TestServers.Isolated iso = TestServers.isolated("vm");
        String db = iso.db();
        SyncProject project = SyncProject.apply(dir, iso.env(), db, Map.of("ev.jsh", StreamIT.MODEL));
        ProjectConfig config = project.config();
        ModelSpec model = project.model("Ev");
        Schema schema = new Schema(model);
        try (ClickHouse ch = new ClickHouse(config.clickhouse()); Broker broker = new Broker(config.broker());
             Ingestor ingestor = new Ingestor(config.broker(), 1)) {
            String carry = "CREATE TABLE " + Sql.table(db, "Carry") + " (id String, n Int32) ENGINE = MergeTree"
                    + " ORDER BY id";
            ch.execute(carry);
            ch.execute("CREATE MATERIALIZED VIEW " + Sql.table(db, "a_carry") + " TO " + Sql.table(db, "Carry")
                    + " AS SELECT id, n FROM " + Sql.table(db, TABLE));
            ch.execute("DROP TABLE " + Sql.table(db, "Carry"));
            try (SyncManager sync = new SyncManager(config, ch, broker, 100, 200)) {
                assertEquals(1, sync.start(List.of(model)));
                send(ingestor, schema, model.topic().name(), records(schema, "m", 0, 250, Set.of()), 50);
                Wait.until("the sync reports the missing table", Duration.ofSeconds(60),
                        () -> sync.status().get(0).lastError() != null
                                && sync.status().get(0).lastError().contains("doesn't exist"));
                assertEquals(0, RowCount.rows(ch, db, TABLE), "nothing stored while the view's table is missing");
                ch.execute(carry);
                RowCount.await(ch, db, TABLE, null, 250, Duration.ofSeconds(60));
                RowCount.await(ch, db, "Carry", null, 250, Duration.ofSeconds(60));
                assertTrue(sync.awaitIdle(60_000), "the sync caught up: " + sync.status());
                assertEquals("250\t250", RowCount.rowsAndDistinct(ch, db, TABLE, "id"));
                assertEquals("250\t250", RowCount.rowsAndDistinct(ch, db, "Carry", "id"));
                assertEquals(0, sync.status().get(0).deadLetters(), sync.status().toString());
            }
        } finally {
            iso.drop();
        }
    }

    /**
     * The sync's inserts are one block, past the server's default {@code max_insert_block_size} (1,048,576): a
     * view counting the rows of each block it is pushed sees one block of 1,100,000 rows, where the same insert
     * without the settings is two (1,048,576 and 51,424 rows).
     */
    @Test
    void anInsertOfMoreRowsThanTheDefaultBlockIsOneBlock() {
        TestServers.Isolated iso = TestServers.isolated("vb");
        String db = iso.db();
        try (ClickHouse ch = iso.clickhouse()) {
            ch.execute("CREATE DATABASE " + Sql.id(db));
            ch.execute("CREATE TABLE " + Sql.table(db, "src") + " (x UInt32) ENGINE = MergeTree ORDER BY x");
            ch.execute("CREATE TABLE " + Sql.table(db, "blocks") + " (n UInt64) ENGINE = Log");
            ch.execute("CREATE MATERIALIZED VIEW " + Sql.table(db, "count_blocks") + " TO " + Sql.table(db, "blocks")
                    + " AS SELECT count() AS n FROM " + Sql.table(db, "src"));
            int rows = 1_100_000;
            StringBuilder tsv = new StringBuilder("x\n");
            for (int i = 0; i < rows; i++) {
                tsv.append(i).append('\n');
            }
            byte[] body = tsv.toString().getBytes(StandardCharsets.UTF_8);
            ch.insertTabSeparatedWithNames("src", List.of("x"), new ByteArrayInputStream(body), rows);
            assertEquals("[1100000]", blocks(ch, db));
            ch.execute("TRUNCATE TABLE " + Sql.table(db, "blocks"));
            // without the settings: the server's default block size
            ch.insertTabSeparatedWithNames("src", List.of("x"), new ByteArrayInputStream(body));
            assertEquals("[51424,1048576]", blocks(ch, db));
            assertEquals(2L * rows, RowCount.rows(ch, db, "src"));
        } finally {
            iso.drop();
        }
    }

    private static String blocks(ClickHouse ch, String db) {
        return ch.scalar("SELECT arraySort(groupArray(n)) FROM " + Sql.table(db, "blocks") + " FORMAT TabSeparated");
    }

    /**
     * Records {@code prefix + i} for i in [from, to); those in {@code bad} refused by the view: alternately an n
     * over 5 and a user that is not a number.
     */
    private static List<ObjectNode> records(Schema schema, String prefix, int from, int to, Set<Integer> bad) {
        List<ObjectNode> out = new ArrayList<>();
        int k = 0;
        for (int i = from; i < to; i++) {
            boolean refused = bad.contains(i);
            int n = refused && k % 2 == 0 ? 10 : 1;
            String user = refused && k++ % 2 == 1 ? "x" : "7";
            out.add(schema.validate(dcm.ingest.FieldTypeAccess.json("{\"id\":\"" + prefix + i + "\",\"user\":\""
                    + user + "\",\"n\":" + n + ",\"at\":\"2024-05-01T12:00:00Z\"}"), i));
        }
        return out;
    }

    /**
     * Writes {@code count} records {@code f<i>} as another producer would (no transaction, no schema tag, the
     * timestamp as epoch seconds); those in {@code bad} with an n the view refuses.
     */
    private static void produceForeign(String topic, int count, Set<Integer> bad) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestServers.get().config().broker().broker());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "f" + i, "{\"id\":\"f" + i + "\",\"user\":\"7\",\"n\":"
                        + (bad.contains(i) ? 10 : 1) + ",\"at\":1714564800}"));
            }
            producer.flush();
        }
    }

    private static void send(Ingestor ingestor, Schema schema, String topic, List<ObjectNode> records, int per) {
        for (int start = 0; start < records.size(); start += per) {
            ingestor.send(topic, schema, records.subList(start, Math.min(records.size(), start + per)));
        }
    }

    private static Set<String> ids(ClickHouse ch, String db, String table) {
        String text = ch.scalar("SELECT arrayStringConcat(groupArray(id), ',') FROM " + Sql.table(db, table)
                + " FORMAT TabSeparated");
        return text.isEmpty() ? new HashSet<>() : new HashSet<>(List.of(text.split(",")));
    }

    /** The records of a topic once there are {@code expected} (more would show in the count asserted after). */
    private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestServers.get().config().broker().broker());
        p.put("group.id", "it-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            Wait.until(expected + " record(s) in " + topic, Duration.ofSeconds(30), () -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size();
            }, n -> n >= expected);
            // one more poll: a record beyond the expected ones would show
            c.poll(Duration.ofMillis(500)).forEach(out::add);
            return out;
        }
    }
}
