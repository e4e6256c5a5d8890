package dcm.app;

import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.jshell.ModelWorkspace.LoadReport;
import dcm.migrate.VersionSnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ls}: every supported version of each model, with its table (and the rows in it), topic and route, which
 * version is the latest (the alias view reads it), and whether each table and topic exists. A version that shares an
 * older version's table or topic says so: the rows are that table's.
 */
public final class Listing {
    /**
     * One model version.
     *
     * @param model        the version's spec (table and topic resolved: a shared one is the older version's)
     * @param latest       whether it is the model's latest version (the alias view {@code model.name()} reads it)
     * @param versions     how many versions of the model are in force
     * @param tableShared  the version in force whose table it uses, or null (its own, or none)
     * @param topicShared  the version in force whose topic it uses, or null
     * @param inherited    the retired version whose table or topic it still uses (unchanged since), or null
     * @param tableExists  whether its table exists (null: unknown, no table)
     * @param rows         the rows of its table (null: unknown, no table, or shared: see the owner's line)
     * @param topicExists  whether its topic exists (null: unknown, no topic)
     * @param snapshot     where an old version's spec is kept ({@code versions/1.0.json}), null for the latest
     * @param stale        whether the latest is kept as last loaded (its file does not load now)
     */
    public record Row(ModelSpec model, boolean latest, int versions, String tableShared, String topicShared,
                      String inherited, Boolean tableExists, Long rows, Boolean topicExists, String snapshot,
                      boolean stale) {
        /** The ingest route of the version, or null without a topic. */
        public String route() {
            return model.topic() == null ? null : Names.ingestRoute(model.name(), model.version());
        }

        /** The lifecycle of its table (else its topic). */
        public String lifeCycle() {
            return model.table() != null ? model.table().lifeCycle().name()
                    : model.topic() != null ? model.topic().lifeCycle().name() : "-";
        }
    }

    /**
     * What {@code ls} shows.
     *
     * @param rows     one per model version, by model then version
     * @param problems what could not be read live (a server that does not answer)
     * @param versions why old versions are missing (a snapshot that cannot be read), or null
     * @param load     the models' load state
     */
    public record Outcome(List<Row> rows, List<String> problems, String versions, LoadReport load) {
        public Outcome {
            rows = List.copyOf(rows);
            problems = List.copyOf(problems);
        }
    }

    private final Project project;

    public Listing(Project project) {
        this.project = project;
    }

    /** Every model version, or those of one model ({@code name}, case-insensitive when no exact match). */
    public Outcome list(String name) {
        List<String> problems = new ArrayList<>();
        // first: once ClickHouse answered, the models have its types, which decide what versions share
        Live live = Live.read(project, problems);
        ModelsInForce inForce = new ModelsInForce(project, () -> { });
        List<ModelSpec> all = new ArrayList<>(inForce.all());
        if (name != null) {
            String bare = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
            String exact = all.stream().map(ModelSpec::name).filter(n -> n.equals(bare)).findFirst()
                    .or(() -> all.stream().map(ModelSpec::name).filter(n -> n.equalsIgnoreCase(bare)).findFirst())
                    .orElse(null);
            all.removeIf(m -> !m.name().equals(exact));
        }
        all.sort(Comparator.comparing(ModelSpec::name).thenComparing(ModelSpec::version, Names::compareVersions));
        Map<String, Integer> counts = new HashMap<>();
        all.forEach(m -> counts.merge(m.name(), 1, Integer::sum));
        LoadReport load = project.workspace().state();
        List<String> latest = inForce.latest().stream().map(ModelSpec::ref).toList();
        List<Row> rows = new ArrayList<>();
        for (ModelSpec m : all) {
            boolean isLatest = latest.contains(m.ref());
            String tableOwner = m.table() == null ? null : owner(m, m.table().name());
            String topicOwner = m.topic() == null ? null : owner(m, m.topic().name());
            // an owner no longer in force (retired) has no line of its own: this line shows its table's rows
            String inherited = tableOwner != null && !inForce(all, m.name(), tableOwner) ? tableOwner
                    : topicOwner != null && !inForce(all, m.name(), topicOwner) ? topicOwner : null;
            String tableShared = tableOwner != null && !tableOwner.equals(inherited) ? tableOwner : null;
            String topicShared = topicOwner != null && !topicOwner.equals(inherited) ? topicOwner : null;
            Boolean tableExists = m.table() == null ? null : live.has(live.tables, m.table().name());
            Long n = m.table() == null || tableShared != null || !Boolean.TRUE.equals(tableExists) ? null
                    : live.rows == null ? null : live.rows.getOrDefault(m.table().name(), 0L);
            rows.add(new Row(m, isLatest, counts.get(m.name()), tableShared, topicShared, inherited, tableExists, n,
                    m.topic() == null ? null : live.has(live.topics, m.topic().name()),
                    isLatest ? null : VersionSnapshots.DIR + "/" + m.version() + ".json",
                    isLatest && load.stale().contains(m.name())));
        }
        return new Outcome(rows, problems, inForce.problem(), load);
    }

    private static boolean inForce(List<ModelSpec> all, String model, String version) {
        return all.stream().anyMatch(m -> m.name().equals(model) && m.version().equals(version));
    }

    /** The version whose table or topic {@code physical} is, when it is not {@code m}'s own (else null). */
    private static String owner(ModelSpec m, String physical) {
        String bare = physical.substring(physical.lastIndexOf('.') + 1);
        String own = Names.versioned(m.name(), m.version());
        if (bare.equals(own) || !bare.startsWith(m.name() + "_")) {
            return null;
        }
        return bare.substring(m.name().length() + 1).replace('_', '.');
    }

    /** What exists live; a server that does not answer leaves its part null and a problem. */
    private static final class Live {
        Set<String> tables;
        Set<String> topics;
        Map<String, Long> rows;

        static Live read(Project project, List<String> problems) {
            Live l = new Live();
            try {
                var ch = project.clickhouse();
                l.tables = ch.tableNames();
                l.rows = rowCounts(ch);
            } catch (RuntimeException e) {
                problems.add("tables unknown: " + e.getMessage());
            }
            try {
                l.topics = project.broker().topicNames();
            } catch (RuntimeException e) {
                problems.add("topics unknown: " + e.getMessage());
            }
            return l;
        }

        /** The rows of every table of the database, in one query over the active parts. */
        private static Map<String, Long> rowCounts(dcm.clickhouse.ClickHouse ch) {
            Rows r = ch.query("SELECT table, sum(rows) AS n FROM system.parts WHERE database = "
                    + Sql.str(ch.database()) + " AND active GROUP BY table", false);
            Map<String, Long> out = new HashMap<>();
            for (List<Object> row : r.rows()) {
                out.put(String.valueOf(row.get(0)), Long.parseLong(String.valueOf(row.get(1))));
            }
            return out;
        }

        Boolean has(Set<String> live, String name) {
            return live == null ? null : live.contains(name);
        }
    }
}
