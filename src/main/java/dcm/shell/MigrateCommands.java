package dcm.shell;

import dcm.clickhouse.ClickHouse;
import dcm.core.live.LiveState;
import dcm.core.plan.Operation;
import dcm.core.plan.Plan;
import dcm.core.plan.PlanOptions;
import dcm.core.plan.Planner;
import dcm.core.plan.SqlGen;
import dcm.jshell.ModelWorkspace;
import dcm.migrate.Applier;
import dcm.migrate.ApplyException;
import dcm.migrate.Drift;
import dcm.migrate.Journal;
import dcm.migrate.LiveReader;
import dcm.migrate.PlanJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code plan} and {@code apply}: diff the models against ClickHouse and the broker, review, apply safely. */
final class MigrateCommands {
    static final Syntax PLAN = Syntax.of("plan")
            .flag("--sql", "show the SQL behind each operation")
            .optionalValue("--save", "file", "write the plan as reviewable JSON (default migrations/plan.json)");
    static final Syntax APPLY = Syntax.of("apply")
            .optional("file", "a saved plan (`plan --save`); refused when the database or broker drifted since")
            .flag("--yes", "apply without asking (batch runs need it)")
            .flag("--allow-destructive", "apply drops too (else they need a typed yes)");
    static final String DEFAULT_FILE = "migrations/plan.json";

    private MigrateCommands() {}

    static List<Command> commands() {
        return List.of(
                new Command(PLAN, "show what would change to match the models (+ add, ~ change, - drop)",
                        "Diffs the models against the live database and broker, one line per operation grouped by"
                                + " table and topic, with findings (destructive, data-dependent, likely rename) and"
                                + " changes the lifecycle blocks (protected). --sql shows the SQL behind each;"
                                + " --save writes a reviewable JSON plan (default " + DEFAULT_FILE + ") for"
                                + " `apply <file>`.", Completion.FILES, List.of(), MigrateCommands::plan),
                new Command(APPLY, "apply the plan (or a saved plan file), step by step, resumable",
                        "Without a file: plans, shows the plan, asks (or needs --yes in batch), applies. With a"
                                + " file: refuses when the database or broker drifted since the plan was made. Drops"
                                + " need --allow-destructive or a typed yes. Every step is journaled in ClickHouse:"
                                + " after a crash or a failure, apply again continues where it stopped.",
                        Completion.FILES, List.of(), MigrateCommands::apply));
    }

    static PlanOptions options(Session s) {
        return options(s, true);
    }

    /** The planner's options: the config's, and what the models' load leaves unsure; drops only when asked. */
    static PlanOptions options(Session s, boolean drops) {
        var load = s.loadState();
        return new PlanOptions(s.config().ignoreLowCardinality(), s.config().broker().replicationFactor(),
                load.complete(), load.unsure(), drops);
    }

    private static Result plan(Session s, Args a) {
        ClickHouse ch = s.clickhouse();
        LiveState live = LiveReader.read(ch, s.broker());
        ModelWorkspace.LoadReport load = s.loadState();
        Plan plan = Planner.plan(s.models(), live, options(s));
        // the SQL names a rebuild's old table after the journal run an apply of this plan would use
        SqlGen sql = a.flag("--sql") ? new SqlGen(ch.database(), ch.dialect(),
                new Journal(ch).runFor(PlanJson.planId(plan.operations()))) : null;
        List<Block> blocks = PlanView.render(plan, sql);
        Map<String, Object> data = PlanView.json(plan);
        data.put("complete", load.complete());
        if (!load.complete()) {
            return incomplete(load, blocks, data, a.flag("--save"));
        }
        List<dcm.jshell.Diagnostic> refused = LoadGate.sqlProblems(s, ch);
        if (!refused.isEmpty()) {
            List<Block> all = new ArrayList<>(LoadGate.sqlBlocks(refused, "`apply` refuses until they are fixed"));
            all.addAll(blocks);
            if (a.flag("--save")) {
                all.add(Block.line(Role.WARN, "not saved: a plan whose SQL ClickHouse refuses is never saved"));
            }
            data.put("sqlProblems", refused);
            return new Result(false, 1, all, data);
        }
        List<dcm.migrate.Journal.Interrupted> interrupted = interrupted(ch);
        if (!interrupted.isEmpty()) {
            blocks = new ArrayList<>(blocks);
            blocks.add(0, Block.line(Role.WARN, interrupted.size() + " rebuild(s) were cut off by a crash; `apply`"
                    + " finishes them first (this plan assumes they are finished)"));
        }
        if (a.flag("--save")) {
            String named = a.option("--save");
            Path file = s.config().projectDir().resolve(named.isEmpty() ? DEFAULT_FILE : named);
            try {
                PlanJson.SavedPlan saved = PlanJson.save(file, plan, ch.database(), live, s.models());
                blocks = new ArrayList<>(blocks);
                blocks.add(Block.line(Role.OK, "saved plan " + saved.planId() + " to " + file + "; apply it with"
                        + " `apply " + s.config().projectDir().relativize(file) + "`"));
                data.put("saved", file.toString());
                data.put("planId", saved.planId());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
        return Result.ok(blocks, data);
    }

    /** A plan made from models that did not all load: shown after the problems, never saved, exit 1. */
    private static Result incomplete(ModelWorkspace.LoadReport load, List<Block> plan, Map<String, Object> data,
                                     boolean save) {
        List<Block> blocks = new ArrayList<>(LoadGate.problems(load, "this plan is incomplete: nothing is planned"
                + " for a model that did not load, and nothing is dropped"));
        blocks.addAll(plan);
        if (save) {
            blocks.add(Block.line(Role.WARN, "not saved: an incomplete plan is never saved"));
        }
        blocks.add(Block.line(Role.HINT, "hint: " + LoadGate.hint()));
        data.put("load", LoadGate.json(load));
        return new Result(false, 1, blocks, data);
    }

    private static Result apply(Session s, Args a) {
        ModelWorkspace.LoadReport load = s.loadState();
        if (!load.complete()) {
            throw new CommandError("apply refused: the models did not load completely, so a plan could drop what a"
                    + " failed file defines; nothing was applied", LoadGate.evidence(load), LoadGate.hint(), false);
        }
        ClickHouse ch = s.clickhouse();
        List<String> files = a.positional();
        boolean yes = a.flag("--yes");
        if (files.isEmpty()) {
            List<dcm.jshell.Diagnostic> sql = LoadGate.sqlProblems(s, ch);
            if (!sql.isEmpty()) {
                throw new CommandError("apply refused: ClickHouse refuses " + sql.size() + " piece(s) of SQL in the"
                        + " models; nothing was applied", sql.stream().map(d -> d.location() + ": " + d.message())
                        .toList(), "fix the model files (`plan` shows each problem at its line)", false);
            }
        }
        new Applier(ch, s.broker()).recover(s::progress);
        LiveState live = LiveReader.read(ch, s.broker());
        List<Operation> ops;
        String planId;
        Plan shown;
        if (!files.isEmpty()) {
            Path file = s.config().projectDir().resolve(files.get(0));
            PlanJson.SavedPlan saved = PlanJson.load(file);
            planId = saved.planId();
            if (Planner.plan(saved.models(), live, options(s)).isEmpty()) {
                return Result.message("already at target: nothing to apply");
            }
            checkDrift(ch, saved, live, file);
            ops = saved.operations();
            shown = new Plan(ops, saved.findings(), saved.blocked());
            yes = yes || !s.interactive();
        } else {
            shown = Planner.plan(s.models(), live, options(s));
            if (shown.isEmpty() && shown.findings().isEmpty() && shown.blocked().isEmpty()) {
                return Result.message("already at target: nothing to apply");
            }
            if (shown.isEmpty()) {
                // foreign or protected objects, conflicts: reported, never a failure of apply (nothing failed)
                PlanView.render(shown, null).forEach(b -> TextRenderer.plain(b).forEach(s::progress));
                return Result.message("nothing to apply: no operation reaches what is left above");
            }
            ops = shown.operations();
            planId = PlanJson.planId(ops);
        }
        PlanView.render(shown, null).forEach(b -> TextRenderer.plain(b).forEach(s::progress));
        consent(s, shown, yes, a.flag("--allow-destructive"));
        long t0 = System.nanoTime();
        try {
            new Applier(ch, s.broker()).apply(planId, ops, s::progress, s::cancelled);
        } catch (ApplyException e) {
            throw new CommandError(e.getMessage(), e.evidence(), e.hint(), false);
        }
        s.syncNewVersions();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("planId", planId);
        data.put("applied", ops.size());
        String text = "applied " + ops.size() + " operation(s) in " + (System.nanoTime() - t0) / 1_000_000 + " ms";
        data.put("message", text);
        return Result.ok(List.of(Block.line(Role.OK, text)), data);
    }

    private static List<dcm.migrate.Journal.Interrupted> interrupted(ClickHouse ch) {
        return new Journal(ch).interruptedRebuilds();
    }

    private static void consent(Session s, Plan plan, boolean yes, boolean allowDestructive) {
        List<String> drops = plan.operations().stream().filter(Operation::destructive)
                .map(o -> o.symbol() + " " + o.target() + ": " + o.describe()).toList();
        if (!drops.isEmpty() && !allowDestructive) {
            if (!s.confirm("this drops data (" + drops.size() + " operation(s)); type 'yes' to go on:", "yes")) {
                throw new CommandError("the plan drops data; nothing was applied", drops,
                        "review it, then apply with --allow-destructive (or answer yes interactively)", false);
            }
            return;
        }
        if (!yes && !s.confirm("apply " + plan.operations().size() + " operation(s)? [y/N]", "y")) {
            throw new CommandError("not applied", List.of(), s.interactive() ? null
                    : "in batch runs, confirm with --yes", !s.interactive());
        }
    }

    private static void checkDrift(ClickHouse ch, PlanJson.SavedPlan saved, LiveState live, Path file) {
        List<String> drift = Drift.between(saved.live(), live);
        Journal journal = new Journal(ch);
        journal.ensure();
        if (journal.inProgress(saved.planId())) {
            // the plan's own finished steps changed its targets: only objects it does not touch must match
            Set<String> touched = saved.operations().stream().map(Operation::target).collect(Collectors.toSet());
            // (a rebuild's work tables, T__dcm_new / T__dcm_old, count as its target)
            drift = drift.stream().filter(d -> touched.stream().noneMatch(t -> d.matches("^[a-z ]+ "
                    + java.util.regex.Pattern.quote(t) + "(__dcm_\\w+)?( .*|$)"))).toList();
        }
        if (!drift.isEmpty()) {
            throw new CommandError("the database or broker changed since " + file.getFileName() + " was made; nothing"
                    + " was applied", drift, "make a new plan with `plan --save` and review it, or revert the change",
                    false);
        }
    }
}
