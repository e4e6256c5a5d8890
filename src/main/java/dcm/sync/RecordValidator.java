package dcm.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.ingest.RawValidator;
import dcm.ingest.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation of a batch's records that other producers wrote (our own ingest validated its records and tagged
 * them with the schema's fingerprint: those go as they are). Each such record is checked against the schema and
 * normalized as the ingest would: in one pass over its bytes ({@link RawValidator}) when it takes the record, else
 * on a Jackson tree ({@link Schema#validate}), which writes the same for the records both take; one that does not
 * fit is rejected with its reason and origin, for the dead-letter topic. It sends nothing (the inserter sends the
 * rejects in the batch's turn, after its intent, and never for a batch skipped after a failure), so it can run
 * ahead, on the converter thread.
 */
final class RecordValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A record the table cannot take, and why. */
    record Reject(byte[] value, String reason) {}

    /** The rows to insert (the polled batch itself when every row stands as it is) and the rejected ones. */
    record Checked(RowBatch rows, List<Reject> rejects) {}

    private final String topic;
    private final Schema schema;
    /** The one-pass check of raw records (null: a column type it does not take; then every record uses the tree). */
    private final RawValidator fast;
    private final RowBatch.Slice slice = new RowBatch.Slice();

    RecordValidator(String topic, Schema schema) {
        this.topic = topic;
        this.schema = schema;
        this.fast = RawValidator.forSchema(schema);
    }

    /**
     * Checks a polled batch. When every row stands as it is (trusted, or valid and already in the normalized form),
     * the rows to insert are the polled batch itself: nothing is copied. Otherwise they are a copy and the polled
     * batch is released at once (the copy, then its encoding, fit in the memory it held). Synchronized: it may run
     * on the converter thread, or on the insert thread while the converter stops.
     */
    synchronized Checked check(RowBatch polled) {
        if (polled.foreignRows() == 0) {
            return new Checked(polled, List.of());
        }
        RowBatch good = null;
        List<Reject> rejects = new ArrayList<>();
        int next = 0;
        try {
            for (int i = 0; i < polled.rows(); i++) {
                polled.slice(i, slice);
                boolean foreign = next < polled.foreignRows() && polled.foreignRow(next) == i;
                int n = -1;
                if (foreign) {
                    n = fast == null ? -1 : fast.normalize(slice.bytes, slice.offset, slice.offset + slice.length);
                    boolean same = n >= 0 && (fast.unchanged() || n == slice.length && java.util.Arrays.equals(
                            fast.out(), 0, n, slice.bytes, slice.offset, slice.offset + n));
                    if (!same && good == null) {
                        // the first row that does not stand as it is: the rows before it are copied as they are
                        good = copyOf(polled, i);
                        polled.slice(i, slice);
                    }
                    if (same) {
                        n = -2;
                    }
                }
                if (good == null) {
                    next += foreign ? 1 : 0;
                    continue;
                }
                if (!foreign || n == -2) {
                    good.add(slice.bytes, slice.offset, slice.length);
                } else if (n >= 0) {
                    good.add(fast.out(), 0, n);
                } else {
                    tree(polled, i, next, good, rejects);
                }
                next += foreign ? 1 : 0;
            }
        } catch (RuntimeException | Error e) {
            if (good != null) {
                good.release();
            }
            throw e;
        }
        if (good == null) {
            return new Checked(polled, List.of());
        }
        polled.release();
        return new Checked(good, rejects);
    }

    /** A new batch with the first {@code rows} rows of {@code polled}, as they are. */
    private RowBatch copyOf(RowBatch polled, int rows) {
        RowBatch copy = polled.emptyLike();
        for (int i = 0; i < rows; i++) {
            polled.slice(i, slice);
            copy.add(slice.bytes, slice.offset, slice.length);
        }
        return copy;
    }

    /**
     * Validates the {@code k}-th foreign row (row {@code i}) on a Jackson tree, as the ingest does: the normalized
     * record goes to {@code good}, or the record with its reason to {@code rejects}.
     */
    private void tree(RowBatch polled, int i, int k, RowBatch good, List<Reject> rejects) {
        byte[] row = polled.row(i);
        String origin = " (from " + topic + "/" + polled.foreignPartition(k) + "@" + polled.foreignOffset(k) + ")";
        try {
            JsonNode n = JSON.readTree(row);
            if (n == null) {
                throw new java.io.IOException("empty record");
            }
            good.add(schema.validate(n, 0).toString().getBytes(StandardCharsets.UTF_8));
        } catch (Schema.InvalidRecord e) {
            rejects.add(new Reject(row, (e.problem().field() == null ? e.problem().reason()
                    : "field '" + e.problem().field() + "': " + e.problem().reason()) + origin));
        } catch (java.io.IOException | RuntimeException e) {
            rejects.add(new Reject(row, "not JSON: " + e.getMessage() + origin));
        }
    }

    /**
     * Whether our own ingest validated a record for this schema: it carries the schema's fingerprint (the first 16
     * hex digits of a SHA-256 of the schema) as the value of its {@value Schema#HEADER} header. Only values are
     * compared: decoding each record's header key into a string took about a tenth of the consumer thread (JFR),
     * and no header of another producer carries that value by chance.
     */
    static boolean trusted(org.apache.kafka.common.header.Headers headers, byte[] fingerprint) {
        for (org.apache.kafka.common.header.Header h : headers) {
            if (java.util.Arrays.equals(h.value(), fingerprint)) {
                return true;
            }
        }
        return false;
    }
}
