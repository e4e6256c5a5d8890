package dcm.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What the ingest's transactional producer allows, read from the properties it is made with: how long a group's
 * commit can last at most (so no waiter waits longer), and the largest record it sends (so a larger one is refused
 * alone before it joins a group, instead of failing the group).
 *
 * @param commitMillis   the longest a group's commit can last
 * @param maxRecordBytes the largest record (key, value, header) the producer sends
 */
record ProducerLimits(long commitMillis, long maxRecordBytes) {
    /**
     * Room kept in a produce request for a record's framing: Kafka's batch header (61 bytes) and a record's own
     * (at most 21, plus the header's varints) fit in it with room to spare.
     */
    static final int RECORD_OVERHEAD = 512;

    static ProducerLimits of(Properties producer) {
        return new ProducerLimits(commitMillis(producer), maxRecordBytes(producer));
    }

    /**
     * The longest a group's commit can last: blocked sends (metadata) and the commit's flush each within the
     * producer's max.block.ms and delivery.timeout.ms, then the commit or abort request, and a margin.
     */
    static long commitMillis(Properties producer) {
        long block = Long.parseLong(producer.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000"));
        long delivery = Long.parseLong(producer.getProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000"));
        return 2 * block + delivery + 5_000;
    }

    /** The largest record the producer with these properties sends: max.request.size less the framing. */
    static long maxRecordBytes(Properties producer) {
        Object max = producer.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        return Long.parseLong(max.toString()) - RECORD_OVERHEAD;
    }

    /** Refuses the batch when a record is larger than the producer sends (it would fail its whole group). */
    void check(Batch batch) {
        long header = Schema.HEADER.length() + batch.fingerprint().length;
        for (int i = 0; i < batch.size(); i++) {
            String key = batch.key(i);
            long size = batch.value(i).length + header + (key == null ? 0 : 3L * key.length());
            if (size > maxRecordBytes && key != null) {
                // the bound took 3 bytes a char of the key: its exact UTF-8 length decides
                size -= 3L * key.length() - key.getBytes(StandardCharsets.UTF_8).length;
            }
            if (size > maxRecordBytes) {
                throw new Ingestor.RecordTooLarge(i, size, maxRecordBytes);
            }
        }
    }
}
