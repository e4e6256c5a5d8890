package dcm.sync;

/**
 * How much memory one sync may hold when all syncs of a process share a budget ({@code [sync_config] memory_mb}):
 * each gets an equal share. A quarter of it (at most 32 MiB) sizes the consumer's fetches, of which it may hold two
 * (one being handed out, the next arriving); the rest caps its batches: the one being filled, those handed to the
 * inserter, and two copies (the TSV of the batch being inserted and of the next one, converted meanwhile, or the
 * copy validation makes of a batch with records from other producers), each up to a quarter over its cap (its last
 * chunk). A batch is handed over as soon as it reaches its cap, in the middle of a poll if need be.
 * With versions side by side a shell runs a sync per model version, so a fixed size per sync would grow with every
 * bump; this keeps the total flat and makes batches smaller instead. A sync never goes below a floor (1 MiB
 * fetches, 256 KiB batches) so it always makes progress; past about 50 syncs per 256 MiB the floors exceed the
 * budget.
 *
 * @param fetchBytes          the consumer's {@code fetch.max.bytes}
 * @param partitionFetchBytes the consumer's {@code max.partition.fetch.bytes}
 * @param batchBytes          a batch is handed over at this size
 */
public record SyncBudget(int fetchBytes, int partitionFetchBytes, long batchBytes) {
    static final int MIB = 1 << 20;
    /** Largest fetch: more does not read faster (measured), and a fetch is held while it is handed out. */
    static final int MAX_FETCH = 32 * MIB;
    /** Largest batch: an insert of about 100,000 typical rows; larger ones do not insert faster. */
    static final long MAX_BATCH = 16L * MIB;
    static final int MIN_FETCH = MIB;
    static final long MIN_BATCH = 256L * 1024;
    /** Batches a sync holds at most: the one filling, those handed to the inserter, and two copies. */
    static final int BATCHES_HELD = TopicSync.PIPELINE + 3;

    /** The share of one of {@code syncs} syncs in a budget of {@code budgetBytes}. */
    public static SyncBudget share(long budgetBytes, int syncs) {
        long each = budgetBytes / Math.max(1, syncs);
        int fetch = (int) Math.max(MIN_FETCH, Math.min(MAX_FETCH, each / 4));
        long batch = Math.max(MIN_BATCH, Math.min(MAX_BATCH, (each - 2L * fetch) * 4 / (5L * BATCHES_HELD)));
        return new SyncBudget(fetch, Math.min(fetch, MAX_FETCH / 2), batch);
    }

    /** The most a sync holds with this share: two fetches and its batches, each with a last chunk a quarter over. */
    public long heldBytes() {
        return heldBytes(fetchBytes);
    }

    /** The same, for a consumer made with fetches of {@code fetch} bytes. */
    long heldBytes(int fetch) {
        return 2L * fetch + BATCHES_HELD * (batchBytes + batchBytes / 4);
    }
}
