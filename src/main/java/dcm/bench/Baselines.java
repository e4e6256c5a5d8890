package dcm.bench;

import dcm.clickhouse.ClickHouse;
import dcm.config.ProjectConfig;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.core.plan.SqlGen;
import dcm.kafka.KafkaClients;
import dcm.sync.SyncManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The limits a sync is measured against, each measured in the same run: a plain consumer reading the topic, and
 * plain JSONEachRow inserts of the same rows; a sync cannot be faster than the slower of the two.
 */
final class Baselines {
    private Baselines() {}

    static double plainConsume(ProjectConfig config, String topic, int rows) {
        // the sync's fetch settings (and no CRC checks, as the sync): the baseline is at least as fast as the sync's
        // consumer could be
        try (KafkaConsumer<byte[], byte[]> c = new KafkaClients(config.broker()).bulkReader(
                SyncManager.MAX_POLL_RECORDS, 32 * 1024 * 1024, 16 * 1024 * 1024, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long t0 = System.nanoTime();
            long n = 0;
            long deadline = System.currentTimeMillis() + 300_000;
            while (n < rows) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the plain consumer read " + n + " of " + rows
                            + " records in 5 min");
                }
                n += c.poll(Duration.ofMillis(100)).count();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Inserts the rows into a copy of the table, in inserts as large as the sync's largest batch (so both pay
     * ClickHouse the same per insert: on a host where creating a part's files is slow, bigger inserts alone are
     * faster), the bodies built before the clock starts; then drops the copy, so its merges do not run on into
     * what is measured next.
     */
    static double plainInsert(ClickHouse ch, ModelSpec m, int rows, long bytesPerInsert)
            throws InterruptedException {
        String copy = m.table().name() + "_plain";
        ch.execute(new SqlGen(StreamBench.DB, ch.dialect()).createTable(m.table(), copy));
        List<byte[]> bodies = new ArrayList<>();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < rows; i++) {
            byte[] line = StreamBench.row(i, 0);
            if (body.size() > 0 && body.size() + line.length + 1 > bytesPerInsert) {
                bodies.add(body.toByteArray());
                body.reset();
            }
            body.write(line, 0, line.length);
            body.write('\n');
        }
        bodies.add(body.toByteArray());
        StreamBench.awaitMergesIdle(ch);
        long t0 = System.nanoTime();
        for (byte[] b : bodies) {
            ch.insertJsonEachRow(copy, b);
        }
        double rate = rows / ((System.nanoTime() - t0) / 1e9);
        ch.execute("DROP TABLE " + Sql.table(StreamBench.DB, copy));
        return rate;
    }

}
