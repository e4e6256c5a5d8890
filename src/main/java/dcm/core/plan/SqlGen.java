package dcm.core.plan;

import dcm.core.Cluster;
import dcm.core.ColumnSpec;
import dcm.core.Dialect;
import dcm.core.Sql;
import dcm.core.TableSpec;
import dcm.core.plan.Operation.AddColumn;
import dcm.core.plan.Operation.AddPartitions;
import dcm.core.plan.Operation.CreateTable;
import dcm.core.plan.Operation.CreateTopic;
import dcm.core.plan.Operation.CreateView;
import dcm.core.plan.Operation.DeleteTopic;
import dcm.core.plan.Operation.DropColumn;
import dcm.core.plan.Operation.DropTable;
import dcm.core.plan.Operation.DropView;
import dcm.core.plan.Operation.ModifyColumn;
import dcm.core.plan.Operation.RebuildTable;
import dcm.core.plan.Operation.RenameColumn;
import dcm.core.plan.Operation.SetRetention;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL behind each operation, for one database and one server dialect. Where 18.16 and current servers differ
 * (RENAME COLUMN, ADD COLUMN ... FIRST), the dialect chooses. Every identifier is quoted. On a {@link Cluster}, every
 * statement that changes a table or view runs {@code ON CLUSTER} and tables get the Replicated engine.
 */
public final class SqlGen {
    /** Suffix of the rebuild's new table while it fills. */
    public static final String NEW_SUFFIX = "__dcm_new";
    /** Suffix the old table gets at the swap. */
    public static final String OLD_SUFFIX = "__dcm_old";
    private final String db;
    private final Dialect dialect;
    private final String planRun;
    private final Cluster cluster;

    /** SQL for every operation but a rebuild, whose old table is named after the plan run. */
    public SqlGen(String database, Dialect dialect) {
        this(database, dialect, null);
    }

    /** SQL for one server. */
    public SqlGen(String database, Dialect dialect, String planRun) {
        this(database, dialect, planRun, Cluster.NONE);
    }

    /**
     * SQL for every operation, a rebuild included.
     *
     * @param planRun the journal run an apply of the plan uses ({@code <planId>#<n>}), which names a rebuild's old
     *                table
     */
    public SqlGen(String database, Dialect dialect, String planRun, Cluster cluster) {
        this.db = database;
        this.dialect = dialect;
        this.planRun = planRun;
        this.cluster = cluster;
    }

    /** Where the DDL runs. */
    public Cluster cluster() {
        return cluster;
    }

    /** {@code ALTER TABLE `db`.`t` [ON CLUSTER `c`]}. */
    private String alter(String table) {
        return "ALTER TABLE " + t(table) + cluster.on();
    }

    /** {@code DROP TABLE IF EXISTS `db`.`t` [ON CLUSTER `c`]}: a table or a view. */
    public String dropTable(String table) {
        return "DROP TABLE IF EXISTS " + t(table) + cluster.on();
    }

    /** The name a rebuild gives the old table at the swap: per plan run, so a kept one never blocks a later one. */
    public static String oldTable(String table, String planRun) {
        return table + OLD_SUFFIX + "_" + planRun.replaceAll("[^A-Za-z0-9]", "_");
    }

    /** The name of a rebuild's new table while it fills. */
    public static String newTable(String table) {
        return table + NEW_SUFFIX;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** A qualified, quoted table name. */
    public String t(String table) {
        return Sql.table(db, table);
    }

    /**
     * The statements of an operation, in order; broker operations are shown as comments. Exhaustive over the sealed
     * {@link Operation}: one not handled here throws rather than showing or running no SQL.
     */
    public List<String> statements(Operation op) {
        if (op instanceof CreateTable c) {
            return List.of(createTable(c.table(), c.table().name()));
        } else if (op instanceof DropTable d) {
            return List.of(dropTable(d.table()));
        } else if (op instanceof AddColumn a) {
            return List.of(addColumn(a.table(), a.column(), a.after()));
        } else if (op instanceof DropColumn d) {
            return List.of(alter(d.table()) + " DROP COLUMN " + Sql.id(d.column()));
        } else if (op instanceof ModifyColumn m) {
            return List.of(alter(m.table()) + " MODIFY COLUMN " + Sql.id(m.column()) + " " + m.newType()
                    + (m.newDefault() == null ? "" : " DEFAULT " + m.newDefault()));
        } else if (op instanceof RenameColumn r) {
            return rename(r);
        } else if (op instanceof RebuildTable r) {
            if (planRun == null) {
                throw new IllegalStateException("the SQL of a rebuild names the plan run: make the SqlGen with it");
            }
            return rebuild(r, planRun);
        } else if (op instanceof CreateView v) {
            return List.of("CREATE VIEW IF NOT EXISTS " + t(v.view()) + cluster.on() + " AS SELECT * FROM "
                    + t(v.table()));
        } else if (op instanceof DropView v) {
            return List.of(dropTable(v.view()));
        } else if (op instanceof Operation.CreateMigrationView v) {
            return List.of(createMigrationView(v.view()));
        } else if (op instanceof Operation.ReplaceMigrationView v) {
            return List.of("-- pause the syncs writing into " + v.view().source() + " (every process) and wait for them",
                    dropTable(v.view().name()), createMigrationView(v.view()),
                    "-- resume the syncs");
        } else if (op instanceof Operation.Backfill b) {
            return backfill(b);
        } else if (op instanceof CreateTopic c) {
            return List.of("-- broker: create topic " + c.topic().name() + " partitions=" + c.topic().partitions()
                    + " replication=" + c.replicationFactor() + " retention.ms=" + c.topic().retentionMs());
        } else if (op instanceof DeleteTopic d) {
            return List.of("-- broker: delete topic " + d.topic());
        } else if (op instanceof AddPartitions p) {
            return List.of("-- broker: create partitions " + p.topic() + " total=" + p.to());
        } else if (op instanceof SetRetention r) {
            return List.of("-- broker: alter topic " + r.topic() + " retention.ms=" + r.to());
        } else {
            throw new IllegalStateException("unhandled operation: " + op);
        }
    }

    /** The materialized view carrying rows of one version's table into a later one's, through the mapping. */
    public String createMigrationView(dcm.core.versions.MigrationView v) {
        return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + t(v.name()) + cluster.on() + " TO " + t(v.target())
                + "\nAS SELECT "
                + v.selectList() + "\nFROM " + t(v.source());
    }

    /**
     * A backfill: the statements that run while the syncs are paused, then the copy of the snapshot's parts (read
     * at apply time: shown as comments), each unit through a staging table attached to the target, so the target's
     * own views do not fire.
     */
    private List<String> backfill(Operation.Backfill b) {
        String snap = b.target() + "__dcm_from";
        List<String> out = new java.util.ArrayList<>();
        out.add("-- pause the syncs writing into " + String.join(", ", b.paused()) + " (every process) and wait for"
                + " them");
        out.add("CREATE TABLE " + t(snap) + " <as " + b.copy().source() + ", never merging"
                + (cluster.replicated() ? ", on this replica only, not replicated" : "") + ">");
        out.add("-- for each partition of " + b.copy().source() + ":\n-- ALTER TABLE " + t(snap)
                + " ATTACH PARTITION ID <id> FROM " + t(b.copy().source()));
        b.views().forEach(v -> out.add(createMigrationView(v)));
        out.add("-- resume the syncs");
        out.add("-- for each unit of about a million rows of " + snap + "'s parts:\n-- INSERT INTO <staging as "
                + b.target() + "> (" + b.copy().columns().stream().map(Sql::id).collect(Collectors.joining(", "))
                + ")\n--   SELECT " + b.copy().selectList() + " FROM " + t(snap) + " WHERE _part IN (<the unit>)"
                + "\n-- ALTER TABLE " + t(b.target()) + " ATTACH PARTITION ID <id> FROM <staging>");
        out.add("DROP TABLE IF EXISTS " + t(snap));
        out.add("-- parity: count() of " + b.target() + " >= count() of " + b.copy().source());
        return out;
    }

    /** CREATE TABLE for a spec under a given physical name (on a cluster: on every replica, replicated). */
    public String createTable(TableSpec table, String name) {
        String cols = table.columns().stream().map(c -> "    " + columnDef(c)).collect(Collectors.joining(",\n"));
        String engine = cluster.engine(table.engine(), db, name);
        return "CREATE TABLE IF NOT EXISTS " + t(name) + cluster.on() + "\n(\n" + cols + "\n)\nENGINE = " + engine
                + (table.partitionBy() == null ? "" : "\nPARTITION BY " + table.partitionBy())
                + "\nORDER BY " + orderBy(table.orderBy());
    }

    private static String orderBy(List<String> fields) {
        if (fields.isEmpty()) {
            return "tuple()";
        }
        return fields.size() == 1 ? Sql.id(fields.get(0))
                : "(" + fields.stream().map(Sql::id).collect(Collectors.joining(", ")) + ")";
    }

    /** {@code `name` Type [DEFAULT expr]}. */
    public String columnDef(ColumnSpec c) {
        return Sql.id(c.name()) + " " + c.type() + (c.defaultExpr() == null ? "" : " DEFAULT " + c.defaultExpr());
    }

    private String addColumn(String table, ColumnSpec c, String after) {
        String position = after != null ? " AFTER " + Sql.id(after) : dialect.renameColumn() ? " FIRST" : "";
        return alter(table) + " ADD COLUMN " + columnDef(c) + position;
    }

    private List<String> rename(RenameColumn r) {
        if (dialect.renameColumn()) {
            return List.of(alter(r.table()) + " RENAME COLUMN " + Sql.id(r.from()) + " TO "
                    + Sql.id(r.to()));
        }
        // 18.16 has no RENAME COLUMN: add, copy with a mutation (waited for), drop
        return List.of(
                alter(r.table()) + " ADD COLUMN " + Sql.id(r.to()) + " " + r.type() + " AFTER " + Sql.id(r.from()),
                alter(r.table()) + " UPDATE " + Sql.id(r.to()) + " = " + Sql.id(r.from()) + " WHERE 1",
                alter(r.table()) + " DROP COLUMN " + Sql.id(r.from()));
    }

    /**
     * The rebuild: with merges stopped so part names stay stable, copy the parts that exist now into a new table,
     * swap the names (writers now reach the new table), then copy the parts that arrived in the meantime. Each part
     * is copied exactly once. The part names are read at apply time: the copies that list them are shown as
     * comments.
     */
    public List<String> rebuild(RebuildTable r, String planRun) {
        String name = r.table().name();
        String cols = r.copyColumns().stream().map(Sql::id).collect(Collectors.joining(", "));
        String exprs = String.join(", ", r.copyExpressions());
        String old = oldTable(name, planRun);
        String fresh = newTable(name);
        return List.of(
                "SYSTEM STOP MERGES " + t(name),
                "DROP TABLE IF EXISTS " + t(fresh),
                createTable(r.table(), fresh),
                "-- for the parts of " + name + " listed now, at once:\n-- INSERT INTO " + t(fresh) + " (" + cols
                        + ") SELECT " + exprs + " FROM " + t(name) + " WHERE _part IN (<the parts>)",
                "RENAME TABLE " + t(name) + " TO " + t(old) + ", " + t(fresh) + " TO " + t(name),
                "-- for each part that arrived in " + name + " meanwhile, one by one:\n-- INSERT INTO " + t(name)
                        + " (" + cols + ") SELECT " + exprs + " FROM " + t(old) + " WHERE _part = <the part>",
                r.keepOld() ? "-- kept: " + t(old) + " (DELETION_PROTECTED)" : "DROP TABLE IF EXISTS " + t(old));
    }
}
