package dcm.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.api.ModelAssembler.Settings;
import dcm.core.Dialect;
import dcm.jshell.ModelWorkspace.Origin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load cache gives exactly what evaluating the scripts gives: a project is changed in every way that shapes a
 * model, and after each change the load from the cache is compared with a fresh evaluation in its own session.
 */
class LoadCacheTest {
    private static final Settings AT_10 = new Settings("1.0", "", 1000L, Dialect.LEGACY_18_16);
    @TempDir
    Path project;
    private final List<String> notes = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(project.resolve("models"));
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(project.resolve("models").resolve(name), text);
    }

    private ModelWorkspace cached(Settings s, String build) {
        ModelWorkspace ws = new ModelWorkspace(project, s);
        ws.useCache(new LoadCache(project, build), notes::add);
        return ws;
    }

    /** The models, mappings and problems of a fresh evaluation, without any cache. */
    private ModelWorkspace.LoadReport evaluated(Settings s) {
        try (ModelWorkspace ws = new ModelWorkspace(project, s)) {
            return ws.reload();
        }
    }

    private static void assertSameLoad(ModelWorkspace.LoadReport want, ModelWorkspace.LoadReport got, String what) {
        assertTrue(want.ok() && want.complete(), what + ": " + want.diagnostics());
        assertEquals(want.models(), got.models(), what);
        assertEquals(want.mappings(), got.mappings(), what);
        assertEquals(want.diagnostics(), got.diagnostics(), what);
        assertEquals(want.files(), got.files(), what);
        assertTrue(got.complete(), what);
    }

    /** A load after a change evaluates (and writes the cache); the next load comes from the cache, equal to both. */
    private void checkChange(String what, Settings s) {
        ModelWorkspace.LoadReport fresh = evaluated(s);
        try (ModelWorkspace first = cached(s, "b1")) {
            assertSameLoad(fresh, first.load(), what + " (compiled)");
            assertEquals(Origin.COMPILED, first.origin(), what + ": a changed project is compiled at once");
            // the JShell evaluation the compiled load owes: it is compared with it, a difference is a note
            first.recordTypes();
            assertFalse(first.fromCache());
            assertEquals(List.of(), notes, what);
        }
        try (ModelWorkspace again = cached(s, "b1")) {
            assertSameLoad(fresh, again.load(), what + " (cached)");
            assertEquals(Origin.CACHE, again.origin(), what + ": an unchanged project loads from the cache");
            assertTrue(again.fromCache(), what);
        }
    }

    private static final String TYPES = "record User(@Key String id, String name, int age) {}\n";
    private static final String TABLE = "new OlapTable<>(\"Users\", User.class).orderBy(\"id\");\n";
    private static final String EVENTS = """
            record Event(@Key String id, String userId, Instant at) {}
            new IngestPipeline<>("Events", Event.class).orderBy("id").partitions(2);
            """;

    @Test
    void theCachedModelsEqualAFreshEvaluationAfterEveryKindOfChange() throws IOException {
        // the record in one file, its table in another: files depend on each other
        write("a_types.jsh", TYPES);
        write("b_users.jsh", TABLE);
        write("c_events.jsh", EVENTS);
        write("d_views.jsh", "record View(String url, Instant at) {}\nnew Stream<>(\"Views\", View.class);\n");
        checkChange("first load", AT_10);
        Map<String, String[]> changes = new LinkedHashMap<>();
        changes.put("field added", new String[] {"a_types.jsh",
                "record User(@Key String id, String name, int age, String email) {}\n"});
        changes.put("field removed", new String[] {"a_types.jsh", "record User(@Key String id, String name) {}\n"});
        changes.put("field renamed", new String[] {"a_types.jsh",
                "record User(@Key String id, @RenamedFrom(\"name\") String fullName) {}\n"});
        changes.put("type changed", new String[] {"a_types.jsh",
                "record User(@Key String id, String fullName, long age) {}\n"});
        changes.put("@Default", new String[] {"a_types.jsh",
                "record User(@Key String id, String fullName, @Default(\"18\") long age) {}\n"});
        changes.put("@ClickHouseType", new String[] {"a_types.jsh", "record User(@Key String id,"
                + " @ClickHouseType(\"LowCardinality(String)\") String fullName, @Default(\"18\") long age) {}\n"});
        changes.put("@Nullable", new String[] {"a_types.jsh", "record User(@Key String id,"
                + " @Nullable String fullName, @Default(\"18\") long age) {}\n"});
        changes.put("orderBy", new String[] {"b_users.jsh",
                "new OlapTable<>(\"Users\", User.class).orderBy(\"id\", \"age\");\n"});
        changes.put("partitionBy", new String[] {"b_users.jsh",
                "new OlapTable<>(\"Users\", User.class).orderBy(\"id\").partitionBy(\"age % 4\");\n"});
        changes.put("engine", new String[] {"b_users.jsh",
                "new OlapTable<>(\"Users\", User.class).orderBy(\"id\").engine(\"ReplacingMergeTree\");\n"});
        changes.put("lifecycle", new String[] {"b_users.jsh",
                "new OlapTable<>(\"Users\", User.class).orderBy(\"id\").lifeCycle(DELETION_PROTECTED);\n"});
        changes.put("partitions", new String[] {"c_events.jsh", EVENTS.replace("partitions(2)", "partitions(3)")});
        changes.put("retention", new String[] {"d_views.jsh", "record View(String url, Instant at) {}\n"
                + "new Stream<>(\"Views\", View.class).retentionMs(86400000L);\n"});
        changes.put("a DSL mapping", new String[] {"c_events.jsh", EVENTS
                + "new Mapping(\"Events\", \"0.9\", \"1.0\").rename(\"uid\", \"userId\").set(\"at\", \"now()\");\n"});
        changes.put("the mapping changed", new String[] {"c_events.jsh", EVENTS
                + "new Mapping(\"Events\", \"0.9\", \"1.0\").rename(\"user\", \"userId\");\n"});
        changes.put("only a comment", new String[] {"d_views.jsh", "// views\nrecord View(String url, Instant at) {}\n"
                + "new Stream<>(\"Views\", View.class).retentionMs(86400000L);\n"});
        for (Map.Entry<String, String[]> c : changes.entrySet()) {
            write(c.getValue()[0], c.getValue()[1]);
            checkChange(c.getKey(), AT_10);
        }
        Files.delete(project.resolve("models/d_views.jsh"));
        checkChange("a file removed", AT_10);
        write("e_more.jsh", "record More(@Key String id) {}\nnew OlapTable<>(\"More\", More.class);\n");
        checkChange("a file added", AT_10);
        checkChange("another namespace", new Settings("1.0", "ns_", 1000L, Dialect.LEGACY_18_16));
        checkChange("another retention", new Settings("1.0", "", 5000L, Dialect.LEGACY_18_16));
    }

    @Test
    void aBumpAndADialectSwitchGiveWhatAFreshEvaluationGives() throws IOException {
        write("a_types.jsh", TYPES);
        write("b_users.jsh", TABLE);
        write("c_events.jsh", EVENTS);
        try (ModelWorkspace ws = cached(AT_10, "b1")) {
            ws.load();
        }
        Settings at11 = new Settings("1.1", "", 1000L, Dialect.LEGACY_18_16);
        Settings modern = new Settings("1.0", "", 1000L, Dialect.MODERN);
        try (ModelWorkspace ws = cached(AT_10, "b1")) {
            ws.load();
            assertTrue(ws.fromCache());
            // no entry for 1.1 yet: the scripts are evaluated to assemble at the new version
            assertSameLoad(evaluated(at11), ws.useVersion("1.1"), "bumped (evaluated)");
            assertFalse(ws.fromCache());
        }
        try (ModelWorkspace ws = cached(AT_10, "b1")) {
            ws.load();
            assertSameLoad(evaluated(at11), ws.useVersion("1.1"), "bumped (cached)");
            assertTrue(ws.fromCache(), "the 1.1 entry written by the run before");
            ws.useVersion("1.0");
            assertEquals(List.of(), ws.useDialect(Dialect.MODERN));
            assertSameLoad(evaluated(modern), ws.state(), "modern dialect");
        }
        try (ModelWorkspace ws = cached(modern, "b1")) {
            assertSameLoad(evaluated(modern), ws.load(), "modern dialect (cached)");
            assertTrue(ws.fromCache());
        }
        assertEquals(List.of(), notes, "evaluation never disagreed with the cache");
    }

    @Test
    void aCorruptCacheOrAnotherBuildIsIgnoredAndRewritten() throws IOException {
        write("a_types.jsh", TYPES);
        write("b_users.jsh", TABLE);
        ModelWorkspace.LoadReport fresh = evaluated(AT_10);
        try (ModelWorkspace ws = cached(AT_10, "b1")) {
            ws.load();
        }
        Path file = project.resolve(LoadCache.FILE);
        String good = Files.readString(file);
        for (String broken : List.of("{not json", "", "{\"format\":1}", good.replace("\"models\"", "\"modelz\""),
                good.substring(0, good.length() / 2), "{\"format\":99,\"key\":\"x\",\"entries\":[]}")) {
            Files.writeString(file, broken);
            try (ModelWorkspace ws = cached(AT_10, "b1")) {
                assertSameLoad(fresh, ws.load(), "broken cache: " + broken);
                assertEquals(Origin.COMPILED, ws.origin(), "a broken cache is not used");
            }
            try (ModelWorkspace ws = cached(AT_10, "b1")) {
                assertSameLoad(fresh, ws.load(), "rewritten cache");
                assertEquals(Origin.CACHE, ws.origin(), "the broken cache was rewritten");
            }
        }
        try (ModelWorkspace ws = cached(AT_10, "b2")) {
            assertSameLoad(fresh, ws.load(), "another build");
            assertEquals(Origin.COMPILED, ws.origin(), "another build of the shell does not trust the cache");
        }
        assertNotEquals(new LoadCache(project, "b1").key(ModelFiles.read(project)),
                new LoadCache(project, "b2").key(ModelFiles.read(project)));
    }

    @Test
    void aLoadWithProblemsIsNotCached() throws IOException {
        write("a_types.jsh", "record User(@Key String id) {}\nnew OlapTable<>(\"Users\", User.class);\n");
        write("b_broken.jsh", "int x = \"not a number\";\n");
        try (ModelWorkspace ws = cached(AT_10, "b1")) {
            assertFalse(ws.load().ok());
        }
        assertFalse(Files.exists(project.resolve(LoadCache.FILE)));
    }

    @Test
    void fromTheCacheJavaAndTheRecordClassesWaitForTheEvaluation() throws IOException {
        write("a_types.jsh", TYPES);
        write("b_users.jsh", TABLE);
        try (ModelWorkspace ws = cached(AT_10, "b1")) {
            ws.load();
        }
        try (ModelWorkspace ws = cached(AT_10, "b1")) {
            ws.load();
            assertTrue(ws.fromCache());
            assertEquals("User", ws.recordTypes().get("Users").getSimpleName(), "the classes, once evaluated");
            assertFalse(ws.fromCache());
        }
        try (ModelWorkspace ws = cached(AT_10, "b1")) {
            ws.load();
            ws.warmInBackground();
            SnippetRunner.Outcome out = ws.evalPrompt("new User(\"a\", \"b\", 3).age() + 1");
            assertTrue(out.ok(), out.diagnostics().toString());
            assertEquals(1, out.values().size());
            assertTrue(out.values().get(0).endsWith("4"), out.values().toString());
            assertFalse(ws.fromCache());
            // the auto-reload of a changed file still works after a start from the cache
            write("b_users.jsh", "new OlapTable<>(\"Users\", User.class).orderBy(\"id\", \"age\");\n");
            assertEquals(List.of("models/b_users.jsh"), ws.changedSinceLoad());
            assertEquals(List.of("id", "age"), ws.reload().models().get(0).table().orderBy());
        }
        assertEquals(List.of(), notes);
    }
}
