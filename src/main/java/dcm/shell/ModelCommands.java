package dcm.shell;

import dcm.core.ColumnSpec;
import dcm.core.ModelSpec;
import dcm.jshell.Diagnostic;
import dcm.jshell.ModelWorkspace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code ls} and {@code reload}: the models, and whether their tables and topics exist. */
final class ModelCommands {
    private ModelCommands() {}

    static List<Command> commands() {
        return List.of(
                new Command(Syntax.of("ls").optional("model", "one model, with its columns"), "list models with their tables and topics, and whether each exists",
                        "Lists every model version: kind, table, topic and ingest route, each marked with whether"
                                + " it exists live (yes / no / ? when the server does not answer). With a model name,"
                                + " also its columns.", Completion.MODELS, List.of(), ModelCommands::ls),
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
        List<ModelSpec> models = s.models();
        List<String> names = a.positional();
        if (!names.isEmpty()) {
            ModelSpec m = s.model(names.get(0)).orElseThrow(() -> CommandError.failed("no model '" + names.get(0)
                    + "'", "`ls` lists the models"));
            models = List.of(m);
        }
        Live live = Live.read(s);
        List<List<String>> rows = new ArrayList<>();
        List<Map<String, Object>> data = new ArrayList<>();
        for (ModelSpec m : models) {
            String table = m.table() == null ? "-" : m.table().name() + " " + live.mark(live.tables, m.table().name());
            String topic = m.topic() == null ? "-" : m.topic().name() + " " + live.mark(live.topics, m.topic().name());
            String lifeCycle = m.table() != null ? m.table().lifeCycle().name()
                    : m.topic() != null ? m.topic().lifeCycle().name() : "-";
            rows.add(List.of(m.name(), m.version(), m.kind(), table, topic,
                    m.topic() != null ? dcm.core.Names.ingestRoute(m.name(), m.version()) : "-", lifeCycle,
                    m.source() + (s.loadState().stale().contains(m.name()) ? " (stale)" : "")));
            data.add(json(m, live, lifeCycle));
        }
        List<Block> blocks = new ArrayList<>();
        if (rows.isEmpty()) {
            blocks.add(Block.line(Role.DIM, "no models: add a file under models/ (see `help models`), then `reload`"));
        } else {
            blocks.add(new Block.Table(List.of("model", "version", "kind", "table", "topic", "ingest route",
                    "lifecycle", "defined at"), rows));
        }
        if (models.size() == 1 && !names.isEmpty()) {
            blocks.add(columnsTable(models.get(0)));
        }
        live.problems.forEach(p -> blocks.add(Block.line(Role.WARN, p)));
        ModelWorkspace.LoadReport load = s.loadState();
        if (!load.ok()) {
            blocks.add(Block.line(Role.WARN, load.diagnostics().size() + " model file problem(s): `reload` shows"
                    + " them" + (load.stale().isEmpty() ? "" : "; stale (as last loaded): " + String.join(", ",
                    new java.util.TreeSet<>(load.stale())))));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("models", data);
        out.put("problems", load.diagnostics());
        return Result.ok(blocks, out);
    }

    private static Block columnsTable(ModelSpec m) {
        List<List<String>> rows = new ArrayList<>();
        for (ColumnSpec c : m.columns()) {
            rows.add(List.of(c.name(), c.type(), c.key() ? "key" : "", c.defaultExpr() == null ? "" : c.defaultExpr()));
        }
        return new Block.Table(List.of("column", "type", "key", "default"), rows);
    }

    private static Map<String, Object> json(ModelSpec m, Live live, String lifeCycle) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", m.name());
        o.put("version", m.version());
        o.put("kind", m.kind());
        o.put("table", m.table() == null ? null : m.table().name());
        o.put("tableExists", m.table() == null ? null : live.exists(live.tables, m.table().name()));
        o.put("topic", m.topic() == null ? null : m.topic().name());
        o.put("topicExists", m.topic() == null ? null : live.exists(live.topics, m.topic().name()));
        // every version with a topic has a route (serve answers it), a Stream's as well as a pipeline's
        o.put("ingestRoute", m.topic() != null ? dcm.core.Names.ingestRoute(m.name(), m.version()) : null);
        o.put("lifeCycle", lifeCycle);
        o.put("source", m.source());
        o.put("columns", m.columns());
        return o;
    }

    /** What exists live; a server that does not answer leaves its set null and a problem line. */
    private static final class Live {
        Set<String> tables;
        Set<String> topics;
        final List<String> problems = new ArrayList<>();

        static Live read(Session s) {
            Live l = new Live();
            try {
                l.tables = s.clickhouse().tableNames();
            } catch (RuntimeException e) {
                l.problems.add("tables unknown: " + e.getMessage());
            }
            try {
                l.topics = s.broker().topicNames();
            } catch (RuntimeException e) {
                l.problems.add("topics unknown: " + e.getMessage());
            }
            return l;
        }

        String mark(Set<String> live, String name) {
            Boolean e = exists(live, name);
            return e == null ? "(?)" : e ? "(exists)" : "(missing)";
        }

        Boolean exists(Set<String> live, String name) {
            return live == null ? null : live.contains(name);
        }
    }
}
