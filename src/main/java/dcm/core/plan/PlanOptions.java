package dcm.core.plan;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Planner options.
 *
 * @param ignoreLowCardinality treat {@code LowCardinality(T)} and {@code T} as the same type
 * @param replicationFactor    replication factor for new topics
 * @param complete             whether every model file loaded; when not, any live object may belong to a model that
 *                             failed, so nothing is dropped (orphans, tables, columns, topics, views, rebuilds that
 *                             leave out columns): each such drop is a blocked finding instead
 * @param unsure               bare model names whose definition is uncertain (its file failed, or two definitions
 *                             conflict): nothing is planned on their objects, each is one blocked finding
 * @param drops                whether destructive operations are planned; when not, each is a blocked finding
 *                             ("left for `apply --allow-destructive`") and the rest of the plan assumes it does not run
 * @param cluster              the ClickHouse cluster the DDL runs on, or null for a single server: its tables are
 *                             {@code Replicated*} twins of the models' engines, and rebuilds are not planned there
 */
public record PlanOptions(boolean ignoreLowCardinality, int replicationFactor, boolean complete, Set<String> unsure,
                          boolean drops, String cluster) {
    /** Everything loaded, drops planned, LowCardinality significant, replication factor 1. */
    public static final PlanOptions DEFAULT = new PlanOptions(false, 1);

    public PlanOptions {
        unsure = Collections.unmodifiableSet(new TreeSet<>(unsure == null ? Set.of() : unsure));
    }

    /** Options on a single server. */
    public PlanOptions(boolean ignoreLowCardinality, int replicationFactor, boolean complete, Set<String> unsure,
                       boolean drops) {
        this(ignoreLowCardinality, replicationFactor, complete, unsure, drops, null);
    }

    /** Options for a complete load, drops planned. */
    public PlanOptions(boolean ignoreLowCardinality, int replicationFactor) {
        this(ignoreLowCardinality, replicationFactor, true, Set.of(), true);
    }

    /** The same options, with {@link #complete} set. */
    public PlanOptions withComplete(boolean complete) {
        return new PlanOptions(ignoreLowCardinality, replicationFactor, complete, unsure, drops, cluster);
    }

    /** The same options, with {@link #unsure} set. */
    public PlanOptions withUnsure(Set<String> unsure) {
        return new PlanOptions(ignoreLowCardinality, replicationFactor, complete, unsure, drops, cluster);
    }

    /** The same options, with {@link #drops} set. */
    public PlanOptions withDrops(boolean drops) {
        return new PlanOptions(ignoreLowCardinality, replicationFactor, complete, unsure, drops, cluster);
    }

    /** The same options, on the cluster of this name (null: a single server). */
    public PlanOptions withCluster(String cluster) {
        return new PlanOptions(ignoreLowCardinality, replicationFactor, complete, unsure, drops, cluster);
    }
}
