package dcm.shell;

import dcm.app.MappingTests;
import dcm.app.MappingTests.Outcome;
import dcm.migrate.MappingReport;
import dcm.migrate.MappingReport.Finding;
import dcm.migrate.MappingReport.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code test-mapping <Model>}: runs a mapping on sample rows in ClickHouse and renders what it did. */
final class TestMappingCommand {
    static final Syntax SYNTAX = Syntax.of("test-mapping")
            .param("<Model>", "the model")
            .option("--from", "v", "the old version (default: the one before --to with a table of its own)")
            .option("--to", "v", "the new version (default: the latest); from an older --from, the whole chain")
            .option("--sample", "file", "the old version's records: JSON, JSON lines or CSV")
            .option("--live", "N", "the last N rows of the old version's table (by its ORDER BY)")
            .option("--generate", "N", "N generated rows, edge values first (default: the edge values only)")
            .option("--expect", "file", "JSON lines of the expected output rows, in order: a difference exits 1")
            .option("--rows", "N", "rows shown side by side (default 20)");

    private TestMappingCommand() {}

    static Command command() {
        return new Command(SYNTAX, "run a mapping between versions on sample rows and show what it does to them",
                "Runs the mapping in force from --from to --to (one step, or the chain composed as the migration"
                        + " views run it) in ClickHouse, in scratch tables that are always dropped (also after"
                        + " Ctrl-C or a failure), over a sample: a file, --live rows, or rows generated from the old"
                        + " schema with edge values (empty strings, zero, negative, each integer type's min and max,"
                        + " NULL, far and epoch dates, unicode, text that does not convert). Shows input and output"
                        + " side by side (changed output values marked *), then each finding with its row number"
                        + " and input value: values that failed to convert, values that became default or NULL,"
                        + " values truncated or overflowed, rows dropped (a refused value: the view would refuse the"
                        + " row); then a summary line per kind. Findings are warnings: the command exits 1 only when"
                        + " --expect differs (the diff is shown) or the test cannot run.",
                Completion.MODELS, List.of(), TestMappingCommand::run);
    }

    private static Result run(Session s, Args a) {
        List<String> p = a.positional();
        if (p.isEmpty()) {
            throw CommandError.usage("test-mapping needs a model", SYNTAX.synopsis());
        }
        int kinds = (a.option("--sample") != null ? 1 : 0) + (a.option("--live") != null ? 1 : 0)
                + (a.option("--generate") != null ? 1 : 0);
        if (kinds > 1) {
            throw CommandError.usage("give one sample: --sample, --live or --generate", SYNTAX.synopsis());
        }
        Path dir = s.config().projectDir();
        MappingTests.Request req = new MappingTests.Request(p.get(0), a.option("--from"), a.option("--to"),
                a.option("--sample") == null ? null : dir.resolve(a.option("--sample")),
                a.intOption("--live", 0, 1, 10_000_000), a.intOption("--generate", 0, 1, 10_000_000),
                a.option("--expect") == null ? null : dir.resolve(a.option("--expect")),
                a.intOption("--rows", 20, 0, 10_000));
        Thread thread = Thread.currentThread();
        // Ctrl-C: the statement running now is cancelled, the test stops and drops its scratch tables
        Runnable restore = s.onInterrupt(() -> s.clickhouseClient().cancelRunning(thread));
        Outcome o;
        try {
            o = new MappingTests(s, MigrateCommands.listener(s)).test(req);
        } finally {
            restore.run();
        }
        List<Block> blocks = render(o);
        Map<String, Object> data = json(o);
        if (!o.passed()) {
            data.put("code", "EXPECT_MISMATCH");
            return new Result(false, 1, blocks, data);
        }
        return Result.ok(blocks, data);
    }

    static List<Block> render(Outcome o) {
        MappingReport r = o.report();
        List<Block> out = new ArrayList<>();
        out.add(Block.line(Role.HEADER, o.view().model() + " " + o.view().from() + " -> " + o.view().to() + " ("
                + o.view().origin() + ", " + o.view().source() + " -> " + o.view().target() + ") on " + o.sample()
                + ": " + r.outRows() + " of " + r.rows() + " rows out"));
        if (!r.shown().isEmpty()) {
            List<String> headers = new ArrayList<>(List.of("row"));
            headers.addAll(r.inColumns());
            headers.add("->");
            headers.addAll(r.outColumns());
            List<List<String>> rows = new ArrayList<>();
            for (MappingReport.Row row : r.shown()) {
                List<String> cells = new ArrayList<>(List.of(String.valueOf(row.row())));
                cells.addAll(row.in());
                cells.add("->");
                for (int i = 0; i < r.outColumns().size(); i++) {
                    cells.add(row.out() == null ? (i == 0 ? "(dropped)" : "") : row.out().get(i)
                            + (row.changed().get(i) ? " *" : ""));
                }
                rows.add(cells);
            }
            out.add(new Block.Table(headers, rows));
            if (r.rows() > r.shown().size()) {
                out.add(Block.line(Role.DIM, "(" + r.shown().size() + " of " + r.rows() + " rows shown; --rows N)"));
            }
        }
        for (Kind k : Kind.values()) {
            List<Finding> fs = r.findings().stream().filter(f -> f.kind() == k).toList();
            if (!fs.isEmpty()) {
                out.add(Block.line(k == Kind.DEFAULTED || k == Kind.TRUNCATED ? Role.WARN : Role.ERROR, k.label()
                        + ":"));
                fs.forEach(f -> out.add(Block.line("  " + f.describe())));
                if (r.count(k) > fs.size()) {
                    out.add(Block.line(Role.DIM, "  ... " + (r.count(k) - fs.size()) + " more"));
                }
            }
        }
        for (Kind k : Kind.values()) {
            out.add(Block.line(r.count(k) == 0 ? Role.OK : Role.WARN, r.summary(k)));
        }
        r.notes().forEach(n -> out.add(Block.line(Role.WARN, "note: " + n)));
        if (o.expect() != null) {
            o.expect().diff().forEach(d -> out.add(Block.line(d.startsWith("+") ? Role.ADD : d.startsWith("-")
                    ? Role.DROP : Role.DIM, d)));
            out.add(o.expect().equal() ? Block.line(Role.OK, "output equals the expected rows")
                    : Block.line(Role.ERROR, "error: the output differs from the expected rows (diff above)"));
        }
        return out;
    }

    private static Map<String, Object> json(Outcome o) {
        MappingReport r = o.report();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", o.view().model());
        d.put("from", o.view().from());
        d.put("to", o.view().to());
        d.put("origin", o.view().origin());
        d.put("sample", o.sample());
        d.put("rows", r.rows());
        d.put("outRows", r.outRows());
        d.put("inColumns", r.inColumns());
        d.put("outColumns", r.outColumns());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MappingReport.Row row : r.shown()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("row", row.row());
            x.put("in", row.in());
            x.put("out", row.out());
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < r.outColumns().size(); i++) {
                if (row.out() != null && row.changed().get(i)) {
                    changed.add(r.outColumns().get(i));
                }
            }
            x.put("changed", changed);
            rows.add(x);
        }
        d.put("shown", rows);
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", f.kind().name());
            x.put("row", f.row());
            x.put("column", f.column());
            x.put("input", f.input());
            x.put("output", f.output());
            x.put("reason", f.reason());
            findings.add(x);
        }
        d.put("findings", findings);
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            summary.put(k.name(), Map.of("count", r.count(k), "line", r.summary(k)));
        }
        d.put("summary", summary);
        d.put("notes", r.notes());
        if (o.expect() != null) {
            d.put("expect", Map.of("equal", o.expect().equal(), "diff", o.expect().diff()));
        }
        return d;
    }
}
