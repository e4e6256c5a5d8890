package dcm.reliability;

import java.io.PrintStream;
import java.util.List;

/** The suite's table: {@code case | kind | outcome | evidence}, one line per case, evidence on one line. */
final class ReportTable {
    /** Evidence longer than this is cut (the whole text is in the failure's own line below the table). */
    private static final int EVIDENCE = 160;

    private ReportTable() {}

    /** One row: a case and what came of it, with how long it took. */
    record Row(Case c, Outcome outcome, long millis) {}

    static void print(List<Row> rows, PrintStream out) {
        int name = "case".length();
        int kind = "kind".length();
        for (Row r : rows) {
            name = Math.max(name, r.c().name().length());
            kind = Math.max(kind, r.c().kind().length());
        }
        String fmt = "%-" + name + "s | %-" + kind + "s | %-7s | %s%n";
        out.printf(fmt, "case", "kind", "outcome", "evidence");
        out.println("-".repeat(name) + "-+-" + "-".repeat(kind) + "-+-" + "-".repeat(7) + "-+-" + "-".repeat(40));
        for (Row r : rows) {
            out.printf(fmt, r.c().name(), r.c().kind(), r.outcome().status(), oneLine(r.outcome().evidence()));
        }
        long pass = rows.stream().filter(r -> r.outcome().status() == Outcome.Status.PASS).count();
        long fail = rows.stream().filter(r -> r.outcome().status() == Outcome.Status.FAIL).count();
        long skip = rows.size() - pass - fail;
        out.printf("%d case(s): %d passed, %d failed, %d skipped%n", rows.size(), pass, fail, skip);
        for (Row r : rows) {
            if (r.outcome().status() == Outcome.Status.FAIL) {
                out.println("FAILED " + r.c().name() + ":\n  " + r.outcome().evidence().replace("\n", "\n  "));
            }
        }
    }

    /** The evidence on one line: line breaks as " / ", cut to {@link #EVIDENCE} characters. */
    static String oneLine(String text) {
        String s = text == null ? "" : text.strip().replaceAll("\\s*\\n\\s*", " / ");
        return s.length() <= EVIDENCE ? s : s.substring(0, EVIDENCE - 3) + "...";
    }
}
