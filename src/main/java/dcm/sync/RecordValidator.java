package dcm.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.ingest.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation of a batch's records that other producers wrote (our own ingest validated its records and tagged
 * them with the schema's fingerprint: those go as they are). Each such record is checked against the schema and
 * normalized as the ingest would; one that does not fit is rejected with its reason and origin, for the
 * dead-letter topic. Pure: it sends nothing (the inserter sends the rejects when the batch's turn comes), so it can
 * run ahead, on the converter thread.
 */
final class RecordValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A record the table cannot take, and why. */
    record Reject(byte[] value, String reason) {}

    /** The rows to insert (the polled batch itself when every row stands as it is) and the rejected ones. */
    record Checked(RowBatch rows, List<Reject> rejects) {}

    private final String topic;
    private final Schema schema;

    RecordValidator(String topic, Schema schema) {
        this.topic = topic;
        this.schema = schema;
    }

    /**
     * Checks a polled batch. When rows are rejected or normalized, the rows to insert are a copy and the polled
     * batch is released at once (the copy, then its encoding, fit in the memory it held).
     */
    Checked check(RowBatch polled) {
        if (polled.foreignRows() == 0) {
            return new Checked(polled, List.of());
        }
        RowBatch good = polled.emptyLike();
        List<Reject> rejects = new ArrayList<>();
        int next = 0;
        try {
            for (int i = 0; i < polled.rows(); i++) {
                byte[] row = polled.row(i);
                if (next >= polled.foreignRows() || polled.foreignRow(next) != i) {
                    good.add(row);
                    continue;
                }
                String origin = " (from " + topic + "/" + polled.foreignPartition(next) + "@"
                        + polled.foreignOffset(next) + ")";
                next++;
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
        } catch (RuntimeException | Error e) {
            good.release();
            throw e;
        }
        polled.release();
        return new Checked(good, rejects);
    }
}
