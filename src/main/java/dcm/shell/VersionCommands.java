package dcm.shell;

import dcm.app.Bumps;
import dcm.app.Retirement;
import dcm.core.versions.Compatibility;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code bump} and {@code retire}: read the options, run the version use cases, render what they return. */
final class VersionCommands {
    static final Syntax BUMP = Syntax.of("bump")
            .optional("version", "the new version (default: the next minor one, 1.0 -> 1.1)")
            .flag("--yes", "bump without asking (batch runs need it)");
    static final Syntax RETIRE = Syntax.of("retire")
            .param("<version>", "a supported old version (in [supported_old_versions])")
            .flag("--force", "retire even though its topics received records lately")
            .option("--quiet-for", "DURATION", "how long its topics must have had no record (default 10m; 30s, 2h)")
            .flag("--drop-data", "also drop its tables that no later version shares")
            .flag("--yes", "retire without asking (batch runs need it; --drop-data is then consent to the drops)");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private VersionCommands() {}

    static List<Command> commands() {
        return List.of(
                new Command(BUMP, "freeze the current version and make the next one current",
                        "Saves every model as versions/<current>.json, records the version with the project's git"
                                + " commit (\"\" outside git) in [supported_old_versions], sets [project] version in"
                                + " moose.config.toml (comments kept), and goes on at the new version without"
                                + " leaving the shell. The new version starts as a copy: each model shares the old"
                                + " version's table and topic until it is edited; `plan` then shows each changed"
                                + " model's compatibility verdict (FULL, BACKWARD, FORWARD, NONE). Refused while a"
                                + " model file does not load; ClickHouse must answer (the snapshot keeps its column"
                                + " types).", Completion.NONE, List.of(), VersionCommands::bump),
                new Command(RETIRE, "stop supporting an old version (its routes, syncs and views go)",
                        "Removes the version from [supported_old_versions]: its ingest routes and syncs stop, and"
                                + " the plan it shows drops its migration views (`apply` runs it). Its tables and"
                                + " topics stay; --drop-data drops its tables no later version shares (never a"
                                + " DELETION_PROTECTED one). Refused while one of its own topics received records"
                                + " within --quiet-for (producers still use it), unless --force. Its snapshot"
                                + " versions/<version>.json is kept.", Completion.NONE, List.of(),
                        VersionCommands::retire));
    }

    private static Result bump(Session s, Args a) {
        List<String> p = a.positional();
        Bumps.Outcome o = new Bumps(s, MigrateCommands.listener(s)).bump(p.isEmpty() ? null : p.get(0),
                a.flag("--yes"), s.interactive());
        String snapshot = s.config().projectDir().relativize(o.snapshot()).toString();
        List<Block> blocks = new ArrayList<>();
        blocks.add(Block.line(Role.OK, "bumped " + o.from() + " -> " + o.to() + ": " + o.models()
                + " model(s) frozen in " + snapshot + "; moose.config.toml: [project] version = \"" + o.to()
                + "\", [supported_old_versions] \"" + o.from() + "\" = \"" + o.commit() + "\""));
        if (o.commitNote() != null) {
            blocks.add(Block.line(Role.WARN, "commit: " + o.commitNote()));
        }
        blocks.addAll(VersionView.report(o.changes(), "what " + o.from() + " changed since " + o.changes().frozen()
                + " (frozen now as it is; for the table and the topic alike):"));
        blocks.add(Block.line(Role.HEADER, "verdicts " + o.from() + " -> " + o.to() + " (for the table and the topic"
                + " alike):"));
        o.verdicts().forEach(c -> blocks.addAll(VersionView.verdict(c)));
        boolean copy = o.verdicts().stream().allMatch(c -> c.level() == Compatibility.Level.FULL);
        blocks.add(Block.line(Role.HINT, (copy ? o.to() + " starts as a copy of " + o.from() + ": each model shares "
                + o.from() + "'s table and topic until you edit it. " : "") + "Edit the models, then `plan` shows"
                + " each changed model's verdict and what apply creates; `ls` shows the versions"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", o.from());
        data.put("to", o.to());
        data.put("commit", o.commit());
        data.put("commitNote", o.commitNote());
        data.put("snapshot", snapshot);
        data.put("models", o.models());
        data.put("verdicts", o.verdicts().stream().map(VersionView::json).toList());
        data.put("changes", VersionView.json(o.changes()));
        return Result.ok(blocks, data);
    }

    private static Result retire(Session s, Args a) {
        String version = a.positional().get(0);
        Duration quiet = duration(a.option("--quiet-for"));
        Retirement.Outcome o = new Retirement(s, MigrateCommands.listener(s)).retire(version, a.flag("--force"),
                quiet, a.flag("--drop-data"), a.flag("--yes"), s.interactive());
        String snapshot = s.config().projectDir().relativize(o.snapshot()).toString();
        List<Block> blocks = new ArrayList<>();
        blocks.add(Block.line(Role.OK, "retired " + version + ": removed from [supported_old_versions]; " + snapshot
                + " is kept (its history, and which tables later versions share)"));
        if (!o.routes().isEmpty()) {
            blocks.add(Block.line("  routes gone: " + String.join(", ", o.routes())));
        }
        for (Retirement.Activity t : o.topics()) {
            blocks.add(Block.line("  topic " + t.topic() + ": " + (t.note() != null ? t.note() : t.lastRecord() == null
                    ? "no record" : "last record at " + Instant.ofEpochMilli(t.lastRecord())) + (t.note() == null
                    ? ", kept" : "")));
        }
        o.tables().forEach((t, fate) -> blocks.add(Block.line(fate.equals("dropped") ? Role.DROP : Role.PLAIN,
                "  table " + t + ": " + fate)));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("version", version);
        data.put("snapshot", snapshot);
        data.put("routes", o.routes());
        data.put("topics", o.topics());
        data.put("tables", o.tables());
        if (o.plan() != null) {
            blocks.addAll(PlanView.render(o.plan().plan(), null));
            if (!o.plan().load().complete()) {
                blocks.add(Block.line(Role.WARN, "the models did not load completely: this plan is incomplete"));
            }
            blocks.add(Block.line(Role.HINT, o.plan().plan().isEmpty() ? "nothing left to apply"
                    : "`apply` finishes it: the plan above is what the versions in force need now"));
            Map<String, Object> plan = PlanView.json(o.plan().plan());
            plan.put("planId", o.plan().planId());
            data.put("plan", plan);
        } else {
            blocks.add(Block.line(Role.WARN, "no plan made (" + o.planProblem() + "): run `plan` when the servers"
                    + " answer, then `apply`"));
            data.put("planProblem", o.planProblem());
        }
        return Result.ok(blocks, data);
    }

    /** {@code 10m}, {@code 30s}, {@code 2h}, {@code 1d}, {@code 500ms}; default 10 minutes. */
    static Duration duration(String text) {
        if (text == null) {
            return Duration.ofMinutes(10);
        }
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw CommandError.usage("--quiet-for needs a duration such as 30s, 10m, 2h or 1d, got '" + text + "'",
                    RETIRE.synopsis());
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
