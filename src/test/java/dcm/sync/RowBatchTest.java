package dcm.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowBatchTest {

    private static ByteBuffer json(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(java.io.InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void rowsAreNewlineSeparatedAndSlicedByRange() throws IOException {
        RowBatch b = new RowBatch();
        b.add(json("{\"a\":1}"), true, 0, 10);
        b.add(json("{\"a\":2}"), true, 0, 11);
        b.add(json("{\"a\":3}"), true, 1, 5);
        assertEquals(3, b.rows());
        assertEquals("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n", read(b.stream(0, 3)));
        assertEquals("{\"a\":2}\n{\"a\":3}\n", read(b.stream(1, 3)));
        assertEquals("", read(b.stream(2, 2)));
        assertEquals("{\"a\":2}", new String(b.row(1), StandardCharsets.UTF_8));
        assertEquals(24, b.bytes());
        b.release();
    }

    @Test
    void rowsSpanningChunksComeBackWhole() throws IOException {
        spanChunks(new RowBatch(), RowBatch.CHUNK);
    }

    @Test
    void aSmallBatchUsesSmallChunksAndStillSpansThem() throws IOException {
        // a sync with a small memory share: batches due at 256 KiB get 64 KiB chunks, not 1 MiB ones
        RowBatch small = new RowBatch(256 << 10);
        assertEquals(RowBatch.MIN_CHUNK, small.chunkSize());
        assertEquals(RowBatch.CHUNK, new RowBatch(16 << 20).chunkSize(), "a full-size batch keeps pooled chunks");
        spanChunks(small, RowBatch.MIN_CHUNK);
        RowBatch like = new RowBatch(256 << 10).emptyLike();
        assertEquals(RowBatch.MIN_CHUNK, like.chunkSize());
        spanChunks(like, RowBatch.MIN_CHUNK);
    }

    private static void spanChunks(RowBatch b, int chunk) throws IOException {
        List<String> rows = new ArrayList<>();
        // rows of odd lengths, so boundaries fall inside rows and inside the newline position too
        for (int i = 0; b.bytes() < 3L * chunk + 1234; i++) {
            String r = "{\"id\":" + i + ",\"pad\":\"" + "x".repeat(i % 977) + "\"}";
            rows.add(r);
            b.add(json(r), true, 0, i);
        }
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i), new String(b.row(i), StandardCharsets.UTF_8), "row " + i);
            all.append(rows.get(i)).append('\n');
        }
        assertEquals(all.toString(), read(b.stream(0, rows.size())));
        int mid = rows.size() / 2;
        assertEquals(String.join("\n", rows.subList(mid, mid + 3)) + "\n", read(b.stream(mid, mid + 3)));
        b.release();
    }

    @Test
    void foreignRowsKeepTheirOrigin() {
        RowBatch b = new RowBatch();
        for (int i = 0; i < 40; i++) {
            b.add(json("{}"), i % 3 != 0, 7, 100 + i);
        }
        assertEquals(14, b.foreignRows());
        assertEquals(3, b.foreignRow(1));
        assertEquals(7, b.foreignPartition(1));
        assertEquals(103, b.foreignOffset(1));
        assertEquals(39, b.foreignRow(13));
    }

    @Test
    void anEmptyValueIsAnEmptyRowAndBytesCanBeAdded() throws IOException {
        RowBatch b = new RowBatch();
        b.add(null, false, 0, 1);
        b.add("{\"b\":true}".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new byte[0], b.row(0));
        assertEquals("\n{\"b\":true}\n", read(b.stream(0, 2)));
        assertEquals(1, b.foreignRows());
    }

    @Test
    void aReleasedBatchIsEmptyAndItsChunksAreReused() throws IOException {
        RowBatch a = new RowBatch();
        a.add(json("{\"old\":1}"), true, 0, 0);
        a.release();
        assertEquals(0, a.rows());
        RowBatch b = new RowBatch();
        b.add(json("{\"new\":2}"), true, 0, 0);
        // a reused chunk may hold old bytes past the end: only what was written is read back
        assertEquals("{\"new\":2}\n", read(b.stream(0, 1)));
    }
}
