package dcm.clickhouse;

import java.util.Map;

/**
 * The settings that make an insert one block. ClickHouse reads an insert's input in blocks of up to {@code
 * max_insert_block_size} rows (1,048,576 by default), squashes them together until they reach {@code
 * min_insert_block_size_rows} or {@code min_insert_block_size_bytes} (1,048,576 rows, 256 MiB), and only then
 * stores each block and pushes it to the table's materialized views, one view after the other. With all three at
 * least the insert's size, its rows are read and squashed into one block whatever the server's profile says
 * (measured on 18.16 with a view counting the rows of each block it is pushed: 1,100,000 rows of TSV came as two
 * blocks of 1,048,576 and 51,424 rows by default, as one block with these settings).
 */
final class OneBlock {
    /** The server's default {@code max_insert_block_size}: the least block size a one-block insert asks for. */
    static final int ROWS = 1_048_576;
    /** {@code min_insert_block_size_bytes} of a one-block insert: 1 TiB, never reached before its rows end. */
    static final long BYTES = 1L << 40;

    private OneBlock() {}

    /** The server settings for an insert of {@code rows} rows as one block (none when {@code rows} is 0). */
    static Map<String, String> settings(int rows) {
        if (rows <= 0) {
            return Map.of();
        }
        String n = String.valueOf(Math.max(rows, ROWS));
        return Map.of("max_insert_block_size", n, "min_insert_block_size_rows", n,
                "min_insert_block_size_bytes", String.valueOf(BYTES));
    }
}
