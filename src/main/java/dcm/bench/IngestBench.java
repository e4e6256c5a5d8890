package dcm.bench;

import dcm.app.FileIngest;
import dcm.clickhouse.ClickHouse;
import dcm.config.ClickHouseConfig;
import dcm.config.ProjectConfig;
import dcm.core.ModelSpec;
import dcm.core.Sql;
import dcm.ingest.IngestServer;
import dcm.ingest.Ingestor;
import dcm.ingest.Schema;
import dcm.kafka.Broker;
import dcm.kafka.KafkaClients;
import dcm.sync.SyncManager;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ingest's throughput, each measured against a plain producer (acks=all, idempotent) sending the same records
 * in the same run: one-record requests on 1 and 16 connections (requests/s, p50, p99; targets at 16: 5,000/s,
 * p99 under 50 ms), 100-record requests (records/s; target half the plain producer's), and {@code ingest} of a
 * file of 1,000,000 records (target half the plain producer's). Then a sync lands the topic in a table, which must
 * hold every acknowledged record exactly once, and nothing that was refused.
 */
final class IngestBench {
    static final String DB = "dcm_bench_ingest";
    private static final int FILE_RECORDS = Integer.getInteger("bench.ingestFileRecords", 1_000_000);
    private static final long PHASE_MILLIS = Long.getLong("bench.ingestMillis", 10_000);
    private static final int PRODUCERS = Integer.getInteger("bench.ingestProducers", 2);

    /** What was acknowledged (200, or a committed file) and what was refused (not sent), by record number. */
    private static final BitSet ACKED = new BitSet();
    private static final BitSet REFUSED = new BitSet();
    private static final BitSet UNKNOWN = new BitSet();

    private IngestBench() {}

    static void run(ProjectConfig config) throws Exception {
        ClickHouseConfig c = config.clickhouse();
        try (ClickHouse ch = new ClickHouse(new ClickHouseConfig(c.host(), c.hostPort(), c.nativePort(), DB, c.user(),
                c.password(), c.useSsl())); Broker broker = new Broker(config.broker())) {
            if (!ch.answers() || !broker.answers(3000)) {
                System.out.println("ingest bench skipped: servers do not answer (run `./shell -c \"infra up\"`)");
                return;
            }
            ch.execute("DROP DATABASE IF EXISTS " + Sql.id(DB));
            ch.execute("CREATE DATABASE " + Sql.id(DB));
            ModelSpec m = StreamBench.model("Ing", "Ing_1_0", DB + ".ing." + System.nanoTime(), 2);
            StreamBench.create(ch, broker, m, config);
            String plainTopic = DB + ".plain." + System.nanoTime();
            broker.createTopic(plainTopic, 2, config.broker().replicationFactor(), 3_600_000L);
            measure(config, m, plainTopic);
            check(config, ch, broker, m);
            ch.execute("DROP DATABASE IF EXISTS " + Sql.id(DB));
        }
    }

    private static void measure(ProjectConfig config, ModelSpec m, String plainTopic) throws Exception {
        AtomicLong seq = new AtomicLong();
        String path = "/ingest/" + m.name() + "/" + m.version();
        HttpLoad.Outcome outcome = IngestBench::answered;
        HttpLoad.Body one = (first, n) -> StreamBench.row(first, 0);
        HttpLoad.Body hundred = IngestBench::lines;
        // one list, as the shell's models in force are until they change: the server resolves its routes once per list
        List<ModelSpec> models = List.of(m);
        try (Ingestor ingestor = new Ingestor(config.broker(), Ingestor.Settings.of(PRODUCERS));
             IngestServer server = new IngestServer("127.0.0.1", 0, () -> models, ingestor, 16L << 20)) {
            // warm-up, not reported: the server, the producers and the generator run compiled code afterwards
            HttpLoad.run(server.port(), path, 16, 5_000, Long.MAX_VALUE, 1, seq, one, outcome);
            HttpLoad.run(server.port(), path, 16, 3_000, Long.MAX_VALUE, 100, seq, hundred, outcome);
            double plain = plainProducer(config, plainTopic, 1_000_000);
            System.out.printf(Locale.ROOT, "  plain producer (acks=all, idempotent): %.0f records/s; %s%n", plain,
                    load());
            for (int connections : new int[] {1, 16}) {
                HttpLoad.Result r = HttpLoad.run(server.port(), path, connections, PHASE_MILLIS, 1_000_000, 1, seq,
                        one, outcome);
                boolean target = connections < 16 || r.requestsPerSecond() >= 5_000 && r.percentileMillis(0.99) < 50;
                System.out.printf(Locale.ROOT, "%-55s %8.0f req/s  p50 %6.1f ms  p99 %6.1f ms  (%d refused)"
                                + "   baseline: plain producer %.0f records/s   ratio %.3f%s%n",
                        "POST one-record requests, " + connections + " connection(s)", r.requestsPerSecond(),
                        r.percentileMillis(0.5), r.percentileMillis(0.99), r.failed(), plain,
                        r.requestsPerSecond() / plain, connections < 16 ? "" : "   (target >= 5,000 req/s, p99 <"
                                + " 50 ms: " + (target ? "met" : "MISSED") + ")");
            }
            HttpLoad.Result r = HttpLoad.run(server.port(), path, 16, PHASE_MILLIS, 1_000_000, 100, seq, hundred,
                    outcome);
            double records = r.requestsPerSecond() * 100;
            System.out.printf(Locale.ROOT, "%-55s %8.0f rec/s  p50 %6.1f ms  p99 %6.1f ms  (%d refused)   baseline:"
                            + " plain producer %.0f records/s   ratio %.2f   (target >= 0.50: %s)%n",
                    "POST 100-record requests, 16 connections", records, r.percentileMillis(0.5),
                    r.percentileMillis(0.99), r.failed(), plain, records / plain, records / plain >= 0.5 ? "met"
                            : "MISSED");
            double file = fileIngest(ingestor, m, seq);
            System.out.printf(Locale.ROOT, "%-55s %8.0f rec/s   baseline: plain producer %.0f records/s   ratio %.2f"
                            + "   (target >= 0.50: %s)%n", "ingest of a file of " + FILE_RECORDS + " records", file,
                    plain, file / plain, file / plain >= 0.5 ? "met" : "MISSED");
            System.out.println("  " + load());
        }
    }

    private static void answered(long first, int n, int status) {
        BitSet set = status == 200 ? ACKED : status == 504 ? UNKNOWN : REFUSED;
        synchronized (set) {
            set.set((int) first, (int) first + n);
        }
    }

    private static byte[] lines(long first, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 100);
        for (long i = first; i < first + n; i++) {
            out.writeBytes(StreamBench.row(i, 0));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Records per second of {@code ingest <file>}, from the file on disk to the last commit. */
    private static double fileIngest(Ingestor ingestor, ModelSpec m, AtomicLong seq) throws Exception {
        long first = seq.getAndAdd(FILE_RECORDS);
        Path file = Files.createTempFile("bench-ingest", ".jsonl");
        try {
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                for (long i = first; i < first + FILE_RECORDS; i++) {
                    out.write(StreamBench.row(i, 0));
                    out.write('\n');
                }
            }
            long t0 = System.nanoTime();
            FileIngest.Outcome o = FileIngest.send(ingestor, new Schema(m), file, m.name(), (done, of) -> { });
            double rate = FILE_RECORDS / ((System.nanoTime() - t0) / 1e9);
            if (o.sent() != FILE_RECORDS || !o.rejected().isEmpty()) {
                throw new IllegalStateException("the file ingest sent " + o.sent() + " of " + FILE_RECORDS + ": "
                        + o.rejected().stream().limit(3).toList());
            }
            synchronized (ACKED) {
                ACKED.set((int) first, (int) (first + FILE_RECORDS));
            }
            return rate;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Records per second of a plain producer sending the same records (acks=all, idempotent) and flushing. */
    static double plainProducer(ProjectConfig config, String topic, int records) {
        java.util.Properties p = new KafkaClients(config.broker()).producerProperties();
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        byte[][] rows = new byte[records][];
        for (int i = 0; i < records; i++) {
            rows[i] = StreamBench.row(i, 0);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p,
                new org.apache.kafka.common.serialization.StringSerializer(), new ByteArraySerializer())) {
            long t0 = System.nanoTime();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, "r" + i, rows[i]));
            }
            producer.flush();
            return records / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** The machine's load averages, to say under what load the numbers were measured. */
    private static String load() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "load average unknown";
        }
    }

    /**
     * Lands the topic with a sync and checks the table: every acknowledged record once, no refused one, and any
     * record of unknown outcome at most once.
     */
    private static void check(ProjectConfig config, ClickHouse ch, Broker broker, ModelSpec m) throws Exception {
        int acked = ACKED.cardinality();
        try (SyncManager sync = new SyncManager(config, ch, broker, config.syncBatchRows(),
                config.syncBatchDelayMs())) {
            sync.start(List.of(m));
            long deadline = System.currentTimeMillis() + 600_000;
            while (StreamBench.count(ch, m) < acked && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
            }
            sync.awaitIdle(60_000);
        }
        String[] seqs = ch.text("SELECT " + Sql.id("seq") + " FROM " + Sql.table(DB, m.table().name())
                + " FORMAT TabSeparated", true).split("\n");
        BitSet seen = new BitSet();
        long twice = 0;
        long refused = 0;
        for (String s : seqs) {
            if (s.isEmpty()) {
                continue;
            }
            int i = Integer.parseInt(s.trim());
            twice += seen.get(i) ? 1 : 0;
            refused += REFUSED.get(i) && !UNKNOWN.get(i) ? 1 : 0;
            seen.set(i);
        }
        BitSet missing = (BitSet) ACKED.clone();
        missing.andNot(seen);
        boolean ok = twice == 0 && refused == 0 && missing.isEmpty();
        System.out.printf(Locale.ROOT, "%-55s %8d acknowledged, %d in the table, %d missing, %d twice, %d refused"
                        + " but present, %d of unknown outcome   (%s)%n", "table holds each acknowledged record once",
                acked, seqs.length, missing.cardinality(), twice, refused, UNKNOWN.cardinality(),
                ok ? "met" : "MISSED");
    }
}
