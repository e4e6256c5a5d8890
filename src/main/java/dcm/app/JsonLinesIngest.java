package dcm.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.ingest.Batch;
import dcm.ingest.RawBody;
import dcm.ingest.Records;
import dcm.ingest.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads and validates a JSON-lines file as a pipeline: a reader cuts the file into blocks of
 * {@link FileIngest#CHUNK} lines, validation threads (one a core) check the blocks side by side, and the caller
 * takes the checked blocks in order and sends each as one transaction while the next ones are read and checked.
 * The blocks in flight are bounded, so a large file never sits in memory whole. Records and rejects come out as
 * {@link Records#entries} and {@link Schema#validate} make them (line numbers, record numbers, normalized values).
 */
final class JsonLinesIngest implements AutoCloseable {
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /**
     * One block, checked: its valid records as a batch, its rejects, its lines and records (non-blank lines).
     */
    record Checked(Batch batch, List<Reject> rejects, int lines, int records) {
        /** The rejects as the report lists them, given the records of the blocks before this one. */
        List<String> rejected(int recordsBefore) {
            List<String> out = new ArrayList<>(rejects.size());
            for (Reject r : rejects) {
                Schema.Problem p = r.problem();
                out.add("line " + r.line() + ": " + new Schema.Problem(p.record() + recordsBefore, p.field(),
                        p.reason()).message());
            }
            return out;
        }
    }

    /** A rejected record: its line in the file, and the problem (its record numbered within its block). */
    record Reject(int line, Schema.Problem problem) {}

    private static final Future<Checked> END = java.util.concurrent.CompletableFuture.completedFuture(null);

    private final Path file;
    private final int blockLines;
    private final String topic;
    private final Schema schema;
    private final ExecutorService pool;
    private final BlockingQueue<Future<Checked>> blocks = new ArrayBlockingQueue<>(THREADS * 2 + 2);
    private final ThreadLocal<RawBody> raw;
    private final Thread reader;
    private volatile IOException readFailure;

    /** Starts reading {@code file} in blocks of {@code blockLines} lines. */
    JsonLinesIngest(Path file, String topic, Schema schema, int blockLines) {
        this.file = file;
        this.blockLines = blockLines;
        this.topic = topic;
        this.schema = schema;
        this.raw = ThreadLocal.withInitial(() -> RawBody.forSchema(topic, schema));
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "ingest-validate");
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(this::read, "ingest-read");
        reader.setDaemon(true);
        reader.start();
    }

    /** The lines of the file (a first quick pass), for the progress before the blocks are checked. */
    static int lines(Path file) throws IOException {
        int n = 0;
        int last = '\n';
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    n += buf[i] == '\n' ? 1 : 0;
                }
                last = buf[r - 1];
            }
        }
        return n + (last == '\n' ? 0 : 1);
    }

    /** The next checked block in file order, or null after the last. */
    Checked next() throws IOException, InterruptedException {
        Future<Checked> f = blocks.take();
        if (f == END) {
            blocks.put(END);
            if (readFailure != null) {
                throw readFailure;
            }
            return null;
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Cuts the file into blocks of {@code blockLines} lines (at '\n', so a CR LF stays whole) and hands them to the pool. */
    private void read() {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            int len = 0;
            int scanned = 0;
            int lines = 0;
            int firstLine = 1;
            while (true) {
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    if (len > 0) {
                        submit(Arrays.copyOf(buf, len), firstLine);
                    }
                    break;
                }
                len += n;
                while (scanned < len) {
                    if (buf[scanned++] == '\n' && ++lines == blockLines) {
                        byte[] block = Arrays.copyOf(buf, scanned);
                        submit(block, firstLine);
                        firstLine += terminators(block);
                        System.arraycopy(buf, scanned, buf, 0, len - scanned);
                        len -= scanned;
                        scanned = 0;
                        lines = 0;
                    }
                }
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
        } catch (IOException e) {
            readFailure = e;
        } catch (InterruptedException e) {
            return;
        }
        try {
            blocks.put(END);
        } catch (InterruptedException ignored) {
            // closed: nobody takes more blocks
        }
    }

    private void submit(byte[] block, int firstLine) throws InterruptedException {
        blocks.put(pool.submit(() -> check(block, firstLine)));
    }

    /** The line ends in a block (that ends with LF): LF, CR LF and a lone CR each end one line. */
    private static int terminators(byte[] b) {
        int n = 0;
        for (int i = 0; i < b.length; i++) {
            n += b[i] == '\n' || b[i] == '\r' && b[i + 1] != '\n' ? 1 : 0;
        }
        return n;
    }

    /** Checks a block's lines: lines end at LF, CR LF or a lone CR, as {@code BufferedReader.readLine} ends them. */
    private Checked check(byte[] b, int firstLine) throws IOException {
        RawBody fast = raw.get();
        List<String> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        List<Reject> rejects = new ArrayList<>();
        int line = firstLine - 1;
        int index = 0;
        int p = 0;
        while (p < b.length) {
            int end = p;
            while (end < b.length && b[end] != '\n' && b[end] != '\r') {
                end++;
            }
            line++;
            if (!blank(b, p, end)) {
                if (fast == null || !fast.add(b, p, end, keys, values)) {
                    slow(Arrays.copyOfRange(b, p, end), line, index, keys, values, rejects);
                }
                index++;
            }
            p = end + (end + 1 < b.length && b[end] == '\r' && b[end + 1] == '\n' ? 2 : 1);
        }
        return new Checked(new Batch(topic, schema.fingerprintBytes(), keys, values), rejects, line - firstLine + 1,
                index);
    }

    /**
     * A line the one-pass check leaves to the tree: its own bytes read and validated (decoded first, bytes that are
     * not UTF-8 would become U+FFFD and be stored; the parser refuses them, naming the line).
     */
    private void slow(byte[] bytes, int line, int index, List<String> keys, List<byte[]> values,
                      List<Reject> rejects) throws IOException {
        Records.Entry e = Records.line(bytes, line, index);
        if (e.problem() != null) {
            rejects.add(new Reject(line, e.problem()));
            return;
        }
        try {
            ObjectNode valid = schema.validate(e.node(), index);
            keys.add(schema.key(valid));
            values.add(valid.toString().getBytes(StandardCharsets.UTF_8));
        } catch (Schema.InvalidRecord bad) {
            rejects.add(new Reject(line, bad.problem()));
        }
    }

    /** Whether the line is blank as {@code String.isBlank} says of its text. */
    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return new String(b, from, to - from, StandardCharsets.UTF_8).isBlank();
            }
            if (!Character.isWhitespace(b[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        reader.interrupt();
        pool.shutdownNow();
    }
}
