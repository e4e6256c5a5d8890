package dcm.app;

import dcm.config.ProjectConfig;
import dcm.core.ModelSpec;
import dcm.core.versions.Desired;
import dcm.core.versions.ValueChecks;
import dcm.ingest.Schema;
import dcm.jshell.ModelWorkspace;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model versions a project has in force: the supported old versions (from their snapshots) and the latest, with
 * the tables and topics of unchanged versions shared ({@code Users@1.1} on {@code Users_1_0} until Users changes).
 * What the ingest routes, the syncs and {@code ls} serve. Worked out once per config and load of the models (the
 * ingest routes ask on every request).
 */
public final class ModelsInForce {
    /** One answer, for one config and one load state. */
    private record Answer(ProjectConfig config, ModelWorkspace.LoadReport state, List<ModelSpec> all,
                          List<ModelSpec> latest, Map<String, List<ValueChecks.Check>> checks, String problem) {}

    private final Project project;
    private final Runnable learnTypes;
    private volatile Answer answer;

    /**
     * @param learnTypes run before the versions are worked out: gives the models the server's types when it answers
     *                   (a version shares an older one's table only when their types are equal, and the snapshots
     *                   hold the server's types)
     */
    public ModelsInForce(Project project, Runnable learnTypes) {
        this.project = project;
        this.learnTypes = learnTypes;
    }

    /** Every model version in force, old versions first; without old versions, the models as loaded. */
    public List<ModelSpec> all() {
        return answer().all();
    }

    /** The latest version of each model. */
    public List<ModelSpec> latest() {
        return answer().latest();
    }

    /**
     * Why the old versions are left out (a snapshot cannot be read: then only the models as loaded are in force), or
     * null.
     */
    public String problem() {
        return answer().problem();
    }

    /**
     * The schema a version's records are validated against: its fields, and the conversions later versions make of
     * its values ({@link ValueChecks}: a value a later version's view would refuse is refused when it arrives).
     */
    public Schema schema(ModelSpec m) {
        return new Schema(m, answer().checks().getOrDefault(m.ref(), List.of()));
    }

    /** The versions the syncs land: one per table and topic (versions sharing them share the oldest one's sync). */
    public List<ModelSpec> forSyncs() {
        Map<String, ModelSpec> byTarget = new LinkedHashMap<>();
        for (ModelSpec m : all()) {
            byTarget.putIfAbsent((m.table() == null ? "" : m.table().name()) + " " + (m.topic() == null ? ""
                    : m.topic().name()), m);
        }
        return List.copyOf(byTarget.values());
    }

    private Answer answer() {
        Answer a = answer;
        if (a == null || a.config() != project.config() || a.state() != project.workspace().state()) {
            learnTypes.run();
        }
        ProjectConfig c = project.config();
        ModelWorkspace.LoadReport state = project.workspace().state();
        a = answer;
        if (a != null && a.config() == c && a.state() == state) {
            return a;
        }
        try {
            Desired d = new ProjectVersions(project).desired(true);
            a = new Answer(c, state, d.all(), d.latest(), ValueChecks.of(d), null);
        } catch (AppError | UncheckedIOException e) {
            String problem = e.getMessage() + (e instanceof AppError x && !x.evidence().isEmpty() ? ": "
                    + String.join("; ", x.evidence()) : "");
            a = new Answer(c, state, state.models(), state.models(), Map.of(), problem);
        }
        answer = a;
        return a;
    }
}
