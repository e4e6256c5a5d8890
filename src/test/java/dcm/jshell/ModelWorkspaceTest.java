package dcm.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.api.ModelAssembler;
import dcm.core.Dialect;
import dcm.core.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWorkspaceTest {
    @TempDir
    Path project;
    ModelWorkspace ws;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(project.resolve("models"));
        ws = new ModelWorkspace(project, new ModelAssembler.Settings("1.0", "", 1000L, Dialect.LEGACY_18_16));
    }

    @AfterEach
    void tearDown() {
        ws.close();
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(project.resolve("models").resolve(name), text);
    }

    @Test
    void loadsRecordsAndDslIntoModelSpecs() throws IOException {
        write("users.jsh", """
                // people
                record User(@Key String id, String name, Instant createdAt) {}

                new OlapTable<>("Users", User.class)
                        .lifeCycle(DELETION_PROTECTED);
                """);
        ModelWorkspace.LoadReport r = ws.reload();
        assertTrue(r.ok(), r.diagnostics().toString());
        ModelSpec m = r.models().get(0);
        assertEquals("Users_1_0", m.table().name());
        assertEquals(List.of("id"), m.table().orderBy());
        assertEquals("DateTime", m.columns().get(2).type());
        assertEquals("models/users.jsh:4", m.source());
    }

    @Test
    void compileErrorGivesFileLineSourceAndCaretWhileOtherFilesLoad() throws IOException {
        write("a_good.jsh", "record A(String id) {}\nnew OlapTable<>(\"A\", A.class);\n");
        write("b_bad.jsh", "record B(String id) {}\nint x = \"s\";\nnew OlapTable<>(\"B\", B.class)\n"
                + "    .ordrBy(\"id\");\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(List.of("A"), r.models().stream().map(ModelSpec::name).toList());
        assertEquals(2, r.diagnostics().size());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals("models/b_bad.jsh", d.file());
        assertEquals(2, d.line());
        assertEquals(9, d.column());
        assertEquals("models/b_bad.jsh:2: incompatible types: java.lang.String cannot be converted to int\n"
                + "    int x = \"s\";\n"
                + "            ^", d.render());
        assertEquals(4, r.diagnostics().get(1).line());
        assertTrue(r.diagnostics().get(1).message().startsWith("cannot find symbol"));
    }

    @Test
    void exceptionIsReportedAtTheThrowingLine() throws IOException {
        write("t.jsh", "record T(String id) {}\nvoid boom() {\n  throw new IllegalStateException(\"nope\");\n}\n\n"
                + "boom();\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(1, r.diagnostics().size());
        assertEquals("models/t.jsh:6: threw IllegalStateException: nope\n    boom();\n    ^",
                r.diagnostics().get(0).render());
    }

    @Test
    void aFileThatBreaksKeepsItsPreviousModels() throws IOException {
        write("u.jsh", "record U(String id) {}\nnew OlapTable<>(\"U\", U.class);\n");
        assertTrue(ws.reload().ok());
        write("u.jsh", "record U(String id) {}\nnew OlapTable<>(\"U\", U.class).orderBy(;\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertFalse(r.ok());
        assertEquals(List.of("U"), r.models().stream().map(ModelSpec::name).toList(), "the last good U stays");
    }

    @Test
    void assemblyErrorsPointAtTheDefinition() throws IOException {
        write("o.jsh", "record O(String id) {}\n\nnew OlapTable<>(\"O\", O.class).orderBy(\"nope\");\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertTrue(r.models().isEmpty());
        assertEquals("models/o.jsh:3", r.diagnostics().get(0).location());
        assertTrue(r.diagnostics().get(0).message().contains("ORDER BY field 'nope' is not a column"));
    }

    @Test
    void promptSnippetsEvaluateDefineModelsAndSurviveReload() throws IOException {
        write("u.jsh", "record U(String id) {}\nnew OlapTable<>(\"U\", U.class);\n");
        ws.reload();
        SnippetRunner.Outcome out = ws.evalPrompt("int x = 40 + 2;");
        assertEquals(List.of("x ==> 42"), out.values());
        out = ws.evalPrompt("record P(String id, long n) {}");
        assertTrue(out.ok(), out.diagnostics().toString());
        ws.evalPrompt("new Stream<>(\"P\", P.class)");
        assertEquals(List.of("P", "U"), ws.models().stream().map(ModelSpec::name).toList());
        ws.reload();
        assertEquals(List.of("P", "U"), ws.models().stream().map(ModelSpec::name).toList());
        assertEquals(List.of("$1 ==> 43"), ws.evalPrompt("x + 1").values().stream()
                .map(v -> v.replaceFirst("^\\$\\d+", "\\$1")).toList());
    }

    @Test
    void dialectSwitchReassemblesTypes() throws IOException {
        write("e.jsh", "record E(String id, Instant at) {}\nnew OlapTable<>(\"E\", E.class);\n");
        ws.reload();
        assertEquals("DateTime", ws.models().get(0).columns().get(1).type());
        ws.useDialect(Dialect.MODERN);
        assertEquals("DateTime64(3)", ws.models().get(0).columns().get(1).type());
    }

    @Test
    void incompleteCodeIsReported() throws IOException {
        write("i.jsh", "record I(String id) {}\nnew OlapTable<>(\"I\", I.class\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(1, r.diagnostics().size());
        assertEquals(2, r.diagnostics().get(0).line());
        assertTrue(r.diagnostics().get(0).message().contains("is missing"), r.diagnostics().get(0).message());
    }
}
