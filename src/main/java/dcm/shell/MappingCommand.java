package dcm.shell;

import dcm.app.ProjectMappings;
import dcm.app.VersionMappings;
import dcm.app.VersionMappings.Overview;
import dcm.app.VersionMappings.Step;
import dcm.core.versions.Mapping;
import dcm.core.versions.MappingFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code mapping <Model> [from] [to] [--write]}: the mapping of each step between a model's versions, and which wins. */
final class MappingCommand {
    static final Syntax SYNTAX = Syntax.of("mapping")
            .param("<Model>", "the model")
            .optional("from", "a version: only the step from it (default: every step)")
            .optional("to", "the version after it")
            .flag("--write", "write each step's generated mapping as migrations/<Model>__<from>__<to>.sql to edit"
                    + " (an existing file is kept)");

    private MappingCommand() {}

    static Command command() {
        return new Command(SYNTAX, "show how rows of each version of a model become rows of the next",
                "For each step between consecutive versions of the model (the supported old versions, then the"
                        + " current one), shows which mapping is in force and where it comes from: a `new Mapping(...)`"
                        + " in a model script wins, else the file migrations/<Model>__<from>__<to>.sql, else the"
                        + " mapping generated from the two schemas. Prints its SQL, one column per line with what"
                        + " the column does (same, renamed, converted, default, null, edited), the dropped columns,"
                        + " the notes, an ignored file, and each problem at its line. --write writes the generated"
                        + " mapping as the step's file, which is then yours to edit. Exits 1 when a mapping shown"
                        + " cannot be used. Needs no server; `plan` has ClickHouse check the types.",
                Completion.MODELS, List.of(), MappingCommand::run);
    }

    private static Result run(Session s, Args a) {
        List<String> p = a.positional();
        if (p.isEmpty()) {
            throw CommandError.usage("mapping needs a model", SYNTAX.synopsis());
        }
        VersionMappings use = new VersionMappings(s);
        String from = p.size() > 1 ? p.get(1) : null;
        String to = p.size() > 2 ? p.get(2) : null;
        Overview o = use.show(p.get(0), from, to);
        List<Block> blocks = new ArrayList<>();
        List<Map<String, Object>> written = new ArrayList<>();
        if (a.flag("--write")) {
            for (VersionMappings.Written w : use.write(o)) {
                String file = s.config().projectDir().relativize(w.file()).toString();
                blocks.add(w.created() ? Block.line(Role.OK, "wrote " + file + ": the mapping of " + o.model() + " "
                        + w.step().versions() + " is yours to edit; `plan` checks it")
                        : Block.line(Role.WARN, "kept " + file + ": it exists (yours); delete it to write the generated"
                        + " mapping again"));
                written.add(Map.of("file", file, "created", w.created()));
            }
            o = use.show(p.get(0), from, to);
        }
        boolean usable = true;
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step step : o.steps()) {
            blocks.addAll(render(o.model(), step));
            steps.add(json(step));
            usable &= step.choice() == null || step.choice().mapping().usable();
        }
        if (o.steps().isEmpty()) {
            blocks.add(Block.line(Role.DIM, o.model() + " exists only in " + String.join(", ", o.versions())
                    + ": no step to map yet (a mapping goes from one version to the next)"));
        }
        o.unused().forEach(u -> blocks.add(Block.line(Role.WARN, "unused: " + u)));
        if (!s.loadState().complete()) {
            blocks.add(Block.line(Role.WARN, s.loadState().diagnostics().size() + " model file problem(s) (`reload`"
                    + " shows them): the current version and the scripts' mappings are as last loaded"));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("model", o.model());
        data.put("versions", o.versions());
        data.put("steps", steps);
        data.put("unused", o.unused());
        if (a.flag("--write")) {
            data.put("written", written);
        }
        if (!usable) {
            blocks.add(Block.line(Role.HINT, "hint: fix the mapping where each problem says; `plan` and `apply`"
                    + " refuse until then"));
            data.put("code", "VERSIONS");
            return new Result(false, 1, blocks, data);
        }
        return Result.ok(blocks, data);
    }

    private static List<Block> render(String model, Step step) {
        List<Block> out = new ArrayList<>();
        String head = model + " " + step.versions() + ": ";
        switch (step.state()) {
            case UNCHANGED -> out.add(Block.line(Role.DIM, head + "unchanged: " + step.to().version() + " shares the"
                    + " table " + step.table() + "; no mapping runs"));
            case NO_TABLE -> out.add(Block.line(Role.DIM, head + "no table in " + (step.to().table() == null
                    ? step.to().version() : step.from().version()) + ": nothing to map"));
            case MAPPED -> {
                ProjectMappings.Choice c = step.choice();
                Mapping m = c.mapping();
                out.add(Block.line(Role.HEADER, head + c.origin() + (c.kind() == ProjectMappings.Kind.GENERATED
                        ? " (from the two schemas)" : "")));
                out.add(Block.line("SELECT"));
                MappingFile.selectList(m, "    ", true).lines().forEach(l -> out.add(Block.line(l)));
                out.add(Block.line("FROM " + MappingFile.SOURCE + "  -- " + step.from().version() + "'s table"));
                if (!m.dropped().isEmpty()) {
                    out.add(Block.line(Role.WARN, "  dropped: " + String.join(", ", m.dropped()) + " (not in "
                            + step.to().version() + ": the values stay in " + step.from().version() + ")"));
                }
                m.notes().stream().filter(n -> !n.contains(" is not in version ")).forEach(n -> out.add(
                        Block.line(Role.DIM, "  note: " + n)));
                c.ignored().forEach(i -> out.add(Block.line(Role.WARN, "  ignored: " + i)));
                if (!c.problems().isEmpty()) {
                    c.problems().forEach(pr -> out.add(Block.line(Role.ERROR, "  error: " + pr)));
                } else {
                    m.errors().forEach(e -> out.add(Block.line(Role.ERROR, "  error: " + e)));
                }
            }
            default -> throw new IllegalStateException("unhandled state: " + step.state());
        }
        return out;
    }

    private static Map<String, Object> json(Step step) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("from", step.from().version());
        o.put("to", step.to().version());
        o.put("state", step.state().name());
        o.put("table", step.table());
        ProjectMappings.Choice c = step.choice();
        if (c != null) {
            Mapping m = c.mapping();
            o.put("origin", c.origin());
            o.put("kind", c.kind().name());
            o.put("usable", m.usable());
            List<Map<String, Object>> columns = new ArrayList<>();
            for (Mapping.Column col : m.columns()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("name", col.name());
                x.put("type", col.type());
                x.put("source", col.source().name());
                x.put("does", MappingFile.does(col, m));
                x.put("expression", col.expression());
                var at = c.where(col.name());
                x.put("at", at == null ? null : at.toString());
                columns.add(x);
            }
            o.put("columns", columns);
            o.put("sql", "SELECT\n" + MappingFile.selectList(m, "    ", false) + "FROM " + MappingFile.SOURCE);
            o.put("dropped", m.dropped());
            o.put("notes", m.notes());
            o.put("ignored", c.ignored());
            o.put("problems", c.problems().stream().map(Object::toString).toList());
            o.put("errors", m.errors());
        }
        return o;
    }
}
