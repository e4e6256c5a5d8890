package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.TestProjects;
import dcm.config.ConfigLoader;
import dcm.config.ProjectConfig;
import dcm.core.ModelSpec;
import dcm.ingest.Ingestor;
import dcm.ingest.Schema;
import dcm.jshell.ModelWorkspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A project applied through the shell for the sync tests that drive a {@link dcm.sync.SyncManager} directly: its
 * config and loaded models, and records of {@link StreamIT#MODEL}'s shape to send to them.
 */
record SyncProject(ProjectConfig config, List<ModelSpec> models) {
    /** Writes the model files, applies them with {@code ./shell -c "apply --yes"}, and loads config and models. */
    static SyncProject apply(Path dir, Map<String, String> env, String db, Map<String, String> files) throws Exception {
        TestProjects.create(dir, files);
        assertEquals(0, TestProjects.shell(env, "", "--project", dir.toString(), "--no-infra", "-c", "apply --yes")
                .exitCode());
        ProjectConfig config = ConfigLoader.load(dir, env);
        try (ModelWorkspace ws = new ModelWorkspace(dir, new dcm.api.ModelAssembler.Settings("1.0", db, 604800000L,
                dcm.core.Dialect.LEGACY_18_16))) {
            return new SyncProject(config, ws.reload().models());
        }
    }

    /** The model of that name. */
    ModelSpec model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    /** Records {@code prefix + i} for i in [from, to), validated against the schema (the index is i). */
    static List<ObjectNode> events(Schema schema, String prefix, int from, int to) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(schema.validate(dcm.ingest.FieldTypeAccess.json("{\"id\":\"" + prefix + i + "\",\"user\":\"u\","
                    + "\"n\":1,\"at\":\"2024-05-01T12:00:00Z\"}"), i));
        }
        return out;
    }

    /** Sends records {@code prefix + i} for i in [from, to) to the model's topic, {@code per} in a transaction. */
    static void send(Ingestor ingestor, ModelSpec model, String prefix, int from, int to, int per) {
        Schema schema = new Schema(model);
        for (int start = from; start < to; start += per) {
            ingestor.send(model.topic().name(), schema, events(schema, prefix, start, Math.min(to, start + per)));
        }
    }
}
