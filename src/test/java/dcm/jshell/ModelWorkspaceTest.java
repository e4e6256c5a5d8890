package dcm.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.Wait;
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
    void aFileThatIsNotUtf8IsAProblemAtItsLineWithACaret() throws IOException {
        byte[] text = "record U(String id) {}\nnew OlapTable<>(\"U\", U.class).orderBy(\"é?\");\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        text[text.length - 5] = (byte) 0xff;
        Files.write(project.resolve("models").resolve("u.jsh"), text);
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(1, r.diagnostics().size());
        assertEquals("models/u.jsh:2: not UTF-8 text (byte 0xff at line 2, column 41); save the file as UTF-8\n"
                + "    new OlapTable<>(\"U\", U.class).orderBy(\"é\ufffd\");\n"
                + "    " + " ".repeat(40) + "^", r.diagnostics().get(0).render());
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
    void aNewVersionRenamesTheModelsAndKeepsTheSessionAndThePrompt() throws IOException {
        write("u.jsh", "record U(String id) {}\nnew IngestPipeline<>(\"U\", U.class);\n");
        write("b.jsh", "record B(String id) {}\nnew OlapTable<>(\"B\", B.class);\n");
        ws.reload();
        ws.evalPrompt("int x = 41;");
        ws.evalPrompt("record P(String id) {}");
        ws.evalPrompt("new Stream<>(\"P\", P.class)");
        write("b.jsh", "record B(String id) {}\nnew OlapTable<>(\"B\", B.class).orderBy(\"nope\");\n");
        assertEquals(java.util.Set.of("B"), ws.reload().stale());
        ModelWorkspace.LoadReport r = ws.useVersion("1.1");
        assertEquals("1.1", ws.version());
        assertEquals(List.of("B@1.1", "P@1.1", "U@1.1"), r.models().stream().map(ModelSpec::ref).toList());
        assertEquals(List.of("B_1_1", "U_1_1"), r.models().stream().filter(m -> m.table() != null)
                .map(m -> m.table().name()).toList(), "a stale model moves to the new names too");
        assertEquals(List.of("P_1_1", "U_1_1"), r.models().stream().filter(m -> m.topic() != null)
                .map(m -> m.topic().name()).toList());
        assertEquals(java.util.Set.of("B"), r.stale(), "a broken file stays broken");
        assertEquals(List.of("$1 ==> 42"), ws.evalPrompt("x + 1").values().stream()
                .map(v -> v.replaceFirst("^\\$\\d+", "\\$1")).toList(), "the session's variables stay");
        assertEquals("1.1", ws.reload().models().get(0).version(), "a reload keeps the new version");
    }

    @Test
    void incompleteCodeIsReported() throws IOException {
        write("i.jsh", "record I(String id) {}\nnew OlapTable<>(\"I\", I.class\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(1, r.diagnostics().size());
        assertEquals(2, r.diagnostics().get(0).line());
        assertTrue(r.diagnostics().get(0).message().contains("is missing"), r.diagnostics().get(0).message());
    }

    @Test
    void aRecordWithoutFieldsIsAFileLineProblemAndTheOtherModelsLoad() throws IOException {
        write("a.jsh", "record A(String id) {}\nnew OlapTable<>(\"A\", A.class);\n");
        write("bad.jsh", "record Bad() {}\n\nnew OlapTable<>(\"Bad\", Bad.class);\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(List.of("A"), r.models().stream().map(ModelSpec::name).toList());
        assertEquals(1, r.diagnostics().size(), r.diagnostics().toString());
        assertEquals("models/bad.jsh:3", r.diagnostics().get(0).location());
        assertTrue(r.diagnostics().get(0).message().contains("record Bad has no fields"), r.diagnostics().toString());
        assertFalse(r.complete());
        assertEquals(java.util.Set.of("models/bad.jsh"), r.failedFiles());
        assertEquals(java.util.Set.of("Bad"), r.unsure());
    }

    @Test
    void aFileThatFailsInAFreshLoadMakesTheLoadIncompleteAndItsModelsUnsure() throws IOException {
        write("a.jsh", "record A(String id) {}\nnew OlapTable<>(\"A\", A.class);\n");
        write("b.jsh", "record B(String id) {}\nnew OlapTable<>(\"B\", B.class);\nint x = \"oops\";\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(List.of("A"), r.models().stream().map(ModelSpec::name).toList(), "a failed file gives nothing");
        assertFalse(r.complete());
        assertEquals(java.util.Set.of("models/b.jsh"), r.failedFiles());
        assertEquals(java.util.Set.of("B"), r.unsure(), "what the failed file began to define is unsure");
        assertTrue(r.stale().isEmpty());
    }

    @Test
    void aBrokenFilesModelsAreStaleAndUnsureUntilItLoads() throws IOException {
        write("u.jsh", "record U(String id) {}\nnew OlapTable<>(\"U\", U.class);\n");
        assertTrue(ws.reload().complete());
        write("u.jsh", "record U(String id) {}\nnew OlapTable<>(\"U\", U.class).orderBy(\"nope\");\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(List.of("U"), r.models().stream().map(ModelSpec::name).toList());
        assertEquals(java.util.Set.of("U"), r.stale());
        assertFalse(r.complete());
        write("u.jsh", "record U(String id, int n) {}\nnew OlapTable<>(\"U\", U.class);\n");
        r = ws.reload();
        assertTrue(r.complete(), r.diagnostics().toString());
        assertEquals(2, r.models().get(0).columns().size());
    }

    @Test
    void aSecondFileDefiningAModelIsBlamedNamingTheFirst() throws IOException {
        write("users.jsh", "record User(String id) {}\n\nnew OlapTable<>(\"Users\", User.class);\n");
        write("users2.jsh", "record Other(String id, int n) {}\nnew OlapTable<>(\"Users\", Other.class);\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(1, r.diagnostics().size(), r.diagnostics().toString());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals("models/users2.jsh:2", d.location());
        assertTrue(d.message().contains("model Users is already defined at models/users.jsh:3 (record User)"),
                d.message());
        assertFalse(r.complete());
        assertTrue(r.unsure().contains("Users"));
        assertEquals(1, r.models().get(0).columns().size(), "the first definition stays in force, unsure");
    }

    @Test
    void aConflictBlamesTheNewDefinitionEvenWhenItsFileSortsFirst() throws IOException {
        write("b_users.jsh", "record User(String id) {}\nnew OlapTable<>(\"Users\", User.class);\n");
        assertTrue(ws.reload().complete());
        write("a_again.jsh", "record Again(String id) {}\nnew OlapTable<>(\"Users\", Again.class);\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals("models/a_again.jsh:2", r.diagnostics().get(0).location(), r.diagnostics().toString());
        assertTrue(r.diagnostics().get(0).message().contains("already defined at models/b_users.jsh:2"));
    }

    @Test
    void aPromptDefinitionNeverReplacesAFilesModelNorItsLifecycle() throws IOException {
        write("users.jsh", "record User(String id) {}\nnew OlapTable<>(\"Users\", User.class)\n"
                + "    .lifeCycle(DELETION_PROTECTED);\n");
        ws.reload();
        ws.evalPrompt("record Mine(String id, int n) {}");
        SnippetRunner.Outcome out = ws.evalPrompt("new OlapTable<>(\"Users\", Mine.class).lifeCycle(FULLY_MANAGED)");
        assertFalse(out.ok());
        assertTrue(out.diagnostics().get(0).message().contains("model Users is already defined at models/users.jsh:2"),
                out.diagnostics().toString());
        ModelSpec users = ws.models().get(0);
        assertEquals(dcm.core.LifeCycle.DELETION_PROTECTED, users.table().lifeCycle());
        assertEquals(1, users.columns().size());
        assertTrue(ws.state().complete(), "a refused prompt line leaves the files' models certain");
        assertEquals(1, ws.reload().models().size(), "the refused line is not replayed");
    }

    @Test
    void aPromptDefinitionThatDoesNotAssembleIsRefusedWhole() throws IOException {
        ws.reload();
        ws.evalPrompt("record P(String id) {}");
        SnippetRunner.Outcome out = ws.evalPrompt("new OlapTable<>(\"P\", P.class).orderBy(\"nope\")");
        assertFalse(out.ok());
        assertTrue(ws.models().isEmpty());
        assertTrue(ws.state().complete(), ws.state().toString());
    }

    @Test
    void aScriptCannotEndTheShell() throws IOException {
        write("x.jsh", "record X(String id) {}\nnew OlapTable<>(\"X\", X.class);\nif (true) System.exit(3);\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(1, r.diagnostics().size(), r.diagnostics().toString());
        assertEquals("models/x.jsh:3", r.diagnostics().get(0).location());
        assertTrue(r.diagnostics().get(0).message().contains("exit would end the shell"),
                r.diagnostics().toString());
        for (String line : List.of("Runtime.getRuntime().halt(0)", "java.util.function.IntConsumer q = System::exit;",
                "var r = Runtime.getRuntime(); r.halt(0)")) {
            assertFalse(ws.evalPrompt(line).ok(), line);
        }
        assertTrue(ws.evalPrompt("String s = \"never call System.exit(0)\";").ok(), "a string is no call");
    }

    @Test
    void aRunningSnippetIsStoppedAndTheSessionGoesOn() throws Exception {
        ws.reload();
        // the snippet says when it loops: a stop that came while it still compiled (it once came after a fixed
        // half second) found nothing to stop, and the watchdog ended the loop 30 s later
        Path looping = project.resolve("looping");
        java.util.concurrent.CompletableFuture<Void> stopper = java.util.concurrent.CompletableFuture.runAsync(() -> {
            Wait.until("the snippet to loop (it writes " + looping + ")", java.time.Duration.ofSeconds(20),
                    () -> Files.exists(looping));
            assertTrue(ws.stopSnippet(), "a snippet was running when it was stopped");
        });
        long t0 = System.nanoTime();
        SnippetRunner.Outcome out = ws.evalPrompt("{ java.nio.file.Files.writeString(java.nio.file.Path.of(\""
                + looping + "\"), \"yes\"); while (true) { } }");
        stopper.get();
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 20_000, "stopped long before the 30 s watchdog");
        assertFalse(out.ok());
        assertTrue(out.toString().contains("stopped (Ctrl-C)"), "stopped by the stop, not the watchdog: " + out);
        assertEquals(List.of("x ==> 2"), ws.evalPrompt("int x = 1 + 1;").values());
    }

    @Test
    void aPromptLineThatFailsDefinesNothingAndAReplayThatFailsIsSaidAndMakesTheLoadIncomplete() throws IOException {
        write("u.jsh", "record U(String id) {}\nnew OlapTable<>(\"U\", U.class);\n");
        ws.reload();
        SnippetRunner.Outcome out = ws.evalPrompt("new OlapTable<>(\"Scratch\", U.class); int x = undefinedThing;");
        assertFalse(out.ok());
        assertEquals(List.of("U"), ws.models().stream().map(ModelSpec::name).toList(), "a failed line defines nothing");

        assertTrue(ws.evalPrompt("new OlapTable<>(\"Q\", U.class)").ok());
        assertEquals(List.of("Q", "U"), ws.models().stream().map(ModelSpec::name).toList());
        write("u.jsh", "record V(String id) {}\nnew OlapTable<>(\"U\", V.class);\n");
        ModelWorkspace.LoadReport r = ws.reload();
        assertFalse(r.complete(), "the prompt's model is gone: nothing it made may be dropped from this load");
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.message().contains("replayed: it leaves the history")),
                r.diagnostics().toString());
        assertTrue(ws.reload().complete(), "the failed line left the history");
    }
}
