package dcm.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.api.ModelAssembler.Settings;
import dcm.core.Dialect;
import dcm.jshell.ModelWorkspace.LoadReport;
import dcm.jshell.ModelWorkspace.Origin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first load of a project without a cached load compiles every script at once ({@link CompiledScripts}); it must
 * give exactly what JShell's evaluation gives, models, mappings and the lines they are defined at alike, and leave to
 * JShell whatever it cannot run exactly so, whose problems are then reported as JShell reports them.
 */
class CompiledLoadTest {
    private static final Settings AT_10 = new Settings("1.0", "", 1000L, Dialect.LEGACY_18_16);
    @TempDir
    Path project;
    private final List<String> notes = new ArrayList<>();

    private void project(Map<String, String> files) throws IOException {
        Path models = project.resolve("models");
        if (Files.exists(models)) {
            try (var s = Files.list(models)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.deleteIfExists(project.resolve(LoadCache.FILE));
        Files.createDirectories(models);
        for (Map.Entry<String, String> e : files.entrySet()) {
            Files.writeString(models.resolve(e.getKey()), e.getValue());
        }
    }

    private LoadReport evaluated() {
        try (ModelWorkspace ws = new ModelWorkspace(project, AT_10)) {
            return ws.reload();
        }
    }

    /** Loads the project (no cache yet) and checks it against JShell's evaluation; returns where it came from. */
    private Origin loadAndCompare(String what) {
        LoadReport want = evaluated();
        try (ModelWorkspace ws = new ModelWorkspace(project, AT_10)) {
            ws.useCache(new LoadCache(project, "b1"), notes::add);
            LoadReport got = ws.load();
            assertEquals(want.models(), got.models(), what);
            assertEquals(want.mappings(), got.mappings(), what);
            assertEquals(want.diagnostics(), got.diagnostics(), what);
            assertEquals(want.complete(), got.complete(), what);
            Origin origin = ws.origin();
            ws.recordTypes(); // the evaluation a compiled load owes, compared with it
            assertEquals(List.of(), notes, what);
            return origin;
        }
    }

    record Probe(String id) {}

    private static final String USER = "record User(@Key String id, String name, int age) {}\n";

    @Test
    void whatCompilesAtOnceGivesWhatJShellGives() throws IOException {
        Map<String, Map<String, String>> cases = new java.util.LinkedHashMap<>();
        cases.put("the example project", examples());
        cases.put("a record in one file, its table in the next", Map.of("a.jsh", USER,
                "b.jsh", "new OlapTable<>(\"Users\", User.class).orderBy(\"id\");\n"));
        cases.put("a variable used by a later file", Map.of("a.jsh", USER
                + "var users = new OlapTable<>(\"Users\", User.class);\n", "b.jsh", "users.orderBy(\"id\", \"age\");\n"));
        cases.put("two models and a mapping in one file, comments and literals with ; and }", Map.of("a.jsh", """
                /* models; } */ // more ; }
                record User(@Key String id, String name, int age) {}
                new OlapTable<>("Users", User.class)
                        .orderBy("id") // ; }
                        .lifeCycle(DELETION_PROTECTED);
                enum Kind { A, B }
                record Ev(@Key String id, Kind kind, @Default("'x;}'") String note, Optional<Double> v) {}
                new IngestPipeline<>("Evs", Ev.class).orderBy("id").partitions(2);
                new Mapping("Evs", "0.9", "1.0")
                    .rename("k", "kind")
                    .set("note", \"""
                        concat('a', ';}')\""");
                """));
        cases.put("models made in a loop, and a last expression without ';'", Map.of("a.jsh", USER
                + "for (String n : List.of(\"A\", \"B\")) {\n  new OlapTable<>(n, User.class).orderBy(\"id\");\n}\n"
                + "if (true) { new Stream<>(\"S\", User.class); } else { new Stream<>(\"T\", User.class); }\n"
                + "new OlapTable<>(\"C\", User.class)")); 
        cases.put("a class and an interface beside the records", Map.of("a.jsh", """
                interface Named { String name(); }
                record User(@Key String id, String name) implements Named {}
                class Names { static String of(String s) { return s + "s"; } }
                new OlapTable<>(Names.of("User"), User.class);
                """));
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            project(new TreeMap<>(c.getValue()));
            assertEquals(Origin.COMPILED, loadAndCompare(c.getKey()), c.getKey());
        }
    }

    @Test
    void whatCannotRunAtOnceIsEvaluatedByJShellWithItsProblems() throws IOException {
        Map<String, Map<String, String>> cases = new java.util.LinkedHashMap<>();
        cases.put("a record used before the file declaring it", Map.of(
                "a.jsh", "new OlapTable<>(\"Users\", User.class);\n", "b.jsh", USER));
        cases.put("a type declared again", Map.of("a.jsh", USER + "new OlapTable<>(\"Users\", User.class);\n",
                "b.jsh", "record User(@Key String id) {}\nnew OlapTable<>(\"Others\", User.class);\n"));
        cases.put("a compile error", Map.of("a.jsh", USER + "new OlapTable<>(\"Users\", Usr.class);\n"));
        cases.put("an exception", Map.of("a.jsh", USER + "new OlapTable<>(\"Users\", User.class);\n"
                + "Integer.parseInt(\"x\");\n"));
        cases.put("an import", Map.of("a.jsh", "import java.util.function.*;\n" + USER
                + "Supplier<String> s = () -> \"Users\";\nnew OlapTable<>(s.get(), User.class);\n"));
        cases.put("a method", Map.of("a.jsh", USER + "String name() { return \"Users\"; }\n"
                + "new OlapTable<>(name(), User.class);\n"));
        cases.put("the shell's exit", Map.of("a.jsh", USER + "System.exit(1);\n"));
        cases.put("a variable declared again", Map.of("a.jsh", USER + "var t = \"Users\";\n",
                "b.jsh", "var t = \"Others\";\nnew OlapTable<>(t, User.class);\n"));
        cases.put("text that never ends", Map.of("a.jsh", USER + "new OlapTable<>(\"Users\", User.class"));
        cases.put("a return at the top level (JShell refuses it and goes on)", Map.of("a.jsh", USER
                + "if (true) return;\n", "b.jsh", "new OlapTable<>(\"Others\", User.class);\n"));
        cases.put("a private member of another type", Map.of("a.jsh", USER
                + "class P { private static String n = \"Users\"; }\nnew OlapTable<>(P.n, User.class);\n"));
        cases.put("a problem found when the models are assembled", Map.of("a.jsh", USER
                + "new OlapTable<>(\"Users\", User.class).orderBy(\"nope\");\n"));
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            project(new TreeMap<>(c.getValue()));
            assertEquals(Origin.EVALUATED, loadAndCompare(c.getKey()), c.getKey());
        }
    }

    @Test
    void aCompiledRunGivenUpOnNeverReachesTheSinksOfTheEvaluationAfterIt() throws Exception {
        List<dcm.api.Resource<?>> jshells = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, byte[]> slow = new java.util.LinkedHashMap<>();
        slow.put("a.jsh", (USER + "long end = System.nanoTime() + 1_500_000_000L;\n"
                + "while (System.nanoTime() < end) { }\nnew OlapTable<>(\"Late\", User.class);\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(CompiledScripts.evaluate(slow, 200).isEmpty(), "too long: given up on");
        // what JShell's evaluation installs next; the run given up on goes on for a while, then creates a model
        dcm.api.ModelRegistry.install(jshells::add);
        try {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("models-compiled")) {
                    t.join(30_000); // the run given up on goes to its end
                }
            }
            assertEquals(List.of(), jshells, "the run given up on created nothing in the evaluation's sink");
            new dcm.api.OlapTable<>("Mine", Probe.class);
            assertEquals(1, jshells.size(), "the evaluation's sink is still installed");
        } finally {
            dcm.api.ModelRegistry.install(null);
        }
    }

    @Test
    void whatChangesDataActsOnJShellsEvaluation() throws IOException {
        project(examples());
        LoadReport want = evaluated();
        try (ModelWorkspace ws = new ModelWorkspace(project, AT_10)) {
            ws.useCache(new LoadCache(project, "b1"), notes::add);
            ws.load();
            assertTrue(ws.fromCache(), "compiled: the evaluation is owed");
            assertEquals(want.models(), ws.verified().models());
            assertFalse(ws.fromCache(), "verified() evaluated the scripts");
        }
        assertEquals(List.of(), notes);
    }

    @Test
    void aCompiledLoadIsCachedAndItsSessionServesJava() throws IOException {
        project(examples());
        try (ModelWorkspace ws = new ModelWorkspace(project, AT_10)) {
            ws.useCache(new LoadCache(project, "b1"), notes::add);
            ws.load();
            assertEquals(Origin.COMPILED, ws.origin());
            assertTrue(ws.fromCache(), "the JShell evaluation is owed");
            SnippetRunner.Outcome out = ws.evalPrompt("new User(\"a\", \"b\", \"c\", 3, \"fr\", null).age() + 1");
            assertTrue(out.ok(), out.diagnostics().toString());
            assertTrue(out.values().get(0).endsWith("4"), out.values().toString());
            assertFalse(ws.fromCache());
        }
        try (ModelWorkspace ws = new ModelWorkspace(project, AT_10)) {
            ws.useCache(new LoadCache(project, "b1"), notes::add);
            ws.load();
            assertEquals(Origin.CACHE, ws.origin(), "the compiled load was kept in the cache");
        }
        assertEquals(List.of(), notes);
        // the server's dialect, learned after the load, and a bump: assembled again from the compiled definitions
        Files.writeString(project.resolve("models/users.jsh"), Files.readString(project.resolve("models/users.jsh"))
                .replace("int age", "long age"));
        Settings modern = new Settings("1.0", "", 1000L, Dialect.MODERN);
        Settings at11 = new Settings("1.1", "", 1000L, Dialect.MODERN);
        LoadReport wantModern;
        LoadReport want11;
        try (ModelWorkspace ws = new ModelWorkspace(project, modern)) {
            wantModern = ws.reload();
            want11 = ws.useVersion("1.1");
        }
        int sessions = SnippetRunner.started();
        try (ModelWorkspace ws = new ModelWorkspace(project, AT_10)) {
            ws.useCache(new LoadCache(project, "b1"), notes::add);
            ws.load();
            assertEquals(Origin.COMPILED, ws.origin());
            assertEquals(List.of(), ws.useDialect(Dialect.MODERN));
            assertEquals(wantModern.models(), ws.state().models());
            assertEquals(want11.models(), ws.useVersion("1.1").models());
            assertEquals(sessions, SnippetRunner.started(), "no JShell session for another dialect or version");
            assertTrue(ws.fromCache());
        }
        try (ModelWorkspace ws = new ModelWorkspace(project, modern)) {
            ws.useCache(new LoadCache(project, "b1"), notes::add);
            assertEquals(wantModern.models(), ws.load().models());
            assertEquals(Origin.CACHE, ws.origin(), "the entry of the learned dialect was kept");
        }
        assertEquals(List.of(), notes);
    }

    private static Map<String, String> examples() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var s = Files.list(Path.of("models"))) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return out;
    }
}
