package dcm.core.plan;

/**
 * Planner options.
 *
 * @param ignoreLowCardinality treat {@code LowCardinality(T)} and {@code T} as the same type
 * @param replicationFactor    replication factor for new topics
 */
public record PlanOptions(boolean ignoreLowCardinality, int replicationFactor) {
    public static final PlanOptions DEFAULT = new PlanOptions(false, 1);
}
