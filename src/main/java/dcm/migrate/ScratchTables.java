package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import dcm.core.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * The scratch tables of one command (a mapping test): Memory tables in the project's database named
 * {@code _dcm_mt_<host>_<pid>_<nonce>_<role>} (the planner ignores {@code _dcm_} tables), dropped by {@link #close()}
 * whatever happened, also when the command was interrupted (the thread's interrupt is cleared for the drops and set
 * again). {@link #sweep} drops what processes of this host that no longer run left behind (a killed JVM).
 */
public final class ScratchTables implements AutoCloseable {
    /** The prefix of every scratch table of a mapping test. */
    public static final String PREFIX = LiveReader.INTERNAL + "mt_";
    private final ClickHouse ch;
    private final String base;
    private final List<String> made = new ArrayList<>();

    public ScratchTables(ClickHouse ch) {
        this.ch = ch;
        this.base = PREFIX + hostTag() + "_" + ProcessHandle.current().pid() + "_"
                + java.util.UUID.randomUUID().toString().substring(0, 8) + "_";
    }

    /** Creates {@code <base><role>} with these column definitions, Memory engine; returns its name. */
    public String create(String role, List<String> columnDefinitions) {
        String name = base + role;
        made.add(name); // before the statement: a create cut off half way is dropped all the same
        ch.execute("CREATE TABLE " + Sql.table(ch.database(), name) + " (" + String.join(", ", columnDefinitions)
                + ") ENGINE = Memory");
        return name;
    }

    /** The tables this instance created (and has not dropped yet). */
    public List<String> names() {
        return List.copyOf(made);
    }

    /** Drops every table made; the first failure is thrown after all were tried. */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted(); // an interrupted thread's statements would not even start
        RuntimeException first = null;
        try {
            for (String t : made) {
                try {
                    ch.execute("DROP TABLE IF EXISTS " + Sql.table(ch.database(), t));
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            made.clear();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The scratch tables present in the database now (any process's). */
    public static List<String> present(ClickHouse ch) {
        return ch.tableNames().stream().filter(n -> n.startsWith(PREFIX)).toList();
    }

    /**
     * Drops the scratch tables of processes of this host that no longer run; returns their names. Tables of other
     * hosts, or of processes alive here, are left alone.
     */
    public static List<String> sweep(ClickHouse ch) {
        List<String> dropped = new ArrayList<>();
        String here = hostTag();
        for (String t : present(ch)) {
            String[] parts = t.substring(PREFIX.length()).split("_");
            if (parts.length < 3 || !parts[0].equals(here)) {
                continue;
            }
            try {
                long pid = Long.parseLong(parts[1]);
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive())
                        .orElse(true)) {
                    ch.execute("DROP TABLE IF EXISTS " + Sql.table(ch.database(), t));
                    dropped.add(t);
                }
            } catch (NumberFormatException e) {
                // not a name this class made
            }
        }
        return dropped;
    }

    /** A short tag of this host's name (letters and digits only, so the name splits on '_'). */
    public static String hostTag() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return Integer.toHexString(host.hashCode() & 0x7fffffff);
    }
}
