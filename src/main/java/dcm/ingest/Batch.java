package dcm.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's validated records, ready to produce: all to one topic, each with its key and its normalized JSON.
 * A batch is all-or-nothing: it joins a group and commits or fails with it, whole.
 */
public final class Batch {
    private final String topic;
    private final byte[] fingerprint;
    private final List<String> keys;
    private final List<byte[]> values;
    private final long bytes;

    /**
     * @param fingerprint the schema fingerprint the records were validated against (the {@link Schema#HEADER})
     * @param keys        each record's partitioning key (null entries: no key)
     * @param values      each record's normalized JSON, in the order of {@code keys}
     */
    public Batch(String topic, byte[] fingerprint, List<String> keys, List<byte[]> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys for " + values.size() + " values");
        }
        this.topic = topic;
        this.fingerprint = fingerprint;
        this.keys = keys;
        this.values = values;
        long n = 0;
        for (int i = 0; i < values.size(); i++) {
            n += values.get(i).length + (keys.get(i) == null ? 0 : keys.get(i).length()) + 32;
        }
        this.bytes = n;
    }

    /** The batch of records validated on Jackson's tree. */
    public static Batch of(String topic, Schema schema, List<ObjectNode> records) {
        List<String> keys = new ArrayList<>(records.size());
        List<byte[]> values = new ArrayList<>(records.size());
        for (ObjectNode r : records) {
            keys.add(schema.key(r));
            values.add(r.toString().getBytes(StandardCharsets.UTF_8));
        }
        return new Batch(topic, schema.fingerprintBytes(), keys, values);
    }

    public String topic() {
        return topic;
    }

    public byte[] fingerprint() {
        return fingerprint;
    }

    public int size() {
        return values.size();
    }

    public String key(int i) {
        return keys.get(i);
    }

    public byte[] value(int i) {
        return values.get(i);
    }

    /** About the memory the batch holds (values, keys, and a little per record). */
    public long bytes() {
        return bytes;
    }
}
