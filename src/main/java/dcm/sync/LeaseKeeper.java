package dcm.sync;

import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.clickhouse.Lease;
import java.util.function.Consumer;

/**
 * Keeps a sync's lease on its table (in ClickHouse, {@code _dcm_leases}): refreshed every fifth of its
 * {@value TopicSync#LEASE_TTL_MS} ms, well before it expires; a sync that lost it (stalled past its expiry, and
 * another process took the table) must stop at once. Used by the consumer thread only.
 */
final class LeaseKeeper {
    private final ClickHouse ch;
    private final String lease;
    private final String owner;
    private final Consumer<String> error;
    private long refreshed = System.currentTimeMillis();

    LeaseKeeper(ClickHouse ch, String lease, String owner, Consumer<String> error) {
        this.ch = ch;
        this.lease = lease;
        this.owner = owner;
        this.error = error;
    }

    /** Refreshes the lease when due; false once another process holds it. */
    boolean keep() {
        if (System.currentTimeMillis() - refreshed < TopicSync.LEASE_TTL_MS / 5) {
            return true;
        }
        Lease leases = new Lease(ch);
        try {
            if (!leases.holds(lease, owner)) {
                error.accept("stopped: another process took over this table's sync");
                return false;
            }
            leases.refresh(lease, owner, TopicSync.LEASE_TTL_MS);
            refreshed = System.currentTimeMillis();
        } catch (ClickHouseException e) {
            error.accept("lease (will retry): " + e.getMessage());
        }
        return true;
    }

    /** Gives the lease up (the sync stopped); when ClickHouse is away it expires by itself. */
    void release() {
        try {
            new Lease(ch).release(lease, owner);
        } catch (RuntimeException e) {
            // ClickHouse is away: the lease expires by itself
        }
    }
}
