package dcm.reliability;

import java.util.Set;

/**
 * The data a bad input must not touch: a project whose DELETION_PROTECTED pipeline {@code Ev} holds
 * {@link #ROWS} rows that landed through the shell before any bad input, with a REPL session on it. After each bad
 * input the session must still answer, the rows must all be there, and no table may have come or gone (a
 * {@code canary} table no model manages is what an injected DROP would aim at).
 */
final class Guard implements AutoCloseable {
    static final int ROWS = 100;
    static final String MODEL = "record Ev(@Key String id, String user, int n, Instant at) {}\n"
            + "new IngestPipeline<>(\"Ev\", Ev.class).orderBy(\"id\").lifeCycle(LifeCycle.DELETION_PROTECTED);\n";

    private final Project project;
    private final Repl repl;
    private final Set<String> tables;
    private long expected = ROWS;

    Guard(Suite suite, String prefix) {
        project = suite.project(prefix);
        project.write("models/ev.jsh", MODEL);
        project.write("seed.jsonl", lines("g", ROWS));
        project.ok("apply --yes; ingest Ev seed.jsonl; sync start; sync wait");
        Case.require(project.rows("Ev_1_0") == ROWS, "the guard's rows landed: " + project.rows("Ev_1_0"));
        // what an injected DROP would aim at: a table no model manages
        project.clickhouse().execute("CREATE TABLE " + dcm.core.Sql.table(project.db(), "canary")
                + " (x UInt8) ENGINE = Memory");
        project.clickhouse().execute("INSERT INTO " + dcm.core.Sql.table(project.db(), "canary")
                + " VALUES (1)");
        tables = project.tables();
        repl = project.repl();
    }

    /** {@code n} valid records of Ev as JSON lines, ids {@code prefix0..}. */
    static String lines(String prefix, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(record(prefix + i, i)).append('\n');
        }
        return s.toString();
    }

    /** One valid record of Ev. */
    static String record(String id, int n) {
        return "{\"id\":\"" + id + "\",\"user\":\"u\",\"n\":" + n + ",\"at\":\"2024-05-01T12:00:00Z\"}";
    }

    /** Records that the suite made {@code n} more rows land on purpose (good requests between bad ones). */
    synchronized void landed(int n) {
        expected += n;
    }

    /** The rows Ev_1_0 must hold now. */
    synchronized long expected() {
        return expected;
    }

    Project project() {
        return project;
    }

    Repl repl() {
        return repl;
    }

    /**
     * Checks the shell is alive (a following command works in the same session) and nothing was lost or made:
     * returns the evidence ("ls ok; Ev_1_0 100 rows; tables unchanged").
     */
    String intact() {
        Repl.Reply next = repl.exec("sql SELECT count() AS n FROM Ev_1_0");
        Case.require(next.ok() && next.text().contains("\n" + expected + "\n"), "the next command in the same"
                + " session: " + next.text());
        long rows = project.rows("Ev_1_0");
        Case.require(rows == expected, "Ev_1_0 holds " + rows + " rows, not " + expected);
        Set<String> now = project.tables();
        Case.require(now.equals(tables), "tables changed: " + tables + " -> " + now);
        Case.require(project.rows("canary") == 1, "the canary table lost its row");
        return "alive; Ev_1_0 " + rows + " rows; tables unchanged";
    }

    @Override
    public void close() {
        repl.close();
        project.close();
    }
}
