package dcm.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random (seeded) model changes on DELETION_PROTECTED tables that hold rows: fields dropped, renamed with and
 * without {@code @RenamedFrom}, widened, added; a model dropped; ORDER BY changed. After each round the plan must hold
 * no op that drops a table, a column or a topic, and {@code apply --yes --allow-destructive} (consent given) must
 * leave every row and every column (or its renamed self) in place.
 */
final class ProtectedChanges implements Reliability.Group {
    private static final int ROWS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Suite suite;
    private Project project;
    private ProtectedModel model;

    ProtectedChanges(Suite suite) {
        this.suite = suite;
    }

    @Override
    public String name() {
        return "DELETION_PROTECTED";
    }

    @Override
    public List<Case> cases() {
        project = suite.project("prot");
        model = new ProtectedModel();
        project.write("models/p.jsh", model.render());
        project.write("models/q.jsh", ProtectedModel.Q);
        project.ok("apply --yes; sql INSERT INTO P_1_0 (id, a, b, c, d) SELECT toString(number), 'a', 1, 2, 'd'"
                + " FROM system.numbers LIMIT " + ROWS + "; sql INSERT INTO Q_1_0 (id, v) SELECT toString(number),"
                + " number FROM system.numbers LIMIT " + ROWS);
        Random random = suite.random("protected");
        int rounds = suite.shortForm() ? 3 : 10;
        List<Case> out = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            int round = i;
            // the short form's rounds are the full form's first ones, so a seed means the same edits in both
            out.add(new Case("protected: round " + round, "protected", round <= 3, () -> round(round, random)));
        }
        return out;
    }

    private Outcome round(int round, Random random) {
        List<String> edits = model.edit(random, 1 + random.nextInt(2));
        project.write("models/p.jsh", model.render());
        if (model.qDropped()) {
            project.delete("models/q.jsh");
        }
        Project.Run plan = project.json("plan");
        JsonNode ops;
        try {
            ops = JSON.readTree(plan.out()).path("data").path("operations");
        } catch (java.io.IOException e) {
            throw new Case.Failed("plan --json is not JSON: " + plan.all());
        }
        Case.require(ops.isArray(), "plan gave no operations: " + plan.all());
        List<String> names = new ArrayList<>();
        for (JsonNode op : ops) {
            String kind = op.path("op").asText();
            names.add(kind + " " + op.path("target").asText());
            Case.require(!Set.of("DropTable", "DropColumn", "DeleteTopic").contains(kind)
                    && !op.path("destructive").asBoolean(), "the plan drops data after " + edits + ": " + op);
            for (JsonNode change : op.path("columnChanges")) {
                Case.require(!change.asText().startsWith("- "), "the plan drops a column after " + edits + ": " + op);
            }
        }
        Project.Run apply = project.shell("apply --yes --allow-destructive");
        long p = project.rows("P_1_0");
        long q = project.rows("Q_1_0");
        Case.require(p == ROWS && q == ROWS, "after " + edits + " and apply: P_1_0 " + p + " rows, Q_1_0 " + q
                + " (both had " + ROWS + "): " + apply.all());
        Set<String> columns = columns("P_1_0");
        for (String c : model.originalColumns()) {
            Case.require(columns.contains(c), "column " + c + " of P_1_0 is gone after " + edits + ": " + columns);
        }
        String values = project.clickhouse().scalar("SELECT countIf(" + id(model.column("a")) + " = 'a'), sum("
                + id(model.column("b")) + "), sum(" + id(model.column("c")) + "), countIf(" + id(model.column("d"))
                + " = 'd') FROM " + dcm.core.Sql.table(project.db(), "P_1_0") + " FORMAT TabSeparated");
        Case.require(values.equals(ROWS + "\t" + ROWS + "\t" + 2 * ROWS + "\t" + ROWS), "the first rows' values changed"
                + " after " + edits + ": a, b, c, d give " + values);
        return Outcome.pass(String.join(", ", edits) + " -> plan " + (names.isEmpty() ? "empty" : names) + "; apply exit "
                + apply.exitCode() + "; P_1_0 " + p + " rows, Q_1_0 " + q + " rows, columns " + columns);
    }

    private static String id(String column) {
        return dcm.core.Sql.id(column);
    }

    private Set<String> columns(String table) {
        String list = project.clickhouse().scalar("SELECT arrayStringConcat(groupArray(name), ',') FROM system.columns"
                + " WHERE database = '" + project.db() + "' AND table = '" + table + "' FORMAT TSVRaw");
        return new java.util.TreeSet<>(List.of(list.split(",")));
    }

    @Override
    public void close() {
        if (project != null) {
            project.close();
        }
    }
}
