package dcm.shell;

import dcm.app.Listing;
import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.jshell.Diagnostic;
import dcm.jshell.ModelWorkspace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ls} and {@code reload}: the models, and whether their tables and topics exist. */
final class ModelCommands {
    private ModelCommands() {}

    static List<Command> commands() {
        return List.of(
                new Command(Syntax.of("ls").optional("model", "one model: its versions, and the latest one's columns"),
                        "list every model version: table (rows), topic, route, whether each exists",
                        "Lists every version of each model in force (the current one and each of"
                                + " [supported_old_versions]): kind, table with its rows, topic and ingest route, each"
                                + " marked with whether it exists live (? when the server does not answer); a version"
                                + " unchanged since an older one shares that one's table and topic, and the latest is"
                                + " marked when there are several (the view named after the model reads it). With a"
                                + " model name, also the latest version's columns.", Completion.MODELS, List.of(),
                        ModelCommands::ls),
                new Command(Syntax.of("reload"), "re-evaluate models/*.jsh",
                        "Re-evaluates every model file in a fresh JShell session and replays the snippets typed at"
                                + " the prompt. A file that fails keeps the models it gave before.",
                        Completion.NONE, List.of(), (s, a) -> render(s.reload(), true)));
    }

    /** The report of a (re)load: a summary line and each problem with its source line and caret. */
    static Result render(ModelWorkspace.LoadReport report, boolean summary) {
        List<Block> blocks = new ArrayList<>();
        if (summary) {
            blocks.add(Block.line(report.ok() ? Role.OK : Role.WARN, "loaded " + report.models().size()
                    + " model(s) from " + report.files() + " file(s) in " + report.millis() + " ms"
                    + (report.ok() ? "" : ", " + report.diagnostics().size() + " problem(s)")));
        }
        for (Diagnostic d : report.diagnostics()) {
            blocks.add(Block.line(Role.ERROR, d.render()));
        }
        if (!report.stale().isEmpty()) {
            blocks.add(Block.line(Role.WARN, "stale: " + String.join(", ", new java.util.TreeSet<>(report.stale()))
                    + " as last loaded; `apply` refuses and `plan` plans nothing for them until their files load"));
        }
        if (!report.ok()) {
            blocks.add(Block.line(Role.HINT, "hint: fix the file and `reload`; the models loaded before stay in"
                    + " force meanwhile"));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("models", report.models().stream().map(ModelSpec::ref).toList());
        data.put("files", report.files());
        data.put("millis", report.millis());
        data.put("diagnostics", report.diagnostics());
        data.put("complete", report.complete());
        data.put("stale", new java.util.TreeSet<>(report.stale()));
        return new Result(report.ok(), report.ok() ? 0 : 1, blocks, data);
    }

    private static Result ls(Session s, Args a) {
        List<String> names = a.positional();
        Listing.Outcome o = new Listing(s).list(names.isEmpty() ? null : names.get(0));
        if (!names.isEmpty() && o.rows().isEmpty()) {
            throw CommandError.failed("no model '" + names.get(0) + "'", "`ls` lists the models");
        }
        List<List<String>> rows = new ArrayList<>();
        List<Map<String, Object>> data = new ArrayList<>();
        for (Listing.Row r : o.rows()) {
            ModelSpec m = r.model();
            String table = m.table() == null ? "-" : m.table().name() + " " + (r.tableShared() != null
                    ? "(shared with " + r.tableShared() + ")" : mark(r.tableExists(), r.rows()));
            String topic = m.topic() == null ? "-" : m.topic().name() + " " + (r.topicShared() != null
                    ? "(shared with " + r.topicShared() + ")" : mark(r.topicExists(), null));
            String from = r.inherited() == null ? "" : " from " + r.inherited() + " (retired)";
            table = m.table() == null || r.tableShared() != null ? table : table + from;
            topic = m.topic() == null || r.topicShared() != null ? topic : topic + from;
            rows.add(List.of(m.name(), m.version() + (r.latest() && r.versions() > 1 ? " (latest)" : ""), m.kind(),
                    table, topic, r.route() == null ? "-" : r.route(), r.lifeCycle(), r.snapshot() != null
                    ? r.snapshot() : m.source() + (r.stale() ? " (stale)" : "")));
            data.add(json(r));
        }
        List<Block> blocks = new ArrayList<>();
        if (rows.isEmpty()) {
            blocks.add(Block.line(Role.DIM, "no models: add a file under models/ (see `help models`), then `reload`"));
        } else {
            blocks.add(new Block.Table(List.of("model", "version", "kind", "table", "topic", "ingest route",
                    "lifecycle", "defined at"), rows));
        }
        if (!names.isEmpty()) {
            o.rows().stream().filter(Listing.Row::latest).findFirst().ifPresent(r -> blocks.add(columnsTable(
                    r.model())));
        }
        o.problems().forEach(p -> blocks.add(Block.line(Role.WARN, p)));
        if (o.versions() != null) {
            blocks.add(Block.line(Role.WARN, "old versions not shown: " + o.versions()));
        }
        ModelWorkspace.LoadReport load = o.load();
        if (!load.ok()) {
            blocks.add(Block.line(Role.WARN, load.diagnostics().size() + " model file problem(s): `reload` shows"
                    + " them" + (load.stale().isEmpty() ? "" : "; stale (as last loaded): " + String.join(", ",
                    new java.util.TreeSet<>(load.stale())))));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("models", data);
        out.put("problems", load.diagnostics());
        if (o.versions() != null) {
            out.put("versionsProblem", o.versions());
        }
        return Result.ok(blocks, out);
    }

    /** {@code (exists, 42 rows)}, {@code (exists)}, {@code (missing)}, or {@code (?)} when the server is away. */
    private static String mark(Boolean exists, Long rows) {
        return exists == null ? "(?)" : !exists ? "(missing)" : rows == null ? "(exists)"
                : "(exists, " + rows + (rows == 1 ? " row)" : " rows)");
    }

    private static Block columnsTable(ModelSpec m) {
        List<List<String>> rows = new ArrayList<>();
        for (ColumnSpec c : m.columns()) {
            rows.add(List.of(c.name(), c.type(), c.key() ? "key" : "", c.defaultExpr() == null ? "" : c.defaultExpr()));
        }
        return new Block.Table(List.of("column", "type", "key", "default"), rows);
    }

    private static Map<String, Object> json(Listing.Row r) {
        ModelSpec m = r.model();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", m.name());
        o.put("version", m.version());
        o.put("latest", r.latest());
        // the view named after the model reads the latest version
        o.put("alias", r.latest() ? m.name() : null);
        o.put("kind", m.kind());
        o.put("table", m.table() == null ? null : m.table().name());
        o.put("tableExists", r.tableExists());
        o.put("tableSharedWith", r.tableShared());
        o.put("rows", r.rows());
        o.put("topic", m.topic() == null ? null : m.topic().name());
        o.put("topicExists", r.topicExists());
        o.put("topicSharedWith", r.topicShared());
        // the retired version whose table or topic this one still uses (unchanged since), if any
        o.put("inheritedFrom", r.inherited());
        // every version with a topic has a route (serve answers it), a Stream's as well as a pipeline's
        o.put("ingestRoute", r.route());
        o.put("lifeCycle", r.lifeCycle());
        o.put("source", m.source());
        o.put("snapshot", r.snapshot());
        o.put("columns", m.columns());
        return o;
    }
}
