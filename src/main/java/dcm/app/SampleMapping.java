package dcm.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.clickhouse.ClickHouse;
import dcm.clickhouse.ClickHouseException;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.Rows;
import dcm.core.Sql;
import dcm.core.versions.Desired;
import dcm.core.versions.MigrationView;
import dcm.ingest.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * {@code Dcm.map(model, from, to, samples)}: runs the mapping that carries rows of version {@code from} to version
 * {@code to} (the migration view's SELECT, a composed one across several steps) over sample rows in ClickHouse.
 * The samples go into a scratch Memory table shaped like {@code from}'s table, through the mapping into one shaped
 * like {@code to}'s (whose defaults fill what the mapping leaves out, as the view's target does); both are dropped
 * whatever happens. Nothing touches the model's tables.
 */
final class SampleMapping {
    /** Internal tables' prefix: {@code _dcm_scratch_<pid>_<nonce>}. */
    static final String SCRATCH = "_dcm_scratch_";
    private static final String ROW = "_dcm_row";
    /** At most this many single-value queries look for the row and column ClickHouse refused. */
    private static final int LOCATE_BUDGET = 500;
    private final JavaData.Live live;
    private final JavaData data;

    SampleMapping(JavaData.Live live, JavaData data) {
        this.live = live;
        this.data = data;
    }

    List<?> run(String model, String from, String to, List<?> samples) {
        // one view from each old table to each later one (the composed mapping), as on servers whose views do not
        // cascade: a chain of steps is one SELECT
        Desired d = new ProjectVersions(live).desired(false);
        List<ModelSpec> versions = d.all().stream().filter(m -> m.name().equals(model)).toList();
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("no model named '" + model + "'");
        }
        ModelSpec target = to == null ? versions.get(versions.size() - 1) : version(versions, to);
        ModelSpec source = version(versions, from);
        if (Names.compareVersions(source.version(), target.version()) > 0) {
            throw new IllegalArgumentException("rows go from older versions to later ones only: " + from + " is after "
                    + target.version());
        }
        if (source.table() == null || target.table() == null) {
            throw new IllegalArgumentException(model + " has no table, so no mapping between versions");
        }
        MigrationView view = null;
        if (!source.table().name().equals(target.table().name())) {
            view = d.views().stream().filter(v -> v.source().equals(source.table().name())
                    && v.target().equals(target.table().name())).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("no usable mapping of " + model + " from " + source.version() + " to "
                            + target.version() + (d.problems().isEmpty() ? "" : ": " + String.join("; ",
                            d.problems())) + " (`mapping " + model + "` shows it)"));
        }
        List<String> lines = validate(source, samples);
        ClickHouse ch = live.clickhouse();
        String db = live.config().clickhouse().dbName();
        String in = scratchName();
        String out = scratchName();
        try {
            ch.execute(create(db, in, source), false);
            ch.execute(create(db, out, target), false);
            if (!lines.isEmpty()) {
                ch.insertJsonEachRow(in, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            }
            List<String> written = view == null ? source.columns().stream().map(ColumnSpec::name).toList()
                    : view.columns();
            String select = view == null ? String.join(", ", written.stream().map(Sql::id).toList())
                    : view.selectList();
            try {
                ch.execute("INSERT INTO " + Sql.table(db, out) + " (" + Sql.id(ROW) + ", " + String.join(", ",
                        written.stream().map(Sql::id).toList()) + ") SELECT " + Sql.id(ROW) + ", " + select + " FROM "
                        + Sql.table(db, in), false);
            } catch (ClickHouseException e) {
                throw locate(ch, db, in, view, samples.size(), e);
            }
            Rows rows = ch.query("SELECT " + String.join(", ", target.columns().stream().map(c -> Sql.id(c.name()))
                    .toList()) + " FROM " + Sql.table(db, out) + " ORDER BY " + Sql.id(ROW), false);
            Class<?> type = data.recordType(model);
            boolean latest = d.latest().stream().anyMatch(m -> m.ref().equals(target.ref()));
            boolean fits = type != null && latest && new HashSet<>(rows.columns()).containsAll(JavaData.components(type));
            return data.convert(rows, fits ? type : null);
        } finally {
            drop(ch, db, in);
            drop(ch, db, out);
        }
    }

    private static ModelSpec version(List<ModelSpec> versions, String v) {
        return versions.stream().filter(m -> m.version().equals(v)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no version " + v + " of " + versions.get(0).name() + " in force;"
                        + " versions: " + versions.stream().map(ModelSpec::version).toList()));
    }

    /** The samples as JSON lines, each validated by {@code from}'s schema; a refused one names its sample and field. */
    private List<String> validate(ModelSpec from, List<?> samples) {
        Schema schema = live.schema(from);
        List<String> lines = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            try {
                ObjectNode n = schema.validate(JavaValues.json(samples.get(i)), i + 1);
                n.put(ROW, i + 1);
                lines.add(n.toString());
            } catch (Schema.InvalidRecord e) {
                refused.add("sample " + e.getMessage().replaceFirst("^record ", ""));
            } catch (IllegalArgumentException e) {
                refused.add("sample " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(refused.size() + " of " + samples.size() + " sample(s) are not rows of "
                    + from.ref() + ": " + String.join("; ", refused) + "; its columns: " + from.columns().stream()
                    .map(c -> c.name() + " " + c.type()).toList());
        }
        return lines;
    }

    /** The sample and column whose value the mapping refused, found one value at a time. */
    private static RuntimeException locate(ClickHouse ch, String db, String in, MigrationView view, int samples,
                                           ClickHouseException e) {
        if (view != null && (long) samples * view.columns().size() <= LOCATE_BUDGET) {
            for (int r = 1; r <= samples; r++) {
                for (int c = 0; c < view.columns().size(); c++) {
                    try {
                        ch.query("SELECT " + view.expressions().get(c) + " AS " + Sql.id("v") + " FROM "
                                + Sql.table(db, in) + " WHERE " + Sql.id(ROW) + " = " + r, false);
                    } catch (ClickHouseException refused) {
                        return new JavaValues.Unconvertible("sample " + r + ", column '" + view.columns().get(c)
                                + "' (" + view.expressions().get(c) + "): the mapping " + view.from() + " -> "
                                + view.to() + " refused it: " + refused.getMessage());
                    }
                }
            }
        }
        return new IllegalArgumentException("the mapping refused the samples: " + e.getMessage(), e);
    }

    private static String create(String db, String table, ModelSpec m) {
        List<String> cols = new ArrayList<>();
        cols.add(Sql.id(ROW) + " UInt32");
        for (ColumnSpec c : m.columns()) {
            cols.add(Sql.id(c.name()) + " " + c.type() + (c.defaultExpr() == null ? "" : " DEFAULT " + c.defaultExpr()));
        }
        return "CREATE TABLE " + Sql.table(db, table) + " (" + String.join(", ", cols) + ") ENGINE = Memory";
    }

    private static String scratchName() {
        return SCRATCH + ProcessHandle.current().pid() + "_" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private static void drop(ClickHouse ch, String db, String table) {
        try {
            ch.execute("DROP TABLE IF EXISTS " + Sql.table(db, table), false);
        } catch (RuntimeException ignored) {
            // the server went away: a Memory table does not outlive its restart
        }
    }
}
