package dcm.core.versions;

import dcm.core.ModelSpec;

/** Chooses the mapping of one step between versions: the one the user owns (a file, a model script), or generated. */
@FunctionalInterface
public interface Mappings {
    /** The mapping from one version's schema to the next one's, and where it came from. */
    Chosen choose(ModelSpec from, ModelSpec to);

    /**
     * A chosen mapping.
     *
     * @param mapping the mapping
     * @param origin  where it came from: {@code generated}, {@code migrations/Users__1_0__1_1.sql},
     *                {@code models/users.jsh:12}
     */
    record Chosen(Mapping mapping, String origin) {}

    /** Every mapping generated from the schemas. */
    Mappings GENERATED = (from, to) -> new Chosen(Mapping.generate(from, to), "generated");
}
