package dcm.core.plan;

import dcm.core.ColumnSpec;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import java.util.List;

/**
 * One change a plan makes. Rendering, JSON, SQL and apply are exhaustive over these records.
 */
public sealed interface Operation {
    /** The table, view or topic it changes. */
    String target();

    /** {@code +} create/add, {@code ~} change, {@code -} drop. */
    char symbol();

    /** One line, Moose style: {@code + user_agent: String}. */
    String describe();

    /** True when it removes data or an object (needs consent). */
    default boolean destructive() {
        return symbol() == '-';
    }

    /**
     * What it loses, one entry per loss, each saying exactly what ({@code column score (Int64) of T_1_0 and all its
     * values}); empty when nothing is lost.
     */
    default List<String> losses() {
        return List.of();
    }

    /** Whether {@link #target()} is a topic (else a table or view). */
    default boolean onTopic() {
        return false;
    }

    /** Create a table. */
    record CreateTable(TableSpec table) implements Operation {
        public String target() { return table.name(); }
        public char symbol() { return '+'; }
        public String describe() {
            return "create table " + table.name() + " (" + table.columns().size() + " columns, ORDER BY "
                    + (table.orderBy().isEmpty() ? "tuple()" : String.join(", ", table.orderBy())) + ")";
        }
    }

    /** Drop a table and its data. */
    record DropTable(String table) implements Operation {
        public String target() { return table; }
        public char symbol() { return '-'; }
        public String describe() { return "drop table " + table; }
        public List<String> losses() { return List.of("table " + table + " and all its rows"); }
    }

    /** Add a column after another (null: as the first column). */
    record AddColumn(String table, ColumnSpec column, String after) implements Operation {
        public String target() { return table; }
        public char symbol() { return '+'; }
        public String describe() {
            return column.name() + ": " + column.type() + (column.defaultExpr() == null ? ""
                    : " DEFAULT " + column.defaultExpr()) + (after == null ? " (first)" : " (after " + after + ")");
        }
    }

    /** Drop a column and its data. */
    record DropColumn(String table, String column, String type) implements Operation {
        public String target() { return table; }
        public char symbol() { return '-'; }
        public String describe() { return column + ": " + type; }
        public List<String> losses() {
            return List.of("column " + column + " (" + type + ") of " + table + " and all its values");
        }
    }

    /** Change a column's type and/or default; the old and new values are both given. */
    record ModifyColumn(String table, String column, String oldType, String newType, String oldDefault,
                        String newDefault) implements Operation {
        public String target() { return table; }
        public char symbol() { return '~'; }
        public boolean typeChanged() { return !oldType.equals(newType); }
        public String describe() {
            StringBuilder s = new StringBuilder(column).append(": ");
            if (typeChanged()) {
                s.append(oldType).append(" -> ").append(newType);
            } else {
                s.append(newType);
            }
            if (!java.util.Objects.equals(oldDefault, newDefault)) {
                s.append(typeChanged() ? ", " : " ").append("DEFAULT ").append(oldDefault == null ? "(none)"
                        : oldDefault).append(" -> ").append(newDefault == null ? "(none)" : newDefault);
            }
            return s.toString();
        }
    }

    /** Rename a column (declared with @RenamedFrom), keeping its data. */
    record RenameColumn(String table, String from, String to, String type) implements Operation {
        public String target() { return table; }
        public char symbol() { return '~'; }
        public String describe() { return from + " -> " + to + ": " + type + " (rename, data kept)"; }
    }

    /**
     * Rebuild a table whose ORDER BY, PARTITION BY, engine or key types change: a new table, a copy of every row,
     * a name swap, a copy of what arrived meanwhile; nothing is dropped before the data is in the new table.
     *
     * @param table           the wanted table
     * @param reason          what changed ({@code ORDER BY id -> userId, at})
     * @param copyColumns     the new table's columns that are filled from the old one
     * @param copyExpressions for each of those, the expression over the old table (a column, a CAST, a rename)
     * @param keepOld         keep the old table (renamed) instead of dropping it after the swap
     * @param dropsColumns    whether some old column is left out (its data is lost)
     * @param columnChanges   what the rebuild does to columns besides copying them as they are (empty in plan
     *                        files saved before it was recorded)
     */
    record RebuildTable(TableSpec table, String reason, List<String> copyColumns, List<String> copyExpressions,
                        boolean keepOld, boolean dropsColumns, List<RebuildColumn> columnChanges)
            implements Operation {
        public RebuildTable {
            copyColumns = List.copyOf(copyColumns);
            copyExpressions = List.copyOf(copyExpressions);
            columnChanges = columnChanges == null ? List.of() : List.copyOf(columnChanges);
        }
        public String target() { return table.name(); }
        public char symbol() { return '~'; }
        public boolean destructive() { return dropsColumns; }
        public String describe() { return "rebuild keeping every row: " + reason; }
        public List<String> losses() {
            List<String> out = columnChanges.stream().filter(c -> c.change() == RebuildColumn.Change.LEFT_OUT)
                    .map(c -> "column " + c.column() + " (" + c.type() + ") of " + table.name() + " and its values"
                            + " (the rebuild keeps every row)").toList();
            // a plan saved before column changes were recorded says only that some are left out
            return out.isEmpty() && dropsColumns ? List.of("the columns of " + table.name() + " the rebuild leaves"
                    + " out, and their values") : out;
        }
    }

    /**
     * One column change a rebuild makes along with its new key, shown under it.
     *
     * @param change      what happens to the column
     * @param column      the column's name in the new table (the live name for LEFT_OUT and KEPT)
     * @param type        its type in the new table (the live type for LEFT_OUT, KEPT and RENAMED)
     * @param previous    RENAMED: the former name; CONVERTED: the live type; DEFAULT: the live default; else null
     * @param defaultExpr the default expression in the new table, or null
     */
    record RebuildColumn(Change change, String column, String type, String previous, String defaultExpr) {
        /** What a rebuild does to one column. */
        public enum Change {
            /** A new column: every row gets its default. */
            ADDED,
            /** Copied under its new name (@RenamedFrom). */
            RENAMED,
            /** Every value converted to the new type. */
            CONVERTED,
            /** The default expression changes (the values are copied as they are). */
            DEFAULT,
            /** Not in the model: its values are lost, every row is kept. */
            LEFT_OUT,
            /** Not in the model, but kept: the table is DELETION_PROTECTED. */
            KEPT
        }

        /** {@code +} added, {@code -} left out, {@code ~} otherwise. */
        public char symbol() {
            return switch (change) {
                case ADDED -> '+';
                case LEFT_OUT -> '-';
                case RENAMED, CONVERTED, DEFAULT, KEPT -> '~';
            };
        }

        /** One line, as shown under the rebuild. */
        public String describe() {
            return switch (change) {
                case ADDED -> column + ": " + type + (defaultExpr == null
                        ? " (new: existing rows get the type's default value)"
                        : " DEFAULT " + defaultExpr + " (new: existing rows get the default)");
                case RENAMED -> previous + " -> " + column + ": " + type + " (rename, data kept)";
                case CONVERTED -> column + ": " + previous + " -> " + type + " (every value converted)";
                case DEFAULT -> column + ": " + type + " DEFAULT " + (previous == null ? "(none)" : previous) + " -> "
                        + (defaultExpr == null ? "(none)" : defaultExpr);
                case LEFT_OUT -> column + ": " + type + " (left out: its values are lost, every row is kept)";
                case KEPT -> column + ": " + type + " (kept: the table is DELETION_PROTECTED)";
            };
        }
    }

    /** Create the alias view: the bare model name reads the latest version's table. */
    record CreateView(String view, String table) implements Operation {
        public String target() { return view; }
        public char symbol() { return '+'; }
        public String describe() { return "create view " + view + " AS SELECT * FROM " + table; }
    }

    /** Drop a view (no data is lost: views hold none). */
    record DropView(String view) implements Operation {
        public String target() { return view; }
        public char symbol() { return '-'; }
        public boolean destructive() { return false; }
        public String describe() { return "drop view " + view; }
    }

    /**
     * Create a materialized view carrying rows inserted into one version's table to a later version's table,
     * through the mapping. Planned alone when the target table exists already (rows inserted before it are not
     * carried: a finding says so); a new table's views are created by its {@link Backfill}.
     */
    record CreateMigrationView(dcm.core.versions.MigrationView view) implements Operation {
        public String target() { return view.name(); }
        public char symbol() { return '+'; }
        public String describe() {
            return "migration view " + view.source() + " -> " + view.target() + " (mapping " + view.origin() + ")";
        }
    }

    /**
     * Replace a migration view whose mapping changed: with the syncs into its source paused, so no row passes
     * between the drop and the create.
     */
    record ReplaceMigrationView(dcm.core.versions.MigrationView view) implements Operation {
        public String target() { return view.name(); }
        public char symbol() { return '~'; }
        public String describe() {
            return "migration view " + view.source() + " -> " + view.target() + ": the mapping changed ("
                    + view.origin() + "); re-created with the syncs into " + view.source() + " paused";
        }
    }

    /**
     * Fill a new version's table from the previous version's, with nothing lost or repeated while ingestion goes
     * on: pause the syncs writing into the sources, stop merges on {@code copy.source()}, list its parts, create
     * the views, resume; then copy each listed part through the mapping (journaled, resumable), and check that the
     * new table holds at least every row of the previous one.
     *
     * @param copy   the step's mapping from the previous version's table into the new one
     * @param views  the migration views into the new table, created while the syncs are paused
     * @param paused the tables whose syncs pause (every source of the views)
     * @param rows   the rows to copy when planned (the previous table's count; -1 when unknown)
     */
    record Backfill(dcm.core.versions.MigrationView copy, List<dcm.core.versions.MigrationView> views,
                    List<String> paused, long rows) implements Operation {
        public Backfill {
            views = List.copyOf(views);
            paused = List.copyOf(paused);
        }
        public String target() { return copy.target(); }
        public char symbol() { return '+'; }
        public String describe() {
            return "backfill " + copy.target() + " from " + copy.source() + (rows < 0 ? "" : " (" + rows + " rows)")
                    + " through mapping " + copy.from() + " -> " + copy.to() + " (" + copy.origin() + "), then "
                    + views.size() + " migration view(s)";
        }
    }

    /** Create a topic. */
    record CreateTopic(TopicSpec topic, int replicationFactor) implements Operation {
        public String target() { return topic.name(); }
        public char symbol() { return '+'; }
        public boolean onTopic() { return true; }
        public String describe() {
            return "create topic " + topic.name() + " (" + topic.partitions() + " partition(s), retention "
                    + topic.retentionMs() + " ms)";
        }
    }

    /** Delete a topic and its records. */
    record DeleteTopic(String topic) implements Operation {
        public String target() { return topic; }
        public char symbol() { return '-'; }
        public boolean onTopic() { return true; }
        public String describe() { return "delete topic " + topic; }
        public List<String> losses() { return List.of("topic " + topic + " and all its records"); }
    }

    /** Add partitions (Kafka cannot remove them). */
    record AddPartitions(String topic, int from, int to) implements Operation {
        public String target() { return topic; }
        public char symbol() { return '~'; }
        public boolean onTopic() { return true; }
        public String describe() { return "partitions: " + from + " -> " + to; }
    }

    /** Change a topic's retention.ms. */
    record SetRetention(String topic, long from, long to) implements Operation {
        public String target() { return topic; }
        public char symbol() { return '~'; }
        public boolean onTopic() { return true; }
        public String describe() { return "retention.ms: " + from + " -> " + to; }
    }
}
