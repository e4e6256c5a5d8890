package dcm.reliability;

import java.util.Map;

/**
 * The version cases of {@link CrashCases}: a backfill of a new version's table killed at a failpoint, and bump
 * killed after a random delay; each run again to the end, rows counted.
 */
final class Backfills {
    /** P at 1.1 with a field more (its own table P_1_1, filled from P_1_0 by a backfill). */
    static final String P11 = "record P(@Key String id, String a, int b, @Default(\"'x'\") String e) {}\n"
            + "new OlapTable<>(\"P\", P.class).orderBy(\"id\").lifeCycle(LifeCycle.DELETION_PROTECTED);\n";

    private Backfills() {}

    static Outcome crash(Suite suite, String failpoint) throws Exception {
        try (Project p = CrashCases.withRows(suite, "crbf")) {
            p.ok("bump --yes");
            p.write("models/p.jsh", P11);
            Project.Run cut = p.child("apply --yes", Map.of("DCM_FAILPOINT", failpoint)).await(180);
            Case.require(cut.exitCode() == 137, failpoint + " did not halt the shell (exit " + cut.exitCode() + "): "
                    + cut.all());
            Project.Run again = p.ok("apply --yes");
            Project.Run plan = p.ok("plan");
            Case.require(plan.out().contains("no changes"), "the plan after the restart is not empty: " + plan.all());
            String old = p.rowsAndDistinct("P_1_0", "id");
            String now = p.rowsAndDistinct("P_1_1", "id");
            String exact = CrashCases.ROWS + "/" + CrashCases.ROWS;
            Case.require(old.equals(exact) && now.equals(exact), "rows/distinct: P_1_0 " + old + ", P_1_1 " + now
                    + ", not " + exact);
            return Outcome.pass("killed at " + failpoint + "; apply again exit 0"
                    + (again.all().contains("resuming") ? " (resumed the backfill)" : "") + ", plan empty; P_1_0 " + old
                    + ", P_1_1 " + now + " rows/distinct");
        }
    }

    static Outcome bump(Suite suite) throws Exception {
        try (Project p = CrashCases.withRows(suite, "crbu")) {
            java.util.Random r = suite.random("bump");
            String when;
            if (r.nextBoolean()) {
                // between the snapshot and the config: the one moment a bump can be cut in two
                Project.Run cut = p.child("bump --yes", Map.of("DCM_FAILPOINT", "bump-after-snapshot")).await(180);
                Case.require(cut.exitCode() == 137, "bump-after-snapshot did not halt the shell (exit "
                        + cut.exitCode() + "): " + cut.all());
                when = "killed at bump-after-snapshot";
            } else {
                // a real SIGKILL the moment the snapshot file appears, then a random 0-40 ms more
                long delay = r.nextInt(40);
                Child c = p.child("bump --yes", Map.of());
                java.nio.file.Path snap = p.dir().resolve("versions/1.0.json");
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (c.alive() && !java.nio.file.Files.exists(snap) && System.nanoTime() < deadline) {
                    Poll.pause(2); // polled tightly: the window between the snapshot and the config is short
                }
                when = CrashCases.killAfter(c, delay) + " after versions/1.0.json appeared";
            }
            String after = CrashCases.version(p);
            boolean snapshot = CrashCases.exists(p, "versions/1.0.json");
            // whole or nothing: at 1.1 the snapshot is there; at 1.0 the bump is run again
            Case.require(!after.equals("1.1") || snapshot, "version 1.1 without versions/1.0.json");
            Case.require(after.equals("1.1") || after.equals("1.0"), "version " + after + " after the kill");
            if (after.equals("1.0")) {
                // half a bump (the snapshot without the config) must not stop the shell: it works at 1.0, then bumps
                p.ok("ls; plan");
                p.ok("bump --yes");
            }
            Case.require(CrashCases.version(p).equals("1.1"), "version " + CrashCases.version(p) + " after the bump");
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.dir().resolve("versions/1.0.json").toFile());
            Project.Run ls = p.ok("ls");
            Project.Run plan = p.ok("plan");
            Case.require(plan.out().contains("no changes"), "the plan after the bump is not empty: " + plan.all());
            String rows = p.rowsAndDistinct("P_1_0", "id");
            Case.require(rows.equals(CrashCases.ROWS + "/" + CrashCases.ROWS), "P_1_0 rows/distinct " + rows);
            return Outcome.pass(when + "; version after the kill " + after + (after.equals("1.0") ? " (bumped again)"
                    : "") + "; now 1.1 with versions/1.0.json, ls ok, plan empty; P_1_0 " + rows + " rows/distinct"
                    + (ls.out().isEmpty() ? "" : ""));
        }
    }
}
