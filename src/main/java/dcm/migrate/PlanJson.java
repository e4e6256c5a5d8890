package dcm.migrate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dcm.core.ModelSpec;
import dcm.core.live.LiveState;
import dcm.core.plan.Finding;
import dcm.core.plan.Operation;
import dcm.core.plan.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Plans as JSON: a saved plan file holds the operations, findings, the live state it was made against and the
 * model state it targets. The core records stay free of Jackson: type names are attached here.
 */
public final class PlanJson {
    /** A reviewable saved plan. */
    public record SavedPlan(int format, String planId, String database, String createdAt,
                            List<Operation> operations, List<Finding> findings, List<Finding> blocked,
                            LiveState live, List<ModelSpec> models) {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Operation.CreateTable.class, name = "CreateTable"),
        @JsonSubTypes.Type(value = Operation.DropTable.class, name = "DropTable"),
        @JsonSubTypes.Type(value = Operation.AddColumn.class, name = "AddColumn"),
        @JsonSubTypes.Type(value = Operation.DropColumn.class, name = "DropColumn"),
        @JsonSubTypes.Type(value = Operation.ModifyColumn.class, name = "ModifyColumn"),
        @JsonSubTypes.Type(value = Operation.RenameColumn.class, name = "RenameColumn"),
        @JsonSubTypes.Type(value = Operation.RebuildTable.class, name = "RebuildTable"),
        @JsonSubTypes.Type(value = Operation.CreateView.class, name = "CreateView"),
        @JsonSubTypes.Type(value = Operation.DropView.class, name = "DropView"),
        @JsonSubTypes.Type(value = Operation.CreateMigrationView.class, name = "CreateMigrationView"),
        @JsonSubTypes.Type(value = Operation.ReplaceMigrationView.class, name = "ReplaceMigrationView"),
        @JsonSubTypes.Type(value = Operation.Backfill.class, name = "Backfill"),
        @JsonSubTypes.Type(value = Operation.CreateTopic.class, name = "CreateTopic"),
        @JsonSubTypes.Type(value = Operation.DeleteTopic.class, name = "DeleteTopic"),
        @JsonSubTypes.Type(value = Operation.AddPartitions.class, name = "AddPartitions"),
        @JsonSubTypes.Type(value = Operation.SetRetention.class, name = "SetRetention")})
    @JsonIgnoreProperties(ignoreUnknown = true)
    private interface OperationMixin {}

    /** The mapper every plan file and plan id goes through. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .addMixIn(Operation.class, OperationMixin.class)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PlanJson() {}

    /** A stable id of a list of operations: the same plan always journals under the same id. */
    public static String planId(List<Operation> ops) {
        try {
            byte[] json = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(ops);
            return dcm.core.Digest.sha256Hex(json, 8);
        } catch (Exception e) {
            throw new IllegalStateException("cannot hash plan: " + e.getMessage(), e);
        }
    }

    /** Writes a plan file. */
    public static SavedPlan save(Path file, Plan plan, String database, LiveState live, List<ModelSpec> models)
            throws IOException {
        SavedPlan saved = new SavedPlan(1, planId(plan.operations()), database, java.time.Instant.now().toString(),
                plan.operations(), plan.findings(), plan.blocked(), live, models);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.write(file, MAPPER.writerFor(SavedPlan.class).writeValueAsBytes(saved));
        return saved;
    }

    /** Reads a plan file; a broken one gives an error naming the file and what is wrong. */
    public static SavedPlan load(Path file) {
        try {
            return parse(Files.readAllBytes(file), "plan file " + file);
        } catch (IOException e) {
            throw new ApplyException("cannot read plan file " + file + ": " + e.getMessage(), List.of(),
                    "make a new one with `plan --save " + file + "`");
        }
    }

    /** Reads a saved plan's JSON ({@code what} names it in the error, e.g. "plan file x.json"). */
    public static SavedPlan parse(byte[] json, String what) {
        try {
            SavedPlan p = MAPPER.readValue(new String(json, StandardCharsets.UTF_8), SavedPlan.class);
            if (p == null || p.planId() == null || p.operations() == null || p.live() == null) {
                throw new IOException("not a saved plan (no planId, operations or live state)");
            }
            return p;
        } catch (IOException e) {
            throw new ApplyException("cannot read " + what + ": " + e.getMessage().lines().findFirst().orElse(""),
                    List.of(), "make a new one with `plan --save`");
        }
    }
}
