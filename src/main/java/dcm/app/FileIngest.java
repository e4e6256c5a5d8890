package dcm.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.app.AppError.Code;
import dcm.core.ModelSpec;
import dcm.ingest.Batch;
import dcm.ingest.Ingestor;
import dcm.ingest.Records;
import dcm.ingest.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ingest <Model> <file>}: validates every record of a JSON, JSON-lines or CSV file like the ingest route
 * does, sends the valid ones in transactions of {@link #CHUNK}, and reports each rejected one at its line. A
 * JSON-lines file is read, validated and sent as a pipeline ({@link JsonLinesIngest}); the others are read whole.
 */
public final class FileIngest {
    /** Records per transaction. */
    public static final int CHUNK = 10_000;

    /**
     * What was sent.
     *
     * @param topic    the topic the records went to
     * @param total    records in the file
     * @param sent     records sent (committed)
     * @param rejected one line per rejected record: {@code line 3: record 2, field 'n': ...}
     */
    public record Outcome(String topic, int total, int sent, List<String> rejected) {
        public Outcome {
            rejected = List.copyOf(rejected);
        }
    }

    /** Hears the progress: records sent so far, of how many valid ones. */
    @FunctionalInterface
    public interface Sent {
        void sent(int done, int of);
    }

    private FileIngest() {}

    /**
     * Sends the file's valid records to the model version's topic; {@code sentSoFar} hears the count after each
     * transaction. A broker failure after some transactions is INGEST_PARTIAL, naming exactly what was committed.
     */
    public static Outcome send(Ingestor ingestor, Schema schema, Path file, String as, Sent sentSoFar) {
        if (!file.toString().toLowerCase(Locale.ROOT).endsWith(".csv") && jsonLines(file)) {
            return pipelined(ingestor, schema, file, as, sentSoFar);
        }
        ModelSpec model = schema.model();
        List<ObjectNode> valid = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        int total = read(file, schema, valid, rejected);
        int sent = 0;
        for (int i = 0; i < valid.size(); i += CHUNK) {
            List<ObjectNode> chunk = valid.subList(i, Math.min(valid.size(), i + CHUNK));
            sendChunk(ingestor, Batch.of(model.topic().name(), schema, chunk), sent, valid.size(), file, as);
            sent += chunk.size();
            sentSoFar.sent(sent, valid.size());
        }
        return new Outcome(model.topic().name(), total, sent, rejected);
    }

    /**
     * A JSON-lines file, read, validated and sent as a pipeline ({@link JsonLinesIngest}): each block's valid records
     * go in one transaction, in file order, while the next blocks are checked. The progress counts against the
     * file's lines until the last block is checked, then against the valid records.
     */
    private static Outcome pipelined(Ingestor ingestor, Schema schema, Path file, String as, Sent sentSoFar) {
        String topic = schema.model().topic().name();
        try (JsonLinesIngest blocks = new JsonLinesIngest(file, topic, schema, CHUNK)) {
            return pipelined(ingestor, topic, file, as, sentSoFar, blocks::next);
        }
    }

    /** Where the pipeline's checked blocks come from, in file order: null after the last. */
    @FunctionalInterface
    interface Blocks {
        JsonLinesIngest.Checked next() throws IOException, InterruptedException;
    }

    /**
     * Sends each checked block in its own transaction. A failure after some blocks were committed (the broker, a
     * read error mid-file, a failed check) is INGEST_PARTIAL, naming exactly what was committed.
     */
    static Outcome pipelined(Ingestor ingestor, String topic, Path file, String as, Sent sentSoFar, Blocks blocks) {
        List<String> rejected = new ArrayList<>();
        int sent = 0;
        int records = 0;
        int linesSeen = 0;
        try {
            int lines = JsonLinesIngest.lines(file);
            JsonLinesIngest.Checked c;
            while ((c = blocks.next()) != null) {
                rejected.addAll(c.rejected(records));
                linesSeen += c.lines();
                records += c.records();
                if (c.batch().size() > 0) {
                    // valid so far, and at most every line not yet checked
                    int of = sent + c.batch().size() + Math.max(0, lines - linesSeen);
                    sendChunk(ingestor, c.batch(), sent, -1, file, as);
                    sent += c.batch().size();
                    sentSoFar.sent(sent, of);
                }
            }
        } catch (AppError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (sent > 0) {
                // earlier blocks are committed: a plain "cannot read" would have the user send them again
                throw partial("sent " + sent + " valid record(s) (committed), then: cannot read " + file + ": "
                        + e.getMessage(), sent, file, as);
            }
            if (e instanceof IOException) {
                throw new AppError(Code.INGEST_FILE, "cannot read " + file + ": " + e.getMessage(), List.of(), null);
            }
            throw (RuntimeException) e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw partial("interrupted after sending " + sent + " valid record(s) (committed)", sent, file, as);
        }
        return new Outcome(topic, records, sent, rejected);
    }

    /** INGEST_PARTIAL after {@code sent} valid records were committed: which ones, and how to send the rest. */
    private static AppError partial(String message, int sent, Path file, String as) {
        return new AppError(Code.INGEST_PARTIAL, message, List.of("committed: the first " + sent + " valid"
                + " record(s) of " + file.getFileName()), "send the rest again with `ingest " + as + " <a file"
                + " without the first " + sent + " records>`");
    }

    /** Whether the file is JSON lines: its first non-blank line holds one whole object. */
    private static boolean jsonLines(Path file) {
        try (java.io.BufferedReader r = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    return Records.jsonLines(line);
                }
            }
            return false;
        } catch (IOException e) {
            // not UTF-8 throughout, or unreadable: the whole-file reading decides and says why
            return false;
        }
    }

    /**
     * Sends one chunk in its own transaction, after {@code sent} valid records of {@code of} (-1: not known yet)
     * were committed; a failure is INGEST_PARTIAL, naming exactly what was committed.
     */
    private static void sendChunk(Ingestor ingestor, Batch chunk, int sent, int of, Path file, String as) {
        try {
            ingestor.send(chunk);
        } catch (Ingestor.OutcomeUnknown e) {
            // the broker may or may not have committed this transaction: say so, never "not sent"
            throw new AppError(Code.INGEST_PARTIAL, "sent " + sent + ofValid(of) + " valid record(s)"
                    + " (committed); the next " + chunk.size() + " may or may not have been committed: "
                    + e.getMessage(), List.of("committed: the first " + sent + " valid record(s) of "
                    + file.getFileName(), "unknown: valid records " + (sent + 1) + " to " + (sent + chunk.size())),
                    "check the topic (`peek`) before sending records " + (sent + 1) + " to " + (sent
                    + chunk.size()) + " again");
        } catch (Ingestor.RecordTooLarge e) {
            throw partial("sent " + sent + ofValid(of) + " valid record(s) (committed), then: valid record "
                    + (sent + e.record() + 1) + " is " + e.bytes() + " bytes, more than one record may take;"
                    + " nothing of the next " + chunk.size() + " was sent", sent, file, as);
        } catch (IllegalStateException e) {
            // earlier chunks are committed: say exactly which records went, so a rerun does not duplicate them
            throw partial("sent " + sent + ofValid(of) + " valid record(s) (committed), then: " + e.getMessage(), sent,
                    file, as);
        }
    }

    private static String ofValid(int of) {
        return of < 0 ? "" : " of " + of;
    }

    /** Reads and validates the file; returns how many records it holds. */
    static int read(Path file, Schema schema, List<ObjectNode> valid, List<String> rejected) {
        try {
            if (file.toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                return readCsv(Files.readAllLines(file), schema, valid, rejected);
            }
            List<Records.Entry> entries = Records.entries(Files.readAllBytes(file));
            for (int i = 0; i < entries.size(); i++) {
                Records.Entry e = entries.get(i);
                try {
                    if (e.problem() != null) {
                        throw new Schema.InvalidRecord(e.problem());
                    }
                    valid.add(schema.validate(e.node(), i));
                } catch (Schema.InvalidRecord bad) {
                    rejected.add("line " + e.line() + ": " + bad.getMessage());
                }
            }
            return entries.size();
        } catch (IOException e) {
            throw new AppError(Code.INGEST_FILE, "cannot read " + file + ": " + e.getMessage(), List.of(), null);
        }
    }

    private static int readCsv(List<String> lines, Schema schema, List<ObjectNode> valid, List<String> rejected) {
        // a UTF-8 byte order mark would make the first column's name unknown
        List<String> header = lines.isEmpty() ? List.of() : Records.csv(lines.get(0).replaceFirst("^\uFEFF", ""))
                .stream().map(String::strip).toList();
        List<String> twice = header.stream().filter(h -> header.indexOf(h) != header.lastIndexOf(h)).distinct()
                .toList();
        if (!twice.isEmpty()) {
            // which of the two would count is a guess: refused, as a duplicate key in JSON is
            throw new AppError(Code.INGEST_FILE, "the CSV header names " + twice + " twice; nothing was sent",
                    List.of(), "name each column once");
        }
        int n = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                valid.add(schema.validateCsv(header, Records.csv(lines.get(i)), n));
            } catch (Schema.InvalidRecord e) {
                rejected.add("line " + (i + 1) + ": " + e.getMessage());
            }
            n++;
        }
        return n;
    }
}
