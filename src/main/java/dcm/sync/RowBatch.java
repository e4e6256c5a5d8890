package dcm.sync;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * One batch of the sync as ClickHouse will receive it: JSON rows, each followed by a newline, copied straight out
 * of the consumer's fetch buffers into reused 1 MiB chunks. The polled records are dropped at once, so a batch in
 * flight costs the garbage collector a few large arrays instead of a hundred thousand small objects (the copying of
 * live records was the sync's largest cost). Rows keep their boundaries (to split a batch around a bad row) and, for
 * rows that did not come from this tool's ingest, where they came from (for their validation and dead letter).
 *
 * <p>Filled by the consumer thread, then handed to the insert thread, which releases it after the insert.
 */
final class RowBatch {
    static final int CHUNK = 1 << 20;
    /** The smallest chunk, for the small batches of a sync with a small memory share. */
    static final int MIN_CHUNK = 64 << 10;
    /** Chunks kept for reuse across all syncs of the process (at most 48 MiB held while idle). */
    private static final ArrayBlockingQueue<byte[]> POOL = new ArrayBlockingQueue<>(48);

    private final List<byte[]> chunks = new ArrayList<>();
    /** This batch's chunk size: 1 MiB (reused through the pool), or less for a batch capped small. */
    private final int chunkSize;
    private final long capBytes;
    private long size;
    /** The last chunk (null before the first) and the bytes used in it: no division per row. */
    private byte[] current;
    private int pos;
    private long[] ends = new long[1024];
    private int rows;
    private int[] foreign = new int[16];
    private int[] foreignPartition = new int[16];
    private long[] foreignOffset = new long[16];
    private int foreignCount;

    /** A batch of full-size (pooled) chunks. */
    RowBatch() {
        this(Long.MAX_VALUE);
    }

    /**
     * A batch that will be due at about {@code capBytes}: its chunks are a quarter of that (64 KiB to 1 MiB), so
     * a small batch does not hold a whole 1 MiB chunk for a few rows.
     */
    RowBatch(long capBytes) {
        this.capBytes = capBytes;
        this.chunkSize = (int) Math.max(MIN_CHUNK, Math.min(CHUNK, Long.highestOneBit(Math.max(1, capBytes / 4))));
    }

    /** An empty batch with the same chunk size. */
    RowBatch emptyLike() {
        return new RowBatch(capBytes);
    }

    /** Appends a record's value as one row; an untrusted row is remembered with its origin, for validation. */
    void add(ByteBuffer value, boolean trusted, int partition, long offset) {
        if (!trusted) {
            if (foreignCount == foreign.length) {
                foreign = Arrays.copyOf(foreign, foreignCount * 2);
                foreignPartition = Arrays.copyOf(foreignPartition, foreignCount * 2);
                foreignOffset = Arrays.copyOf(foreignOffset, foreignCount * 2);
            }
            foreign[foreignCount] = rows;
            foreignPartition[foreignCount] = partition;
            foreignOffset[foreignCount++] = offset;
        }
        int len = 0;
        if (value != null) {
            // absolute reads: the record's buffer is not touched (no duplicate per row)
            len = value.remaining();
            int from = value.position();
            for (int left = len; left > 0; ) {
                int n = Math.min(left, room());
                value.get(from, current, pos, n);
                pos += n;
                from += n;
                left -= n;
            }
        }
        endRow(len);
    }

    /** Appends a row given as bytes (a validated or re-batched row). */
    void add(byte[] row) {
        add(row, 0, row.length);
    }

    /** Appends {@code row[from, from + len)} as one row. */
    void add(byte[] row, int from, int len) {
        for (int left = len; left > 0; ) {
            int n = Math.min(left, room());
            System.arraycopy(row, from, current, pos, n);
            pos += n;
            from += n;
            left -= n;
        }
        endRow(len);
    }

    private void endRow(int len) {
        room();
        current[pos++] = '\n';
        size += len + 1;
        if (rows == ends.length) {
            ends = Arrays.copyOf(ends, rows * 2);
        }
        ends[rows++] = size;
    }

    /** Where one row's bytes (without its newline) are: in a chunk, or copied into the slice's own array. */
    static final class Slice {
        byte[] bytes;
        int offset;
        int length;
        private byte[] scratch = new byte[256];
    }

    /** Points the slice at row {@code i}: into its chunk, or (a row across two chunks) at a copy. */
    void slice(int i, Slice s) {
        long from = start(i);
        long to = ends[i] - 1;
        int len = (int) (to - from);
        // chunk sizes are powers of two: no division per row
        int within = (int) (from & (chunkSize - 1));
        if (within + len <= chunkSize) {
            s.bytes = chunks.get((int) (from >>> Integer.numberOfTrailingZeros(chunkSize)));
            s.offset = within;
        } else {
            if (s.scratch.length < len) {
                s.scratch = new byte[Math.max(len, s.scratch.length * 2)];
            }
            copy(from, s.scratch, len);
            s.bytes = s.scratch;
            s.offset = 0;
        }
        s.length = len;
    }

    /** Room left in the last chunk, taking a new chunk (from the pool) when the last one is full. */
    private int room() {
        if (current == null || pos == chunkSize) {
            byte[] c = chunkSize == CHUNK ? POOL.poll() : null;
            current = c == null ? new byte[chunkSize] : c;
            chunks.add(current);
            pos = 0;
        }
        return chunkSize - pos;
    }

    int chunkSize() {
        return chunkSize;
    }

    int rows() {
        return rows;
    }

    long bytes() {
        return size;
    }

    boolean isEmpty() {
        return rows == 0;
    }

    /** How many rows have not been validated (they came from another producer, or from an older schema). */
    int foreignRows() {
        return foreignCount;
    }

    /** Index of the i-th unvalidated row, its partition and offset. */
    int foreignRow(int i) {
        return foreign[i];
    }

    int foreignPartition(int i) {
        return foreignPartition[i];
    }

    long foreignOffset(int i) {
        return foreignOffset[i];
    }

    /** One row's bytes, without its newline. */
    byte[] row(int i) {
        long from = start(i);
        byte[] out = new byte[(int) (ends[i] - 1 - from)];
        copy(from, out, out.length);
        return out;
    }

    /** Copies {@code len} bytes from offset {@code from} on into {@code out}, across chunks. */
    private void copy(long from, byte[] out, int len) {
        try (InputStream in = range(from, from + len)) {
            in.readNBytes(out, 0, len);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private long start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /** Rows [from, to) as newline-separated JSON, read from the chunks without copying them first. */
    InputStream stream(int from, int to) {
        return range(start(from), to == 0 ? 0 : ends[to - 1]);
    }

    private InputStream range(long begin, long end) {
        return new InputStream() {
            private long pos = begin;
            private long marked = begin;

            // the client rewinds the body to send it again after a dropped connection
            @Override
            public boolean markSupported() {
                return true;
            }

            @Override
            public synchronized void mark(int readLimit) {
                marked = pos;
            }

            @Override
            public synchronized void reset() {
                pos = marked;
            }

            @Override
            public int read() {
                if (pos >= end) {
                    return -1;
                }
                byte b = chunks.get((int) (pos / chunkSize))[(int) (pos % chunkSize)];
                pos++;
                return b & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (pos >= end) {
                    return -1;
                }
                int within = (int) (pos % chunkSize);
                int n = (int) Math.min(len, Math.min(chunkSize - within, end - pos));
                System.arraycopy(chunks.get((int) (pos / chunkSize)), within, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public int available() {
                return (int) Math.min(Integer.MAX_VALUE, end - pos);
            }
        };
    }

    /**
     * Drops the chunks without giving them back for reuse (a request that got no answer may still read them);
     * the batch must not be read afterwards.
     */
    void discard() {
        chunks.clear();
        release();
    }

    /** Gives the chunks back for reuse; the batch must not be read afterwards. */
    void release() {
        for (byte[] c : chunks) {
            if (c.length != CHUNK || !POOL.offer(c)) {
                break;
            }
        }
        chunks.clear();
        current = null;
        pos = 0;
        rows = 0;
        size = 0;
        foreignCount = 0;
    }
}
