package dcm.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dcm.app.AppError.Code;
import dcm.clickhouse.ClickHouseException;
import dcm.core.ModelSpec;
import dcm.core.Names;
import dcm.core.plan.Operation;
import dcm.core.plan.Plan;
import dcm.core.versions.Desired;
import dcm.core.versions.MigrationView;
import dcm.ingest.SampleValues;
import dcm.ingest.Schema;
import dcm.migrate.MappingReport;
import dcm.migrate.MappingRun;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code test-mapping} use case: runs the mapping in force from one version of a model to a later one (one
 * step, or the chain composed as the continuous migration runs it on 18.16) over sample rows in ClickHouse scratch
 * tables, and reports what it did to each row and column ({@link MappingRun}); with an expected file, compares the
 * output ({@link ExpectedRows}). Also the check {@code plan} runs on generated samples for each backfill it plans.
 */
public final class MappingTests {
    /**
     * What to test.
     *
     * @param model    the model
     * @param from     the old version (null: the version before {@code to} with a table of its own)
     * @param to       the new version (null: the latest)
     * @param sample   a JSON, JSON-lines or CSV file of the old version's records, or null
     * @param live     the number of rows to take from the old version's table, or 0
     * @param generate the number of generated rows, 0 for the edge set (the default sample)
     * @param expect   a JSON-lines file of the expected output rows, or null
     * @param show     rows to show side by side
     */
    public record Request(String model, String from, String to, Path sample, int live, int generate, Path expect,
                          int show) {}

    /**
     * What the test found.
     *
     * @param view   the mapping run (model, versions, tables, origin)
     * @param sample what the sample was ({@code 17 generated rows}, {@code rows.jsonl (3 rows)})
     * @param report the rows and findings
     * @param expect the comparison with the expected file, or null without one
     */
    public record Outcome(MigrationView view, String sample, MappingReport report, ExpectedRows.Comparison expect) {
        /** False when an expected file was given and the output differs. */
        public boolean passed() {
            return expect == null || expect.equal();
        }
    }

    /** One backfill of a plan, tested on the generated edge sample: its report, or why it could not run. */
    public record PlanCheck(MigrationView view, int rows, MappingReport report, String error) {}

    private final Project project;
    private final Listener listener;

    public MappingTests(Project project, Listener listener) {
        this.project = project;
        this.listener = listener;
    }

    /** Runs the test; a sample that does not fit, a stop or a failure is a {@link Code#MAPPING_TEST} error. */
    public Outcome test(Request r) {
        Desired desired = new ProjectVersions(project).desired(false);
        List<ModelSpec> versions = desired.all().stream().filter(m -> m.name().equalsIgnoreCase(r.model()))
                .sorted((a, b) -> Names.compareVersions(a.version(), b.version())).toList();
        if (versions.isEmpty()) {
            throw new AppError(Code.VERSIONS, "no model '" + r.model() + "' in any version in force", List.of(
                    "models: " + String.join(", ", desired.all().stream().map(ModelSpec::name).distinct().sorted()
                    .toList())), "`ls` lists the models");
        }
        ModelSpec to = r.to() == null ? versions.get(versions.size() - 1) : version(versions, r.to());
        ModelSpec from = r.from() != null ? version(versions, r.from()) : versions.stream().filter(m ->
                Names.compareVersions(m.version(), to.version()) < 0 && m.table() != null && to.table() != null
                && !m.table().name().equals(to.table().name())).reduce((a, b) -> b).orElseThrow(() ->
                new AppError(Code.VERSIONS, to.name() + " " + to.version() + " has no earlier version with a table of"
                        + " its own: nothing to map", List.of(to.name() + " exists in " + names(versions)),
                        "name the versions: --from <old> --to <new>"));
        MigrationView view = viewBetween(desired, from, to);
        String sample;
        MappingRun.Input input;
        if (r.sample() != null) {
            List<ObjectNode> records = readSample(r.sample(), from);
            sample = project.config().projectDir().toAbsolutePath().relativize(r.sample().toAbsolutePath())
                    + " (" + records.size() + " rows)";
            input = MappingRun.Input.lines(lines(records));
        } else if (r.live() > 0) {
            if (!project.clickhouse().tableExists(from.table().name())) {
                throw new AppError(Code.MAPPING_TEST, "--live reads " + from.table().name() + ", which does not"
                        + " exist", List.of(), "apply first, or test on a sample file or generated rows");
            }
            sample = "the last " + r.live() + " rows of " + from.table().name() + " (by its ORDER BY)";
            input = MappingRun.Input.live(from.table().name(), from.table().orderBy(), r.live());
        } else {
            List<ObjectNode> records = SampleValues.generate(from, r.generate());
            sample = records.size() + " generated rows (" + (r.generate() > 0 ? "edge values first" : "edge values")
                    + ")";
            input = MappingRun.Input.lines(lines(records));
        }
        List<String> expected = r.expect() == null ? null : ExpectedRows.read(r.expect());
        MappingReport report = run(view, from, to, input, r.show(), expected != null);
        ExpectedRows.Comparison cmp = expected == null ? null : ExpectedRows.compare(expected, report.output());
        return new Outcome(view, sample, report, cmp);
    }

    /** For each backfill of the plan, the mapping on the generated edge sample of its source version. */
    public List<PlanCheck> forPlan(Plan plan) {
        List<PlanCheck> out = new ArrayList<>();
        Desired desired = null;
        for (Operation op : plan.operations()) {
            if (!(op instanceof Operation.Backfill b)) {
                continue;
            }
            desired = desired != null ? desired : new ProjectVersions(project).desired(false);
            MigrationView v = b.copy();
            ModelSpec from = owner(desired, v.source()), to = owner(desired, v.target());
            if (from == null || to == null) {
                continue;
            }
            List<ObjectNode> records = SampleValues.generate(from, 0);
            try {
                out.add(new PlanCheck(v, records.size(), run(v, from, to, MappingRun.Input.lines(lines(records)), 0,
                        false), null));
            } catch (AppError e) {
                if (listener.stopRequested()) {
                    throw e;
                }
                out.add(new PlanCheck(v, records.size(), null, e.getMessage()));
            }
        }
        return out;
    }

    private MappingReport run(MigrationView view, ModelSpec from, ModelSpec to, MappingRun.Input input, int show,
                              boolean output) {
        try {
            return new MappingRun(project.clickhouse(), view, from.table().columns(), to.table().columns())
                    .run(input, show, output, listener::stopRequested, listener::progress);
        } catch (IllegalStateException | ClickHouseException e) {
            if (e instanceof ClickHouseException ce && ce.unreachable()) {
                throw ce;
            }
            throw new AppError(Code.MAPPING_TEST, "the test of " + view.model() + " " + view.from() + " -> "
                    + view.to() + " did not finish: " + e.getMessage(), List.of(), "its scratch tables are dropped;"
                    + " run it again");
        }
    }

    private static MigrationView viewBetween(Desired d, ModelSpec from, ModelSpec to) {
        if (from.table() == null || to.table() == null) {
            throw new AppError(Code.VERSIONS, from.name() + " " + (from.table() == null ? from.version()
                    : to.version()) + " has no table: nothing to map", List.of(), null);
        }
        if (Names.compareVersions(from.version(), to.version()) >= 0) {
            throw new AppError(Code.VERSIONS, "--from " + from.version() + " is not before --to " + to.version(),
                    List.of(), "a mapping goes from an old version to a later one");
        }
        if (from.table().name().equals(to.table().name())) {
            throw new AppError(Code.VERSIONS, from.name() + " " + to.version() + " shares " + from.version()
                    + "'s table " + to.table().name() + ": no mapping runs between them", List.of(), "`mapping "
                    + from.name() + "` shows the steps");
        }
        return d.views().stream().filter(v -> v.source().equals(from.table().name())
                && v.target().equals(to.table().name())).findFirst().orElseThrow(() -> new AppError(Code.VERSIONS,
                "no usable mapping from " + from.name() + " " + from.version() + " to " + to.version(),
                d.problems(), "`mapping " + from.name() + "` shows each step's mapping and its problems"));
    }

    private List<ObjectNode> readSample(Path file, ModelSpec from) {
        List<ObjectNode> valid = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        try {
            FileIngest.read(file, new Schema(from), valid, rejected);
        } catch (AppError e) {
            throw new AppError(Code.MAPPING_TEST, e.getMessage(), e.evidence(), e.hint());
        }
        if (!rejected.isEmpty()) {
            throw new AppError(Code.MAPPING_TEST, "the sample " + file.getFileName() + " does not fit " + from.name()
                    + " " + from.version() + "'s schema: " + rejected.size() + " record(s) refused; nothing was run",
                    rejected.stream().limit(20).map(x -> file.getFileName() + " " + x).toList(), "fix those"
                    + " records (a sample holds records of the old version: its fields and types)");
        }
        return valid;
    }

    /** JSON lines with the row number {@code _dcm_row} from 1. */
    public static byte[] lines(List<ObjectNode> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 64);
        for (int i = 0; i < records.size(); i++) {
            ObjectNode o = records.get(i).deepCopy();
            o.put("_dcm_row", i + 1);
            out.writeBytes(o.toString().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static ModelSpec owner(Desired d, String table) {
        return d.all().stream().filter(m -> m.table() != null && m.table().name().equals(table)).findFirst()
                .orElse(null);
    }

    private static ModelSpec version(List<ModelSpec> versions, String v) {
        return versions.stream().filter(m -> m.version().equals(v)).findFirst().orElseThrow(() -> new AppError(
                Code.VERSIONS, versions.get(0).name() + " has no version " + v + " in force", List.of(
                versions.get(0).name() + " exists in " + names(versions)), "`ls " + versions.get(0).name()
                + "` lists its versions"));
    }

    private static String names(List<ModelSpec> versions) {
        return String.join(", ", versions.stream().map(ModelSpec::version).toList());
    }
}
