package dcm.sync;

/**
 * When the batch being filled goes to the inserter: full (at {@code batch_rows} or its memory cap: at once, in the
 * middle of a poll if need be), old enough ({@code batch_delay_ms}), caught up with the topic (after a quarter of
 * the delay: inserts are not made tiny), paused, or sizeable while the inserter has nothing to do (a quarter of
 * {@code batch_rows} goes at once rather than filling up while ClickHouse waits; the next batch then fills during
 * this insert).
 *
 * @param maxRows    {@code [sync_config] batch_rows}
 * @param maxDelayMs {@code [sync_config] batch_delay_ms}
 */
record FlushRule(int maxRows, long maxDelayMs) {
    /** Full: no more rows go into it. */
    boolean full(int rows, long bytes, long capBytes) {
        return rows >= maxRows || bytes >= capBytes;
    }

    /**
     * Due after a poll: a non-empty batch of {@code rows} and {@code bytes}, {@code ageMs} old, with the sync
     * {@code paused}, {@code caughtUp} with the topic, and the inserter {@code idle} (nothing in flight).
     */
    boolean due(int rows, long bytes, long capBytes, long ageMs, boolean paused, boolean caughtUp, boolean idle) {
        return rows > 0 && (full(rows, bytes, capBytes) || paused || ageMs >= maxDelayMs
                || (caughtUp && ageMs >= maxDelayMs / 4) || (idle && rows >= maxRows / 4));
    }
}
