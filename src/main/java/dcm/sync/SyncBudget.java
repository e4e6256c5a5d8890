package dcm.sync;

/**
 * How much memory one sync may hold when all syncs of a process share a budget ({@code [sync_config] memory_mb}):
 * each gets an equal share, a third of it (at most 32 MiB) for the consumer's fetch buffers and the rest for its
 * batches (the one being filled, those in flight, and one poll of overshoot). With versions side by side a shell
 * runs a sync per model version, so a fixed size per sync would grow with every bump; this keeps the total flat
 * and makes batches smaller instead. A sync never goes below a floor (1 MiB of fetch, 256 KiB batches) so it
 * always makes progress; past about 100 syncs per 256 MiB the floors exceed the budget.
 *
 * @param fetchBytes          the consumer's {@code fetch.max.bytes}
 * @param partitionFetchBytes the consumer's {@code max.partition.fetch.bytes}
 * @param batchBytes          a batch is due at this size
 */
public record SyncBudget(int fetchBytes, int partitionFetchBytes, long batchBytes) {
    static final int MIB = 1 << 20;
    /** Largest fetch: more does not read faster (measured), and a fetch is held while it is handed out. */
    static final int MAX_FETCH = 32 * MIB;
    /** Largest batch: an insert of about 100,000 typical rows; larger ones do not insert faster. */
    static final long MAX_BATCH = 16L * MIB;
    static final int MIN_FETCH = MIB;
    static final long MIN_BATCH = 256L * 1024;
    /**
     * Batches a sync holds at most: the one filling, those handed to the inserter (see TopicSync's pipeline),
     * and one poll's overshoot.
     */
    static final int BATCHES_HELD = TopicSync.PIPELINE + 2;

    /** The share of one of {@code syncs} syncs in a budget of {@code budgetBytes}. */
    public static SyncBudget share(long budgetBytes, int syncs) {
        long each = budgetBytes / Math.max(1, syncs);
        int fetch = (int) Math.max(MIN_FETCH, Math.min(MAX_FETCH, each / 3));
        long batch = Math.max(MIN_BATCH, Math.min(MAX_BATCH, (each - fetch) / BATCHES_HELD));
        return new SyncBudget(fetch, Math.min(fetch, MAX_FETCH / 2), batch);
    }
}
