package dcm.clickhouse;

import dcm.core.Rows;
import dcm.core.Sql;
import java.util.Optional;

/**
 * Named leases with expiry, kept in ClickHouse ({@code _dcm_leases}): one apply at a time, one sync per table.
 * ClickHouse has no compare-and-set, so every contender writes a row and the oldest unexpired, unreleased claim
 * wins; the others withdraw. A holder on this host whose process is gone (it crashed) is released at once instead
 * of blocking until its lease expires.
 */
public final class Lease {
    static final String TABLE = "_dcm_leases";
    private final ClickHouse ch;

    public Lease(ClickHouse ch) {
        this.ch = ch;
    }

    /** An owner name for this process: host and pid (so a crash is recognisable) and a nonce. */
    public static String owner(String what) {
        return what + "@" + host() + ":" + ProcessHandle.current().pid() + ":"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** The consumer group a table's sync commits under (one sync per table: see {@link #syncLease}). */
    public static String syncGroup(String database, String table) {
        return "dcm-sync." + database + "." + table;
    }

    /** The lease a table's sync holds while it runs, in whichever process. */
    public static String syncLease(String database, String table) {
        return "sync:" + syncGroup(database, table);
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private String t() {
        return Sql.table(ch.database(), TABLE);
    }

    /** Creates the table when missing (the database must exist). */
    public void ensure() {
        ch.execute("CREATE TABLE IF NOT EXISTS " + t() + " (name String, owner String, ver UInt64, expires UInt64,"
                + " released UInt8) ENGINE = MergeTree() ORDER BY (name, owner)");
    }

    /** Takes the lease, or returns the current holder and its expiry (epoch ms) when someone else has it. */
    public Optional<Holder> acquire(String name, String owner, long ttlMillis) {
        long ver = System.currentTimeMillis() * 1000 + (System.nanoTime() % 1000);
        write(name, owner, ver, System.currentTimeMillis() + ttlMillis, 0);
        for (int attempt = 0; attempt < 5; attempt++) {
            Rows r = ch.query("SELECT owner, min(ver) AS v, max(expires) AS e FROM " + t() + " WHERE name = "
                    + Sql.str(name) + " GROUP BY owner HAVING max(released) = 0 AND e > " + System.currentTimeMillis()
                    + " ORDER BY v LIMIT 1", false);
            String winner = r.size() == 0 ? owner : String.valueOf(r.get(0, "owner"));
            if (winner.equals(owner)) {
                return Optional.empty();
            }
            if (crashedHere(winner)) {
                release(name, winner);
                continue;
            }
            release(name, owner);
            return Optional.of(new Holder(winner, Long.parseLong(String.valueOf(r.get(0, "e")))));
        }
        release(name, owner);
        throw new IllegalStateException("could not settle the lease " + name);
    }

    /** True while {@code owner} is the holder (not expired, not overtaken). */
    public boolean holds(String name, String owner) {
        Rows r = ch.query("SELECT owner, min(ver) AS v, max(expires) AS e FROM " + t() + " WHERE name = "
                + Sql.str(name) + " GROUP BY owner HAVING max(released) = 0 AND e > " + System.currentTimeMillis()
                + " ORDER BY v LIMIT 1", false);
        return r.size() > 0 && owner.equals(String.valueOf(r.get(0, "owner")));
    }

    /** Who holds a lease and until when. */
    public record Holder(String owner, long expiresMillis) {}

    /** A lease held now: its name and holder. */
    public record Held(String name, Holder holder) {}

    /**
     * The leases held now whose names start with {@code prefix}, each by its current holder (not expired, not
     * released, and not a crashed process of this host); empty when no lease was ever taken.
     */
    public java.util.List<Held> held(String prefix) {
        if (!ch.tableExists(TABLE)) {
            return java.util.List.of();
        }
        Rows r = ch.query("SELECT name, owner, min(ver) AS v, max(expires) AS e FROM " + t() + " WHERE startsWith(name, "
                + Sql.str(prefix) + ") GROUP BY name, owner HAVING max(released) = 0 AND e > "
                + System.currentTimeMillis() + " ORDER BY name, v", false);
        java.util.Map<String, Held> first = new java.util.LinkedHashMap<>();
        for (int i = 0; i < r.size(); i++) {
            String name = String.valueOf(r.get(i, "name"));
            String owner = String.valueOf(r.get(i, "owner"));
            if (!first.containsKey(name) && !crashedHere(owner)) {
                first.put(name, new Held(name, new Holder(owner, Long.parseLong(String.valueOf(r.get(i, "e"))))));
            }
        }
        return java.util.List.copyOf(first.values());
    }

    /** Extends a held lease. */
    public void refresh(String name, String owner, long ttlMillis) {
        write(name, owner, Long.MAX_VALUE, System.currentTimeMillis() + ttlMillis, 0);
    }

    /** Gives a lease up. */
    public void release(String name, String owner) {
        write(name, owner, 0, 0, 1);
    }

    private void write(String name, String owner, long ver, long expires, int released) {
        ch.execute("INSERT INTO " + t() + " VALUES (" + Sql.str(name) + ", " + Sql.str(owner) + ", "
                + Long.toUnsignedString(ver) + ", " + expires + ", " + released + ")");
    }

    private static boolean crashedHere(String owner) {
        String[] parts = owner.split("[@:]");
        if (parts.length < 3 || !parts[1].equals(host())) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(parts[2])).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
