package dcm.core.versions;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.TableSpec;
import dcm.core.TopicSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The desired state of a project with versions: the current models plus the snapshots of the supported old
 * versions. A model unchanged from the version before shares that version's table and topic; each version with a
 * table of its own is filled from the one before through a mapping; materialized views carry rows inserted into an
 * old version's table to every later one. On a server whose views cascade (a view's output fires the target's own
 * views) one view per step does it; on one whose views do not (18.16), one view from each old table to each later
 * one, with the steps' mappings composed: never both, or a row would arrive twice.
 */
public final class Versions {
    private Versions() {}

    /**
     * @param current   the models at the project's version
     * @param snapshots the old versions' models by version (any order; only versions before the current one count)
     * @param mappings  chooses each step's mapping
     * @param cascade   whether the server's views cascade
     */
    public static Desired desired(List<ModelSpec> current, Map<String, List<ModelSpec>> snapshots, Mappings mappings,
                                  boolean cascade) {
        List<String> versions = snapshots.keySet().stream().sorted(Names::compareVersions).toList();
        Map<String, List<ModelSpec>> chains = new LinkedHashMap<>();
        for (String v : versions) {
            for (ModelSpec m : snapshots.get(v)) {
                chains.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
            }
        }
        Set<String> currentNames = new LinkedHashSet<>();
        for (ModelSpec m : current) {
            currentNames.add(m.name());
            List<ModelSpec> chain = chains.computeIfAbsent(m.name(), k -> new ArrayList<>());
            chain.removeIf(o -> Names.compareVersions(o.version(), m.version()) >= 0);
            chain.add(m);
        }
        List<ModelSpec> latest = new ArrayList<>();
        List<ModelSpec> older = new ArrayList<>();
        List<MigrationView> views = new ArrayList<>();
        List<MigrationView> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<ModelSpec>> e : chains.entrySet()) {
            Chain c = chain(e.getValue(), mappings, problems);
            List<ModelSpec> resolved = c.resolved;
            if (currentNames.contains(e.getKey())) {
                latest.add(resolved.get(resolved.size() - 1));
                older.addAll(resolved.subList(0, resolved.size() - 1));
            } else {
                older.addAll(resolved);
            }
            steps.addAll(c.steps.stream().filter(Objects::nonNull).toList());
            views.addAll(cascade ? c.steps.stream().filter(Objects::nonNull).toList() : c.pairs(problems));
        }
        return new Desired(latest, older, views, steps, problems);
    }

    /** One model's versions in order, the tables they resolve to, and the step into each table of its own. */
    private static final class Chain {
        final List<ModelSpec> resolved = new ArrayList<>();
        /** The versions that own their table, in order. */
        final List<ModelSpec> owners = new ArrayList<>();
        /** For each owner after the first, the step into it (null when its mapping is unusable). */
        final List<MigrationView> steps = new ArrayList<>();
        final List<Mapping> stepMappings = new ArrayList<>();

        /** Views from each owner to each later one, the steps between them composed. */
        List<MigrationView> pairs(List<String> problems) {
            List<MigrationView> out = new ArrayList<>();
            for (int i = 0; i < owners.size(); i++) {
                Mapping composed = null;
                for (int j = i + 1; j < owners.size(); j++) {
                    Mapping step = stepMappings.get(j - 1);
                    if (step == null) {
                        break;  // an unusable step: no view reaches past it (the problem is reported)
                    }
                    composed = composed == null ? step : Compose.of(composed, step);
                    if (!composed.usable()) {
                        addOnce(problems, composed.model() + " " + composed.from() + " -> " + composed.to() + ": "
                                + String.join("; ", composed.errors()));
                        break;
                    }
                    ModelSpec from = owners.get(i), to = owners.get(j);
                    String origin = j == i + 1 ? steps.get(j - 1).origin() : "composed";
                    out.add(view(composed, from, to, origin));
                }
            }
            return out;
        }
    }

    private static Chain chain(List<ModelSpec> versions, Mappings mappings, List<String> problems) {
        Chain c = new Chain();
        for (int i = 0; i < versions.size(); i++) {
            ModelSpec m = versions.get(i);
            ModelSpec before = i == 0 ? null : versions.get(i - 1);
            ModelSpec previous = i == 0 ? null : c.resolved.get(i - 1);
            if (before != null && same(before, m)) {
                c.resolved.add(new ModelSpec(m.name(), m.version(), m.columns(), previous.table(), previous.topic(),
                        m.ingest(), m.source()));
                continue;
            }
            c.resolved.add(m);
            if (m.table() == null) {
                continue;
            }
            if (!c.owners.isEmpty()) {
                ModelSpec owner = c.owners.get(c.owners.size() - 1);
                Mappings.Chosen chosen = mappings.choose(before, m);
                // the step is named after the tables it joins (a shared version's schema is its owner's)
                Mapping step = relabel(chosen.mapping(), owner.version());
                if (step.usable()) {
                    c.stepMappings.add(step);
                    c.steps.add(view(step, owner, m, chosen.origin()));
                } else {
                    addOnce(problems, m.name() + " " + before.version() + " -> " + m.version() + " (" + chosen.origin()
                            + "): " + String.join("; ", step.errors()));
                    c.stepMappings.add(null);
                    c.steps.add(null);
                }
            }
            c.owners.add(m);
        }
        return c;
    }

    private static MigrationView view(Mapping m, ModelSpec from, ModelSpec to, String origin) {
        MigrationView v = MigrationView.of(m, from.table().name(), to.table().name(), origin);
        return new MigrationView(MigrationView.nameOf(m.model(), from.version(), to.version()), v.model(),
                from.version(), to.version(), v.source(), v.target(), v.columns(), v.expressions(), origin);
    }

    private static Mapping relabel(Mapping m, String from) {
        return new Mapping(m.model(), from, m.to(), m.columns(), m.dropped(), m.notes(), m.errors());
    }

    private static void addOnce(List<String> list, String s) {
        if (!list.contains(s)) {
            list.add(s);
        }
    }

    /**
     * Whether a version changes nothing the table or topic holds: same columns (a declared rename counts only once
     * it renames), same table apart from its name, same topic apart from its name.
     */
    static boolean same(ModelSpec a, ModelSpec b) {
        return a.ingest() == b.ingest() && columns(a.columns()).equals(columns(b.columns()))
                && sameTable(a.table(), b.table()) && sameTopic(a.topic(), b.topic());
    }

    private static List<String> columns(List<ColumnSpec> cs) {
        return cs.stream().map(c -> c.name() + "|" + c.type() + "|" + c.key() + "|" + c.defaultExpr()).toList();
    }

    private static boolean sameTable(TableSpec a, TableSpec b) {
        if (a == null || b == null) {
            return a == b;
        }
        return columns(a.columns()).equals(columns(b.columns())) && a.engine().equals(b.engine())
                && a.orderBy().equals(b.orderBy()) && Objects.equals(a.partitionBy(), b.partitionBy())
                && a.lifeCycle() == b.lifeCycle();
    }

    private static boolean sameTopic(TopicSpec a, TopicSpec b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.partitions() == b.partitions() && a.retentionMs() == b.retentionMs()
                && a.lifeCycle() == b.lifeCycle();
    }
}
