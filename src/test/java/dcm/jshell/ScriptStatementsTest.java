package dcm.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.api.ModelAssembler;
import dcm.core.Dialect;
import dcm.core.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script's expression statements run as block statements (SnippetRunner.runScript): the models, their lines and
 * the problems of a file are those of evaluating each snippet as written.
 */
class ScriptStatementsTest {
    @TempDir
    Path project;

    private static final String GOOD = """
            // two tables
            record A(@Key String id) {}
            new OlapTable<>("A", A.class);
            record B(@Key String id) {}

            /* b */ new OlapTable<>("B", B.class)
                    .orderBy("id");
            """;

    @Test
    void aThrowingThirdStatementIsReportedAtItsLineAndTheFileKeepsItsLastGoodModels() throws IOException {
        Files.createDirectories(project.resolve("models"));
        Path file = project.resolve("models").resolve("ab.jsh");
        Files.writeString(file, GOOD);
        try (ModelWorkspace ws = new ModelWorkspace(project, new ModelAssembler.Settings("1.0", "", 1000L,
                Dialect.LEGACY_18_16))) {
            ModelWorkspace.LoadReport good = ws.reload();
            assertTrue(good.ok(), good.diagnostics().toString());
            assertEquals(List.of("models/ab.jsh:3", "models/ab.jsh:6"),
                    good.models().stream().map(ModelSpec::source).toList());

            Files.writeString(file, GOOD + "new OlapTable<>(\"C\", A.class)\n        .orderBy(\"id\" + Integer.parseInt(\"x\"));\n");
            ModelWorkspace.LoadReport bad = ws.reload();
            assertFalse(bad.ok());
            assertEquals(1, bad.diagnostics().size(), bad.diagnostics().toString());
            // as when the expression ran as written: at its first line
            assertEquals("models/ab.jsh:8: threw NumberFormatException: For input string: \"x\"\n"
                    + "    new OlapTable<>(\"C\", A.class)\n"
                    + "    ^", bad.diagnostics().get(0).render());
            assertEquals(List.of("A", "B"), bad.models().stream().map(ModelSpec::name).toList(),
                    "the file's last good models stay");
        }
    }

    @Test
    void onlyWhatStartsLikeAnExpressionStatementIsWrapped() {
        assertEquals("{new OlapTable<>(\"A\", A.class);\n}", SnippetRunner.asStatement("\n// c\n new OlapTable<>(\"A\", A.class);"));
        assertEquals("{Dcm . define(x);\n}", SnippetRunner.asStatement("Dcm . define(x)"));
        assertNull(SnippetRunner.asStatement("record R(String id) {}"));
        assertNull(SnippetRunner.asStatement("var t = new OlapTable<>(\"A\", A.class);"));
        assertNull(SnippetRunner.asStatement("OlapTable<A> t = make(1);"));
        assertNull(SnippetRunner.asStatement("x = f(1);"));
    }
}
