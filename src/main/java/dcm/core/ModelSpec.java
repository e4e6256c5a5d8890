package dcm.core;

import java.util.List;

/**
 * The desired state of one version of one model: its schema (columns), and the table, topic and ingest route it
 * wants (each optional), plus where it was defined.
 *
 * @param name    the bare model name, e.g. {@code Users}
 * @param version the model version, e.g. {@code 1.0}
 * @param columns the schema, in field order
 * @param table   the OLAP table, or null for a model without one
 * @param topic   the stream topic, or null
 * @param ingest  whether an ingest route exists for this version
 * @param source  where it was defined ({@code models/users.jsh:3})
 */
public record ModelSpec(String name, String version, List<ColumnSpec> columns, TableSpec table, TopicSpec topic,
                        boolean ingest, String source) {
    public ModelSpec {
        Names.requireIdentifier("model", name);
        Names.requireVersion(version);
        columns = List.copyOf(columns);
    }

    /** {@code Users@1.0}. */
    public String ref() {
        return name + "@" + version;
    }

    /** What kind of model this is, for listings: pipeline, table, stream. */
    public String kind() {
        if (ingest) {
            return "pipeline";
        }
        return table != null ? (topic != null ? "table+stream" : "table") : "stream";
    }
}
