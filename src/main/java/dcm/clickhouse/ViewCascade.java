package dcm.clickhouse;

import dcm.core.Sql;
import java.util.List;

/**
 * Measures whether a server's materialized views cascade: rows a view writes into its target fire the target's own
 * views. 18.16 does not; current servers do; versions in between changed more than once (a regression in 19.14,
 * fixed later), so it is measured, not guessed from the version: three scratch Memory tables in the project database
 * (so it needs the rights apply needs anyway), a view from the first to the second and one from the second to the
 * third, one row into the first.
 */
final class ViewCascade {
    private ViewCascade() {}

    static boolean measure(ClickHouse ch) {
        String p = "_dcm_probe_" + ProcessHandle.current().pid() + "_" + Long.toHexString(System.nanoTime());
        String db = ch.database();
        String a = Sql.table(db, p + "_a"), b = Sql.table(db, p + "_b"), c = Sql.table(db, p + "_c");
        String ab = Sql.table(db, p + "_ab"), bc = Sql.table(db, p + "_bc");
        try {
            ch.execute("CREATE DATABASE IF NOT EXISTS " + Sql.id(db), false);
            for (String t : List.of(a, b, c)) {
                ch.execute("CREATE TABLE " + t + " (x UInt8) ENGINE = Memory", false);
            }
            ch.execute("CREATE MATERIALIZED VIEW " + ab + " TO " + b + " AS SELECT x FROM " + a, false);
            ch.execute("CREATE MATERIALIZED VIEW " + bc + " TO " + c + " AS SELECT x FROM " + b, false);
            ch.execute("INSERT INTO " + a + " VALUES (1)", false);
            return !"0".equals(ch.scalar("SELECT count() FROM " + c + " FORMAT TabSeparated"));
        } finally {
            for (String t : List.of(ab, bc, a, b, c)) {
                try {
                    ch.execute("DROP TABLE IF EXISTS " + t, false);
                } catch (RuntimeException ignored) {
                    // best effort: a leftover probe table is internal (_dcm_) and harmless
                }
            }
        }
    }
}
