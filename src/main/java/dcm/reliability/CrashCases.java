package dcm.reliability;

import dcm.config.ConfigLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * kill -9 of the shell in the middle of apply, a rebuild, a backfill, bump and a sync, at a failpoint chosen by the
 * seed ({@code dcm.infra.Failpoint}: the JVM halts as SIGKILL leaves it) or after a random delay (a real SIGKILL),
 * then the shell run again: the end state is the target (the plan after it is empty) and the rows are exact.
 */
final class CrashCases implements Reliability.Group {
    static final int ROWS = 3000;
    static final String P = "record P(@Key String id, String a, int b) {}\n"
            + "new OlapTable<>(\"P\", P.class).orderBy(\"id\").lifeCycle(LifeCycle.DELETION_PROTECTED);\n";
    /** P with a new field and a new ORDER BY (a rebuild), and a new pipeline: an apply of several steps. */
    static final String P2 = "record P(@Key String id, String a, int b, @Default(\"'x'\") String e) {}\n"
            + "new OlapTable<>(\"P\", P.class).orderBy(\"a\", \"id\").lifeCycle(LifeCycle.DELETION_PROTECTED);\n";
    static final String N = "record N(@Key String id, long v) {}\nnew IngestPipeline<>(\"N\", N.class);\n";
    private final Suite suite;

    CrashCases(Suite suite) {
        this.suite = suite;
    }

    @Override
    public String name() {
        return "crash";
    }

    @Override
    public List<Case> cases() {
        List<Case> out = new ArrayList<>();
        out.add(new Case("crash: apply at a random step", "kill -9", true, this::applyAtStep));
        out.add(new Case("crash: apply killed after a random delay", "kill -9", false, this::applyAfterDelay));
        String rebuild = pick("rebuild", "rebuild-after-bulk", "rebuild-after-swap");
        out.add(new Case("crash: rebuild at " + rebuild, "kill -9", false, () -> rebuild(rebuild)));
        String backfill = pick("backfill", "backfill-after-views", "backfill-after-unit", "backfill-after-attach");
        out.add(new Case("crash: backfill at " + backfill, "kill -9", true, () -> Backfills.crash(suite, backfill)));
        out.add(new Case("crash: bump killed at its snapshot", "kill -9", false, () -> Backfills.bump(suite)));
        Random r = suite.random("sync");
        String sync = (r.nextBoolean() ? "sync-after-insert@" : "sync-after-data@") + (2 + r.nextInt(3));
        out.add(new Case("crash: sync at " + sync, "kill -9", true, () -> sync(sync)));
        return out;
    }

    private String pick(String what, String... points) {
        return points[suite.random(what).nextInt(points.length)];
    }

    /** A project with P applied and {@link #ROWS} rows in it. */
    static Project withRows(Suite suite, String prefix) {
        Project p = suite.project(prefix);
        p.write("models/p.jsh", P);
        p.ok("apply --yes; sql INSERT INTO P_1_0 (id, a, b) SELECT toString(number), toString(number % 7), 1 FROM"
                + " system.numbers LIMIT " + ROWS);
        return p;
    }

    private Outcome applyAtStep() throws Exception {
        try (Project p = withRows(suite, "crap")) {
            p.write("models/p.jsh", P2);
            p.write("models/n.jsh", N);
            int steps = planSteps(p);
            int k = 1 + suite.random("apply-step").nextInt(Math.max(1, steps - 1));
            Project.Run cut = p.child("apply --yes", Map.of("DCM_FAILPOINT", "after-step:" + k)).await(180);
            Case.require(cut.exitCode() == 137, "the failpoint after step " + k + " of " + steps + " did not halt"
                    + " the shell (exit " + cut.exitCode() + "): " + cut.all());
            return Outcome.pass("killed after step " + k + " of " + steps + "; " + restartAndCheck(p));
        }
    }

    private Outcome applyAfterDelay() throws Exception {
        try (Project p = withRows(suite, "crad")) {
            p.write("models/p.jsh", P2);
            p.write("models/n.jsh", N);
            // from the first step on (the JVM's start is no point of apply): within the next 0.7 s (it takes about 1.5 s)
            long delay = suite.random("apply-delay").nextInt(700);
            Child c = p.child("apply --yes", Map.of());
            Poll.until("apply's first step", 120, () -> !c.alive() || c.outSoFar().contains("[1/"));
            String when = killAfter(c, delay) + " after the first step began";
            return Outcome.pass(when + "; " + restartAndCheck(p));
        }
    }

    private Outcome rebuild(String failpoint) throws Exception {
        try (Project p = withRows(suite, "crrb")) {
            p.write("models/p.jsh", P2);
            Project.Run cut = p.child("apply --yes", Map.of("DCM_FAILPOINT", failpoint)).await(180);
            Case.require(cut.exitCode() == 137, failpoint + " did not halt the shell (exit " + cut.exitCode() + "): "
                    + cut.all());
            return Outcome.pass("killed at " + failpoint + "; " + restartAndCheck(p));
        }
    }

    /** SIGKILL after {@code millis} (unless it ended before); says which. */
    static String killAfter(Child c, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (c.alive() && System.currentTimeMillis() < end) {
            Poll.pause(Math.min(50, Math.max(1, end - System.currentTimeMillis())));
        }
        if (!c.alive()) {
            Project.Run r = c.kill9();
            Case.require(r.exitCode() == 0, "the shell failed before the kill: " + r.all());
            return "ended before the kill at " + millis + " ms";
        }
        Project.Run r = c.kill9();
        return "killed at " + millis + " ms (exit " + r.exitCode() + ")";
    }

    /** `apply --yes` again: it must finish; then the plan is empty and P holds every row with the new columns. */
    private static String restartAndCheck(Project p) {
        Project.Run again = p.ok("apply --yes");
        Project.Run plan = p.ok("plan");
        Case.require(plan.out().contains("no changes"), "the plan after the restart is not empty: " + plan.all());
        String counts = p.rowsAndDistinct("P_1_0", "id");
        Case.require(counts.equals(ROWS + "/" + ROWS), "P_1_0 rows/distinct " + counts + ", not " + ROWS);
        long e = Long.parseLong(p.clickhouse().scalar("SELECT countIf(e = 'x' AND b = 1) FROM "
                + dcm.core.Sql.table(p.db(), "P_1_0") + " FORMAT TabSeparated"));
        Case.require(e == ROWS, "rows with the new column's default: " + e);
        String key = p.clickhouse().scalar("SELECT sorting_key FROM system.tables WHERE database = '" + p.db()
                + "' AND name = 'P_1_0' FORMAT TSVRaw");
        return "apply again exit 0" + (again.out().contains("resum") ? " (resumed)" : "") + ", plan empty; P_1_0 "
                + counts + " rows/distinct" + (key.isBlank() ? "" : ", ORDER BY " + key);
    }

    private static int planSteps(Project p) throws Exception {
        Project.Run r = p.json("plan");
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).path("data").path("operations")
                .size();
    }

    private Outcome sync(String failpoint) throws Exception {
        int records = 20_000;
        try (Project p = suite.project("crsy")) {
            p.write("models/ev.jsh", Guard.MODEL);
            p.write("ev.jsonl", Guard.lines("c", records));
            p.ok("apply --yes; ingest Ev ev.jsonl");
            Project.Run cut = p.child("sync start; sync wait", Map.of("DCM_FAILPOINT", failpoint,
                    "MOOSE_SYNC_CONFIG__BATCH_ROWS", "2000")).await(180);
            Case.require(cut.exitCode() == 137, failpoint + " did not halt the shell (exit " + cut.exitCode() + "): "
                    + cut.all());
            long landed = p.rows("Ev_1_0");
            Project.Run again = p.ok("sync start; sync wait; sync status");
            String[] counts = p.rowsAndDistinct("Ev_1_0", "id").split("/");
            long rows = Long.parseLong(counts[0]);
            long distinct = Long.parseLong(counts[1]);
            Case.require(distinct == records, "records lost: " + distinct + " of " + records + " landed");
            long reported = reportedDuplicates(again.out());
            Case.require(rows - records <= reported, (rows - records) + " duplicate(s), reported " + reported + ": "
                    + again.out());
            return Outcome.pass("killed at " + failpoint + " with " + landed + " rows landed; after the restart "
                    + rows + " rows, " + distinct + " distinct of " + records + "; duplicates " + (rows - records)
                    + " (reported: up to " + reported + ")");
        }
    }

    private static long reportedDuplicates(String status) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("possible duplicates: up to (\\d+)").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The project's [project] version as the config says now. */
    static String version(Project p) {
        return ConfigLoader.load(p.dir(), p.env()).version();
    }

    static boolean exists(Project p, String file) {
        return Files.exists(p.dir().resolve(file));
    }
}
