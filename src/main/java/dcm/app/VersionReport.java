package dcm.app;

import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.versions.Compatibility;
import dcm.core.versions.Desired;
import dcm.core.versions.Mappings;
import dcm.core.versions.Versions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the current models differ from the frozen versions ({@code versions/<v>.json}): for each model whose spec
 * differs from its last frozen version, the compatibility verdict in Schema Registry's sense (for its table and its
 * topic alike); the models new in the current version, those it no longer has, and the unchanged ones, which share
 * their last version's table and topic. What {@code plan} shows above the plan, and {@code bump} of the version it
 * freezes.
 *
 * @param version   the current version
 * @param frozen    the last frozen version before it, or null (none: nothing to compare with)
 * @param changed   per changed model, the verdict from its last frozen version to the current one
 * @param unchanged models equal to their last frozen version (they share its table and topic)
 * @param added     models in no frozen version
 * @param removed   models of the last frozen version that the current one no longer has
 */
public record VersionReport(String version, String frozen, List<Compatibility> changed, List<String> unchanged,
                            List<String> added, List<String> removed) {
    public VersionReport {
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    /** True when the current version differs from its frozen ones: a model changed, added or removed. */
    public boolean differs() {
        return frozen != null && !(changed.isEmpty() && added.isEmpty() && removed.isEmpty());
    }

    /**
     * The project's current models against every frozen version it keeps (supported and retired ones); empty when
     * it has none.
     */
    public static VersionReport of(Project project) {
        ProjectVersions versions = new ProjectVersions(project);
        Map<String, List<ModelSpec>> frozen = new TreeMap<>(Names::compareVersions);
        frozen.putAll(versions.retired());
        frozen.putAll(versions.snapshots());
        return between(project.config().version(), project.workspace().models(), frozen);
    }

    /**
     * The current models against the frozen versions (by version; those at or after {@code version} are left out).
     * A model counts as unchanged exactly when the desired state shares its last version's table and topic.
     */
    public static VersionReport between(String version, List<ModelSpec> current,
                                        Map<String, List<ModelSpec>> frozen) {
        Map<String, List<ModelSpec>> before = new TreeMap<>(Names::compareVersions);
        frozen.forEach((v, models) -> {
            if (Names.compareVersions(v, version) < 0) {
                before.put(v, models);
            }
        });
        List<Compatibility> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        if (before.isEmpty()) {
            current.forEach(m -> added.add(m.name()));
            return new VersionReport(version, null, changed, unchanged, added, removed);
        }
        Desired desired = Versions.desired(current, before, Mappings.GENERATED, true);
        for (ModelSpec m : desired.latest()) {
            ModelSpec last = lastFrozen(before, m.name());
            if (last == null) {
                added.add(m.name());
            } else if (shared(m)) {
                unchanged.add(m.name());
            } else {
                changed.add(Compatibility.of(last, m));
            }
        }
        String last = ((TreeMap<String, List<ModelSpec>>) before).lastKey();
        before.get(last).stream().map(ModelSpec::name).filter(n -> current.stream().noneMatch(m -> m.name()
                .equals(n))).sorted().forEach(removed::add);
        return new VersionReport(version, last, changed, unchanged, added, removed);
    }

    private static ModelSpec lastFrozen(Map<String, List<ModelSpec>> before, String name) {
        ModelSpec last = null;
        for (List<ModelSpec> models : before.values()) {
            for (ModelSpec m : models) {
                if (m.name().equals(name)) {
                    last = m;
                }
            }
        }
        return last;
    }

    /** Whether a version uses an older version's table (or, without a table, its topic): it changed nothing. */
    static boolean shared(ModelSpec m) {
        String own = Names.versioned(m.name(), m.version());
        if (m.table() != null) {
            return !m.table().name().equals(own);
        }
        return m.topic() != null && !(m.topic().name().equals(own) || m.topic().name().endsWith("." + own));
    }
}
