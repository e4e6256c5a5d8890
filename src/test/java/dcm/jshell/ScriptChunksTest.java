package dcm.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.jshell.ScriptChunks.Chunk;
import dcm.jshell.ScriptChunks.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a model script's top-level pieces end, what they are, and the line JShell gives each. */
class ScriptChunksTest {
    private static List<Chunk> chunks(String text) {
        return ScriptChunks.of(text).orElseThrow();
    }

    @Test
    void typesAndStatementsEachAtTheLineTheirCodeStartsOn() {
        List<Chunk> c = chunks("""
                // a comment; with } in it
                @Deprecated public record A(@Key String id, @Default("';}'") String x) {}
                enum E { X, Y }
                /* ; */ new OlapTable<>("A", A.class)
                    .orderBy("id");
                for (int i = 0; i < 2; i++) { new Stream<>("S" + i, A.class); }
                if (true) { } else { }
                Runnable r = new Runnable() { public void run() { } };
                String s = \"""
                    ; }
                    \""";
                non-sealed interface I {}
                new OlapTable<>("B", A.class)""");
        assertEquals(List.of(Kind.TYPE, Kind.TYPE, Kind.STATEMENT, Kind.STATEMENT, Kind.STATEMENT, Kind.STATEMENT,
                Kind.STATEMENT, Kind.TYPE, Kind.STATEMENT), c.stream().map(Chunk::kind).toList());
        assertEquals(List.of(2, 3, 4, 6, 7, 8, 9, 12, 13), c.stream().map(Chunk::line).toList());
        assertEquals("A", c.get(0).typeName());
        assertEquals("E", c.get(1).typeName());
        assertEquals("I", c.get(7).typeName());
        assertTrue(c.get(2).text().endsWith(".orderBy(\"id\");"), c.get(2).text());
        assertEquals("new OlapTable<>(\"B\", A.class);", c.get(8).text(), "JShell takes a last expression without ;");
    }

    @Test
    void aPromptLineIsBalancedWhenNothingIsLeftOpen() {
        for (String done : List.of("1 + 2", "new User(\"a\", 3).age()", "int x = 3;", "for (int i = 0; i < 2; i++) { }",
                "String s = \"(\" // {", "record R(int x) {}", "String s = \"/*\";")) {
            assertTrue(ScriptChunks.balanced(done), done);
        }
        for (String open : List.of("new User(\"a\",", "for (int i = 0; i < 2; i++) {", "String s = \"abc",
                "/* a comment", "int x = 1; /* more", "int[] a = {1, 2")) {
            assertTrue(!ScriptChunks.balanced(open), open);
        }
    }

    @Test
    void whatItCannotPlaceMakesTheScriptUnfit() {
        for (String unfit : List.of("import java.util.*;\nrecord A(int x) {}", "record A(int x) {",
                "new OlapTable<>(\"A\", A.class", "String s = \"never closed;\n", "}")) {
            assertTrue(ScriptChunks.of(unfit).isEmpty(), unfit);
        }
    }
}
