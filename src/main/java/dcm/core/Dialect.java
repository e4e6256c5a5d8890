package dcm.core;

/**
 * What the target ClickHouse server can do, decided from its version. Generated SQL and type mappings choose by
 * this where 18.16 and current servers differ.
 *
 * @param version the server's version string ({@code 18.16.1}, {@code 24.8.4.13})
 */
public record Dialect(String version) {
    /** A current server, used when none is known (e.g. unit tests of the modern SQL text). */
    public static final Dialect MODERN = new Dialect("24.8");
    /** Debian's 18.16.1, the server available on our machines. */
    public static final Dialect LEGACY_18_16 = new Dialect("18.16.1");

    private int major() {
        return Integer.parseInt(version.split("\\.")[0]);
    }

    private boolean atLeast(int maj, int min) {
        String[] parts = version.split("\\.");
        int mj = Integer.parseInt(parts[0]);
        int mn = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        return mj > maj || (mj == maj && mn >= min);
    }

    /** {@code ALTER TABLE ... RENAME COLUMN} (20.4+). */
    public boolean renameColumn() {
        return atLeast(20, 4);
    }

    /** {@code DateTime64(p)} (20.1+). */
    public boolean dateTime64() {
        return atLeast(20, 1);
    }

    /** {@code Map(K, V)} (21.1+ without experimental settings). */
    public boolean mapType() {
        return atLeast(21, 1);
    }

    /** {@code ADD COLUMN IF NOT EXISTS} / {@code DROP COLUMN IF EXISTS} (19.x+). */
    public boolean columnIfExists() {
        return major() >= 19;
    }

    /** {@code ALTER TABLE mv MODIFY QUERY} (21.x+). */
    public boolean modifyQuery() {
        return atLeast(21, 12);
    }

    /** {@code LowCardinality} needs {@code allow_experimental_low_cardinality_type=1} before 19.x. */
    public boolean lowCardinalityExperimental() {
        return major() < 19;
    }
}
