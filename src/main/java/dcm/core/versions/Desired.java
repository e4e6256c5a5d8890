package dcm.core.versions;

import dcm.core.ModelSpec;
import java.util.List;

/**
 * What the planner takes the live state to: the latest version of each model (with the alias view), the supported
 * old versions (their tables, topics and routes stay), and the migration views between versions' tables.
 *
 * @param latest   the models at the project's version; a model unchanged since an old version already carries that
 *                 version's table and topic (shared)
 * @param older    the old versions' models, oldest first, with shared tables and topics resolved the same way
 * @param views    the materialized views wanted between versions' tables
 * @param steps    for each version with a table of its own, the mapping from the previous version's table: what
 *                 fills it when it is created (a backfill)
 * @param problems mappings that cannot be used (each names its model and versions and what to do); views of
 *                 those are not in {@code views}
 */
public record Desired(List<ModelSpec> latest, List<ModelSpec> older, List<MigrationView> views,
                      List<MigrationView> steps, List<String> problems) {
    public Desired {
        latest = List.copyOf(latest);
        older = List.copyOf(older);
        views = List.copyOf(views);
        steps = List.copyOf(steps);
        problems = List.copyOf(problems);
    }

    /** Only the latest models: a project with no old versions. */
    public static Desired of(List<ModelSpec> latest) {
        return new Desired(latest, List.of(), List.of(), List.of(), List.of());
    }

    /** Every model version, latest last. */
    public List<ModelSpec> all() {
        List<ModelSpec> out = new java.util.ArrayList<>(older);
        out.addAll(latest);
        return out;
    }

    /** The step that fills a table when it is created, if it is a later version's table. */
    public java.util.Optional<MigrationView> stepInto(String table) {
        return steps.stream().filter(s -> s.target().equals(table)).findFirst();
    }
}
