package dcm.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.clickhouse.ClickHouse;
import dcm.config.ClickHouseConfig;
import dcm.config.ProjectConfig;
import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import dcm.core.plan.SqlGen;
import dcm.ingest.Ingestor;
import dcm.ingest.Schema;
import dcm.kafka.Broker;
import dcm.kafka.KafkaClients;
import dcm.sync.SyncManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Topic-to-table throughput of the sync against its limit measured in the same run (the slower of a plain
 * consumer reading the topic and a plain JSONEachRow insert of the rows; target 70%), and the latency from ingest
 * to visible in the table at 1,000 rows/s (target p99 under 2 s).
 */
final class StreamBench {
    /** Rows per round: about 2-3 s of sync here, so its start and its last batch weigh little. */
    private static final int ROWS = Integer.getInteger("bench.rows", 3_000_000);
    private static final int ROUNDS = 3;
    /**
     * Warm-up rounds, run first and not reported: a long-running shell syncs with compiled code (measured with
     * rounds of 1,000,000 rows: the JIT still compiled 0.2-0.6 CPU-s during a round after two warm-up rounds,
     * mostly under 0.1 after five; the syncs, fills and baselines share Kafka's and client-v2's classes with other
     * types, and keep recompiling). With three rounds of 3,000,000 rows the JIT still compiled 0.1-1.1 CPU-s during
     * a measured sync (of about 4 CPU-s); five bring it to 0.1-0.2.
     */
    private static final int WARM_UP_ROUNDS = Integer.getInteger("bench.warmUpRounds", 5);
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    static final String DB = "dcm_bench_stream";
    /** The largest batch (bytes of JSON lines) the last measured sync inserted: the plain insert's size. */
    private static long largestBatch;

    private StreamBench() {}

    static void run(ProjectConfig config) throws Exception {
        ClickHouseConfig c = config.clickhouse();
        try (ClickHouse ch = new ClickHouse(new ClickHouseConfig(c.host(), c.hostPort(), c.nativePort(), DB, c.user(),
                c.password(), c.useSsl())); Broker broker = new Broker(config.broker())) {
            if (!ch.answers() || !broker.answers(3000)) {
                System.out.println("stream bench skipped: servers do not answer (run `./shell -c \"infra up\"`)");
                return;
            }
            ch.execute("DROP DATABASE IF EXISTS " + Sql.id(DB));
            ch.execute("CREATE DATABASE " + Sql.id(DB));
            throughput(config, ch, broker);
            if (!Boolean.getBoolean("bench.skipLatency")) {
                latency(config, ch, broker);
            }
            ch.execute("DROP DATABASE IF EXISTS " + Sql.id(DB));
        }
    }

    private static ModelSpec model(String name, int partitions) {
        return model(name, name + "_1_0", DB + "." + name + "_1_0." + System.nanoTime(), partitions);
    }

    /** A model version; the same name (and so the same schema fingerprint) may land in several tables. */
    static ModelSpec model(String name, String physical, String topic, int partitions) {
        List<ColumnSpec> cols = List.of(new ColumnSpec("id", "String", true, null, null), ColumnSpec.of("seq", "Int64"),
                ColumnSpec.of("sentMs", "Int64"), ColumnSpec.of("payload", "String"));
        return new ModelSpec(name, "1.0", cols, new TableSpec(physical, cols, "MergeTree", List.of("id"), null,
                LifeCycle.FULLY_MANAGED), new TopicSpec(topic, partitions,
                3_600_000L, LifeCycle.FULLY_MANAGED), true, "bench");
    }

    /** Creates the model's table (in the client's database) and its topic. */
    static void create(ClickHouse ch, Broker broker, ModelSpec m, ProjectConfig config) {
        ch.execute(new SqlGen(ch.database(), ch.dialect()).createTable(m.table(), m.table().name()));
        broker.createTopic(m.topic().name(), m.topic().partitions(), config.broker().replicationFactor(), 3_600_000L);
    }

    static byte[] row(long seq, long sentMs) {
        return ("{\"id\":\"r" + seq + "\",\"seq\":" + seq + ",\"sentMs\":" + sentMs
                + ",\"payload\":\"lorem ipsum dolor sit amet\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Sends {@code rows} rows to the model's topic through the ingest path (transactions of 10,000). */
    static void ingest(ProjectConfig config, ModelSpec m, int rows) throws Exception {
        Schema schema = new Schema(m);
        try (Ingestor ingestor = new Ingestor(config.broker(), 1)) {
            for (int start = 0; start < rows; start += 10_000) {
                List<ObjectNode> chunk = new ArrayList<>();
                for (int i = start; i < Math.min(rows, start + 10_000); i++) {
                    chunk.add((ObjectNode) MAPPER.readTree(row(i, 0)));
                }
                ingestor.send(m.topic().name(), schema, chunk);
            }
        }
    }

    /** Puts the measured rows into a model version's topic. */
    interface Fill {
        void run() throws Exception;
    }

    private static void throughput(ProjectConfig config, ClickHouse ch, Broker broker) throws Exception {
        // warm-up rounds, not reported: the sync and the baselines run compiled code afterwards
        for (int w = 0; w < WARM_UP_ROUNDS; w++) {
            ModelSpec warm = model("Thru", "Thru_warm" + w, DB + ".warm" + w + "." + System.nanoTime(), 2);
            create(ch, broker, warm, config);
            syncRate(config, ch, broker, warm, ROWS, () -> ingest(config, warm, ROWS), false);
            ch.execute("DROP TABLE " + Sql.table(DB, warm.table().name()));
            Baselines.plainConsume(config, warm.topic().name(), ROWS);
            Baselines.plainInsert(ch, warm, ROWS, largestBatch);
        }

        // rounds, each with its own topic and table; each quantity is reported as its median over the rounds, as
        // the two cores are shared by the shell and both servers
        double[] consume = new double[ROUNDS];
        double[] insert = new double[ROUNDS];
        double[] sync = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            ModelSpec m = model("Thru", "Thru_round" + r, DB + ".thru" + r + "." + System.nanoTime(), 2);
            create(ch, broker, m, config);
            sync[r] = syncRate(config, ch, broker, m, ROWS, () -> ingest(config, m, ROWS), true);
            // the sync's table goes before the baselines run, so its merges do not slow them
            ch.execute("DROP TABLE " + Sql.table(DB, m.table().name()));
            awaitMergesIdle(ch);
            long[] c0 = Meter.cpu();
            consume[r] = Baselines.plainConsume(config, m.topic().name(), ROWS);
            long[] c1 = Meter.cpu();
            insert[r] = Baselines.plainInsert(ch, m, ROWS, largestBatch);
            long[] c2 = Meter.cpu();
            System.out.printf(Locale.ROOT, "  round %d cpu plain consume (s): shell %.2f, kafka %.2f; plain insert: shell"
                    + " %.2f, clickhouse %.2f%n", r + 1, (c1[0] - c0[0]) / 1e9, (c1[2] - c0[2]) / 100.0,
                    (c2[0] - c1[0]) / 1e9, (c2[1] - c1[1]) / 100.0);
        }
        double consumeRate = Meter.median(consume);
        double insertRate = Meter.median(insert);
        double rate = Meter.median(sync);
        double limit = Math.min(consumeRate, insertRate);
        // each round's sync against that round's limit (measured right after it): the cores are shared with both
        // servers and the host, whose speed drifts by as much as half over a run; a ratio of medians taken from
        // different rounds would mostly measure that drift
        double[] ratios = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            ratios[r] = sync[r] / Math.min(consume[r], insert[r]);
        }
        double ratio = Meter.median(ratios);
        System.out.printf(Locale.ROOT, "  rounds (rows/s): sync %s; plain consumer %s; plain insert %s (inserts of %.1f"
                        + " MiB, the sync's largest batch); ratio %s%n", Meter.list(sync, "%.0f"),
                Meter.list(consume, "%.0f"), Meter.list(insert, "%.0f"), largestBatch / 1048576.0,
                Meter.list(ratios, "%.2f"));
        System.out.printf(Locale.ROOT, "%-55s %8.0f rows/s   baseline: min(plain consumer %.0f, plain insert %.0f)"
                        + " = %.0f rows/s   ratio %.2f (median of the rounds' ratios)   (target >= 0.70: %s)%n",
                "sync topic -> table, ingested records (" + ROWS + ")", rate, consumeRate, insertRate, limit,
                ratio, ratio >= 0.7 ? "met" : "MISSED");

        ModelSpec ext = model("Ext", 2);
        create(ch, broker, ext, config);
        double extRate = syncRate(config, ch, broker, ext, ROWS, () -> produceForeign(config, ext), true);
        System.out.printf(Locale.ROOT, "%-55s %8.0f rows/s   baseline: the same limit %.0f rows/s   ratio %.2f%n",
                "sync topic -> table, foreign records (validated)", extRate, limit, extRate / limit);
    }

    /** Records from a plain producer, without our ingest's schema header: the sync validates each one. */
    private static void produceForeign(ProjectConfig config, ModelSpec m) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(config.broker()).bulkProducer(5, 512 * 1024,
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < ROWS; i++) {
                producer.send(new ProducerRecord<>(m.topic().name(), row(i, 0)));
            }
            producer.flush();
        }
    }

    /**
     * Rows per second of a running sync catching up a backlog: the sync is started and paused on the empty topic,
     * the topic is filled, and the clock runs from resume until the sync has inserted and committed every row
     * (counted once more in the table at the end). This is how a sync meets a backlog in a shell (after a pause,
     * a bump, a restart of ClickHouse), and its start-up (lease, recovery) is not part of its throughput.
     */
    static double syncRate(ProjectConfig config, ClickHouse ch, Broker broker, ModelSpec m, int rows,
                                   Fill fill, boolean print) throws Exception {
        try (SyncManager sync = new SyncManager(config, ch, broker, config.syncBatchRows(), config.syncBatchDelayMs())) {
            if (sync.start(List.of(m)) != 1) {
                throw new IllegalStateException("the sync of " + m.ref() + " did not start: " + sync.elsewhere());
            }
            sync.pause(m.ref());
            Thread.sleep(300);
            fill.run();
            if (landed(sync) != 0 || count(ch, m) != 0) {
                throw new IllegalStateException("rows landed while the sync was paused");
            }
            awaitJitQuiet();
            awaitMergesIdle(ch);
            long[] cpu0 = Meter.cpu();
            Map<Long, Long> threads0 = Meter.threadCpu();
            long[] host0 = Meter.hostTicks();
            long gc0 = Meter.gcMillis();
            long jit0 = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long t0 = System.nanoTime();
            sync.resume(m.ref());
            // the sync's own count of rows inserted and committed, not count() in a loop: on 18.16 count() reads a
            // column, and polling it would cost ClickHouse more than the inserts it measures
            long deadline = System.currentTimeMillis() + 300_000;
            while (landed(sync) < rows) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the sync landed " + landed(sync) + " of " + rows + " rows in 5 min: "
                            + sync.status());
                }
                // every 10 ms (at most 0.4 % of a round): polling more often took the sync's cores measurably
                Thread.sleep(10);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            long[] cpu1 = Meter.cpu();
            largestBatch = sync.status().stream().mapToLong(SyncManager.Status::largestBatchBytes).max().orElse(0);
            long[] host1 = Meter.hostTicks();
            if (count(ch, m) != rows) {
                throw new IllegalStateException("the sync reported " + rows + " rows but the table holds " + count(ch, m));
            }
            if (print) {
                System.out.printf(Locale.ROOT, "  cpu during sync (s): shell %.2f (of which jit %.2f, gc %.2f),"
                                + " clickhouse %.2f, kafka %.2f; wall %.2f; machine idle %.0f%%%n",
                        (cpu1[0] - cpu0[0]) / 1e9,
                        (java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0)
                                / 1e3, (Meter.gcMillis() - gc0) / 1e3, (cpu1[1] - cpu0[1]) / 100.0,
                        (cpu1[2] - cpu0[2]) / 100.0, wall,
                        100.0 * (host1[1] - host0[1]) / Math.max(1, host1[0] - host0[0]));
                System.out.println("    shell threads (cpu-s): " + Meter.threadsSince(threads0) + "; rows sent as TSV: "
                        + sync.status().stream().mapToLong(SyncManager.Status::tsvRows).sum());
            }
            return rows / wall;
        }
    }

    /**
     * Filling the topic (the ingest path: Jackson, the transactional producer) leaves the JIT compiling for a
     * while; the sync would be timed against those compilations. Waits until no compilation ran for 300 ms (10 s
     * at most).
     */
    static void awaitJitQuiet() throws InterruptedException {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long deadline = System.currentTimeMillis() + 10_000;
        long last = jit.getTotalCompilationTime();
        long quietSince = System.currentTimeMillis();
        while (System.currentTimeMillis() - quietSince < 300 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.currentTimeMillis();
            }
        }
    }

    private static long landed(SyncManager sync) {
        return sync.status().stream().mapToLong(SyncManager.Status::rows).sum();
    }

    /** Waits (30 s at most) until ClickHouse runs no merge, so no measurement pays for an earlier one's merges. */
    static void awaitMergesIdle(ClickHouse ch) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline && !"0".equals(ch.scalar("SELECT count() FROM system.merges"
                + " FORMAT TabSeparated"))) {
            Thread.sleep(20);
        }
    }

    static long count(ClickHouse ch, ModelSpec m) {
        return count(ch, m.table().name());
    }

    /** The rows of a table in the client's database. */
    static long count(ClickHouse ch, String table) {
        return Long.parseLong(ch.scalar("SELECT count() FROM " + Sql.table(ch.database(), table)
                + " FORMAT TabSeparated"));
    }

    /** 1,000 rows/s for 10 s through the ingest path (transactions of 10), polling the table for each row. */
    private static void latency(ProjectConfig config, ClickHouse ch, Broker broker) throws Exception {
        ModelSpec m = model("Lat", 1);
        create(ch, broker, m, config);
        Schema schema = new Schema(m);
        int total = 10_000;
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        try (SyncManager sync = new SyncManager(config, ch, broker, config.syncBatchRows(),
                config.syncBatchDelayMs());
             Ingestor ingestor = new Ingestor(config.broker(), 2)) {
            sync.start(List.of(m));
            Thread producer = new Thread(() -> {
                long start = System.nanoTime();
                for (int i = 0; i < total; i += 10) {
                    long due = start + i * 1_000_000L;
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                    List<ObjectNode> batch = new ArrayList<>();
                    for (int k = i; k < i + 10; k++) {
                        ObjectNode o = JsonNodeFactory.instance.objectNode();
                        o.put("id", "l" + k).put("seq", k).put("sentMs", System.currentTimeMillis()).put("payload", "x");
                        batch.add(o);
                    }
                    ingestor.send(m.topic().name(), schema, batch);
                }
            });
            producer.start();
            long seen = 0;
            long deadline = System.currentTimeMillis() + 120_000;
            while (seen < total && System.currentTimeMillis() < deadline) {
                String rows = ch.scalar("SELECT groupArray(sentMs) FROM " + Sql.table(DB, m.table().name())
                        + " WHERE seq >= 0 FORMAT TabSeparated");
                long now = System.currentTimeMillis();
                String[] sent = rows.replaceAll("[\\[\\]]", "").split(",");
                if (sent.length > seen && !rows.equals("[]")) {
                    java.util.Arrays.sort(sent, java.util.Comparator.comparingLong(Long::parseLong));
                    for (long k = seen; k < sent.length; k++) {
                        latencies.add(now - Long.parseLong(sent[(int) k]));
                    }
                    seen = sent.length;
                }
                Thread.sleep(10);
            }
            producer.join();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get((int) (sorted.size() * 0.99));
        System.out.printf(Locale.ROOT, "%-55s p50 %5d ms  p99 %5d ms   baseline: sync batch delay %d ms   (target p99"
                + " < 2000 ms: %s)%n", "ingest -> visible in table at 1,000 rows/s", p50, p99,
                config.syncBatchDelayMs(), p99 < 2000 ? "met" : "MISSED");
    }
}
