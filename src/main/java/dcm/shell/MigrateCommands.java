package dcm.shell;

import dcm.app.Listener;
import dcm.app.Migrations;
import dcm.app.Outcomes.ApplyOutcome;
import dcm.app.Outcomes.PlanOutcome;
import dcm.app.RemotePlans;
import dcm.remote.AdminClient;
import dcm.core.plan.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code plan} and {@code apply}: read the options, run the migration use cases, render what they return. */
final class MigrateCommands {
    static final Syntax PLAN = Syntax.of("plan")
            .flag("--sql", "show the SQL behind each operation")
            .optionalValue("--save", "file", "write the plan as reviewable JSON (default " + Migrations.DEFAULT_FILE
                    + ")")
            .option("--url", "URL", "plan against the live state of a `serve` there (http(s)://host:port)")
            .option("--token", "TOKEN", "the admin token for --url (default: environment DCM_ADMIN_TOKEN)")
            .flag("--insecure", "send the token over http:// to another host (else only https:// or loopback)");
    static final Syntax APPLY = Syntax.of("apply")
            .optional("file", "a saved plan (`plan --save`); refused when the database or broker drifted since")
            .flag("--yes", "apply without asking (batch runs need it; a saved plan file is applied as reviewed)")
            .flag("--allow-destructive", "apply drops too (else they need a typed yes)")
            .option("--url", "URL", "send the saved plan to a `serve` there, which applies it (drift-checked)")
            .option("--token", "TOKEN", "the admin token for --url (default: environment DCM_ADMIN_TOKEN)")
            .flag("--insecure", "send the token over http:// to another host (else only https:// or loopback)");

    private MigrateCommands() {}

    static List<Command> commands() {
        return List.of(
                new Command(PLAN, "show what would change to match the models (+ add, ~ change, - drop)",
                        "Diffs the models against the live database and broker, one line per operation grouped by"
                                + " table and topic, with findings (destructive, data-dependent, likely rename) and"
                                + " changes the lifecycle blocks (protected). --sql shows the SQL behind each;"
                                + " --save writes a reviewable JSON plan for `apply <file>`. When a model file did"
                                + " not load, the plan is incomplete (nothing is dropped, nothing planned for that"
                                + " file's models) and exits 1; so does a plan whose SQL ClickHouse refuses.",
                        Completion.FILES, List.of(), MigrateCommands::plan),
                new Command(APPLY, "apply the plan (or a saved plan file), step by step, resumable",
                        "Without a file: plans, shows the plan, asks (or needs --yes in batch), applies. With a"
                                + " file: refuses when the database or broker drifted since the plan was made. Drops"
                                + " need --allow-destructive or a typed yes. Refused whenever a model file did not"
                                + " load. Every step is journaled in ClickHouse: after a crash, a failure or Ctrl-C,"
                                + " apply again continues where it stopped.",
                        Completion.FILES, List.of(), MigrateCommands::apply));
    }

    /** How the use cases reach the person at the shell: progress lines, plans to review, questions, Ctrl-C. */
    static Listener listener(Session s) {
        return new Listener() {
            @Override
            public void progress(String line) {
                s.progress(line);
            }

            @Override
            public void review(Plan plan) {
                PlanView.render(plan, null).forEach(b -> TextRenderer.plain(b).forEach(s::progress));
            }

            @Override
            public boolean confirm(String question, String yes) {
                return s.confirm(question, yes);
            }

            @Override
            public boolean stopRequested() {
                return s.cancelled();
            }
        };
    }

    /** The admin client of {@code --url}, or null without it; the token is masked in the log from now on. */
    static AdminClient remote(Session s, Args a, Syntax syntax) {
        String url = a.option("--url");
        String token = a.option("--token") != null ? a.option("--token") : s.env().get("DCM_ADMIN_TOKEN");
        if (url == null) {
            if (a.option("--token") != null || a.flag("--insecure")) {
                throw CommandError.usage((a.flag("--insecure") ? "--insecure" : "--token") + " goes with --url",
                        syntax.synopsis());
            }
            return null;
        }
        dcm.log.LogFiles.secret(token);
        try {
            return new AdminClient(url, token, a.flag("--insecure"));
        } catch (IllegalArgumentException e) {
            throw CommandError.usage(e.getMessage(), syntax.synopsis());
        }
    }

    private static Result plan(Session s, Args a) {
        AdminClient remote = remote(s, a, PLAN);
        if (remote != null && a.flag("--sql")) {
            throw CommandError.usage("--sql is not available with --url (the SQL is made by the server at apply)",
                    PLAN.synopsis());
        }
        PlanOutcome o = remote != null ? new RemotePlans(s, listener(s), remote).plan(a.option("--save"))
                : new Migrations(s, listener(s)).plan(a.flag("--sql"), a.option("--save"));
        List<Block> blocks = new ArrayList<>();
        Map<String, Object> data = PlanView.json(o.plan());
        data.put("complete", o.load().complete());
        data.put("planId", o.planId());
        if (!o.load().complete()) {
            blocks.addAll(LoadGate.problems(o.load(), "this plan is incomplete: nothing is planned for a model that"
                    + " did not load, and nothing is dropped"));
            data.put("load", LoadGate.json(o.load()));
        }
        if (!o.sqlProblems().isEmpty()) {
            blocks.addAll(LoadGate.sqlBlocks(o.sqlProblems(), "`apply` refuses until they are fixed"));
            data.put("sqlProblems", o.sqlProblems());
        }
        // each model changed since its last frozen version, with its compatibility verdict
        blocks.addAll(VersionView.forPlan(s, data));
        if (o.interrupted() > 0) {
            blocks.add(Block.line(Role.WARN, o.interrupted() + " operation(s) (a rebuild, a backfill, a view"
                    + " replacement) were cut off by a crash; `apply` finishes them first, then plans again: the plan"
                    + " below may change"));
        }
        blocks.addAll(PlanView.render(o.plan(), o.sql()));
        if (remote != null) {
            data.put("url", a.option("--url"));
            blocks.add(Block.line(Role.DIM, "planned against the live state of " + a.option("--url") + " (the"
                    + " checks that run the models' SQL and mappings in ClickHouse are not made remotely)"));
        } else if (o.applicable()) {
            blocks.addAll(mappingTests(s, o.plan(), data));
        }
        if (a.flag("--save") && o.savedTo() == null) {
            blocks.add(Block.line(Role.WARN, "not saved: a plan apply would refuse is never saved"));
        } else if (o.savedTo() != null) {
            blocks.add(Block.line(Role.OK, "saved plan " + o.planId() + " to " + o.savedTo() + "; apply it with"
                    + " `apply " + s.config().projectDir().relativize(o.savedTo()) + (remote == null ? ""
                    : " --url " + a.option("--url")) + "`"));
            data.put("saved", o.savedTo().toString());
        }
        if (!o.applicable()) {
            data.put("code", o.load().complete() ? "MODEL_SQL_REFUSED" : "LOAD_INCOMPLETE");
            blocks.add(Block.line(Role.HINT, "hint: " + LoadGate.hint()));
            return new Result(false, 1, blocks, data);
        }
        return Result.ok(blocks, data);
    }

    /** Each planned backfill's mapping on generated edge rows ({@code test-mapping}'s check): its findings. */
    private static List<Block> mappingTests(Session s, Plan plan, Map<String, Object> data) {
        List<Block> out = new ArrayList<>();
        List<Map<String, Object>> json = new ArrayList<>();
        for (dcm.app.MappingTests.PlanCheck c : new dcm.app.MappingTests(s, listener(s)).forPlan(plan)) {
            String head = "mapping test " + c.view().model() + " " + c.view().from() + " -> " + c.view().to() + " on "
                    + c.rows() + " generated rows: ";
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("model", c.view().model());
            x.put("from", c.view().from());
            x.put("to", c.view().to());
            if (c.report() == null) {
                out.add(Block.line(Role.WARN, head + "could not run: " + c.error()));
                x.put("error", c.error());
            } else {
                var r = c.report();
                List<String> kinds = new ArrayList<>();
                for (var k : dcm.migrate.MappingReport.Kind.values()) {
                    if (r.count(k) > 0) {
                        kinds.add(r.summary(k));
                    }
                    x.put(k.name(), r.count(k));
                }
                out.add(Block.line(kinds.isEmpty() ? Role.DIM : Role.WARN, head + (kinds.isEmpty() ? "no findings"
                        : String.join("; ", kinds))));
                r.findings().stream().filter(f -> f.kind() != dcm.migrate.MappingReport.Kind.DROPPED).limit(5)
                        .forEach(f -> out.add(Block.line(Role.DIM, "    " + f.kind().label() + ": " + f.describe())));
                if (!kinds.isEmpty()) {
                    out.add(Block.line(Role.DIM, "    `test-mapping " + c.view().model() + " --from " + c.view().from()
                            + " --to " + c.view().to() + "` shows every row"));
                }
            }
            json.add(x);
        }
        if (!json.isEmpty()) {
            data.put("mappingTests", json);
        }
        return out;
    }

    private static Result apply(Session s, Args a) {
        List<String> files = a.positional();
        AdminClient remote = remote(s, a, APPLY);
        if (remote != null && files.isEmpty()) {
            throw CommandError.usage("apply --url needs a saved plan: `plan --url " + a.option("--url") + " --save`,"
                    + " review it, then `apply " + Migrations.DEFAULT_FILE + " --url " + a.option("--url") + "`",
                    APPLY.synopsis());
        }
        // the first Ctrl-C lets the step that runs finish (every step is whole); a second one cancels it now
        Runnable restore = s.onInterrupt(remote != null ? () -> {
            s.note("Ctrl-C: the server stops the apply after the step that runs now");
            Thread t = new Thread(remote::stop, "remote-stop");
            t.setDaemon(true);
            t.start();
        } : () -> s.note("Ctrl-C: apply stops after the step that runs now; Ctrl-C again cancels that step"));
        ApplyOutcome o;
        try {
            o = remote != null ? new RemotePlans(s, listener(s), remote).apply(files.get(0), a.flag("--yes"),
                    a.flag("--allow-destructive"), s.interactive())
                    : new Migrations(s, listener(s)).apply(files.isEmpty() ? null : files.get(0), a.flag("--yes"),
                    a.flag("--allow-destructive"), s.interactive());
        } finally {
            restore.run();
        }
        if (o.nothing() != null) {
            return Result.message(o.nothing());
        }
        if (remote == null) {
            s.syncNewVersions();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("planId", o.planId());
        data.put("applied", o.applied());
        String text = "applied " + o.applied() + " operation(s) in " + o.millis() + " ms" + (remote == null ? ""
                : " on " + a.option("--url"));
        data.put("message", text);
        return Result.ok(List.of(Block.line(Role.OK, text)), data);
    }
}
