package dcm.core.plan;

import dcm.core.ColumnSpec;
import dcm.core.LifeCycle;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import dcm.core.plan.Operation.RebuildColumn;
import dcm.core.plan.Operation.RebuildColumn.Change;
import java.util.Arrays;
import java.util.List;

/**
 * One sample of every kind of {@link Operation}, for the tests that check each dispatch over the sealed type
 * (SQL, planning, rendering, JSON, apply) handles them all. The kinds come from
 * {@link Class#getPermittedSubclasses()}, so a kind added to {@link Operation} fails those tests here until it has a
 * sample, and then wherever it is not handled.
 */
public final class OperationSamples {
    private static final TableSpec TABLE = new TableSpec("T_1_0", List.of(ColumnSpec.of("id", "String"),
            ColumnSpec.of("age", "Int32")), "MergeTree", List.of("age", "id"), null, LifeCycle.FULLY_MANAGED);

    private static final dcm.core.versions.MigrationView VIEW = new dcm.core.versions.MigrationView(
            "T_migrate__1_0__1_1", "T", "1.0", "1.1", "T_1_0", "T_1_1", List.of("id", "age"),
            List.of("`id`", "CAST(`age` AS Int64)"), "generated");

    private OperationSamples() {}

    /** Every kind of operation, as {@link Operation} permits them. */
    public static List<Class<?>> kinds() {
        return Arrays.asList(Operation.class.getPermittedSubclasses());
    }

    /** One sample of each kind, in the order of {@link #kinds()}. */
    public static List<Operation> all() {
        return kinds().stream().map(OperationSamples::of).toList();
    }

    /** A sample of one kind; fails when the kind has none yet. */
    public static Operation of(Class<?> kind) {
        Operation op = sample(kind.getSimpleName());
        if (op == null || op.getClass() != kind) {
            throw new AssertionError("no sample of Operation." + kind.getSimpleName() + ": add one to"
                    + " OperationSamples, then the tests show where it is not handled");
        }
        return op;
    }

    private static Operation sample(String kind) {
        return switch (kind) {
            case "CreateTable" -> new Operation.CreateTable(TABLE);
            case "DropTable" -> new Operation.DropTable("Old_1_0");
            case "AddColumn" -> new Operation.AddColumn("T_1_0", ColumnSpec.of("city", "String"), "id");
            case "DropColumn" -> new Operation.DropColumn("T_1_0", "score", "Int64");
            case "ModifyColumn" -> new Operation.ModifyColumn("T_1_0", "age", "String", "Int32", null, "0");
            case "RenameColumn" -> new Operation.RenameColumn("T_1_0", "name", "fullName", "String");
            case "RebuildTable" -> new Operation.RebuildTable(TABLE, "ORDER BY id -> age, id", List.of("id", "age"),
                    List.of("`id`", "CAST(`age` AS Int32)"), false, true, List.of(
                            new RebuildColumn(Change.CONVERTED, "age", "Int32", "String", null),
                            new RebuildColumn(Change.LEFT_OUT, "score", "Int64", null, null)));
            case "CreateView" -> new Operation.CreateView("T", "T_1_0");
            case "DropView" -> new Operation.DropView("T");
            case "CreateMigrationView" -> new Operation.CreateMigrationView(VIEW);
            case "ReplaceMigrationView" -> new Operation.ReplaceMigrationView(VIEW);
            case "Backfill" -> new Operation.Backfill(VIEW, List.of(VIEW), List.of("T_1_0"), 42);
            case "CreateTopic" -> new Operation.CreateTopic(new TopicSpec("T_1_0", 3, 604_800_000L,
                    LifeCycle.FULLY_MANAGED), 1);
            case "DeleteTopic" -> new Operation.DeleteTopic("Old_1_0");
            case "AddPartitions" -> new Operation.AddPartitions("T_1_0", 3, 6);
            case "SetRetention" -> new Operation.SetRetention("T_1_0", 604_800_000L, 86_400_000L);
            default -> null;
        };
    }
}
