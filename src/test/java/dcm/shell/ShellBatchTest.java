package dcm.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.TestProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs of the shell over injected streams, for commands that need no server. */
class ShellBatchTest {
    @TempDir
    Path dir;

    /** Servers are never started here: --no-infra, and addresses where nothing listens. */
    private static final Map<String, String> NO_SERVERS = Map.of("MOOSE_CLICKHOUSE_CONFIG__HOST_PORT", "1",
            "MOOSE_REDPANDA_CONFIG__BROKER", "localhost:1");

    private TestProjects.Run run(String stdin, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--project";
        all[1] = dir.toString();
        all[2] = "--no-infra";
        System.arraycopy(args, 0, all, 3, args.length);
        return TestProjects.shell(NO_SERVERS, stdin, all);
    }

    @Test
    void helpListsEveryCommandAndExplainsOne() {
        TestProjects.create(dir, Map.of());
        TestProjects.Run r = run("", "-c", "help; help peek");
        assertEquals(0, r.exitCode(), r.err());
        for (String c : List.of("ls", "reload", "sql", "peek", "infra", "help", "exit")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(c)), c + " missing in:\n" + r.out());
        }
        assertTrue(r.out().contains("peek <model|table|topic> [-n N] [--topic]\nShows the last N"), r.out());
    }

    @Test
    void javaSnippetsRunBetweenCommandsAndSpanLines() throws Exception {
        TestProjects.create(dir, TestProjects.exampleModels());
        Path script = dir.resolve("demo.dcm");
        Files.writeString(script, """
                # a script: commands and Java, one per line
                int twice(int x) {
                    return 2 * x;
                }
                twice(21)
                help types
                help java
                """);
        TestProjects.Run r = run("", "--run", script.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().matches("(?s)\\$\\d+ ==> 42\n.*"), r.out());
        assertTrue(r.out().contains("LocalDate                          Date"), r.out());
        assertTrue(r.out().contains("List<User> all = Dcm.rows(User.class);"), r.out());
    }

    @Test
    void exitCodesOneForFailureTwoForUsage() {
        TestProjects.create(dir, Map.of());
        assertEquals(2, run("", "-c", "peek").exitCode());
        assertEquals(2, run("", "-c", "peek x -n abc").exitCode());
        assertEquals(2, run("", "-c", "infra sideways").exitCode());
        assertEquals(2, run("", "--bogus").exitCode());
        TestProjects.Run typo = run("", "-c", "lss");
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().contains("unknown command 'lss'") && typo.err().contains("did you mean `ls`"),
                typo.err());
        TestProjects.Run bad = run("", "-c", "int x = \"s\"; help");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("incompatible types"), bad.err());
        assertTrue(!bad.out().contains("command"), "stops at the first failure: " + bad.out());
        TestProjects.Run down = run("", "-c", "sql SELECT 1");
        assertEquals(1, down.exitCode());
        assertTrue(down.err().contains("ClickHouse does not answer at http://localhost:1"), down.err());
        assertTrue(down.err().contains("hint: run `infra up`"), down.err());
    }

    @Test
    void commandsCanBePipedOnStdin() {
        TestProjects.create(dir, Map.of());
        TestProjects.Run r = run("String s = \"piped\";\ns.length()\nexit\nhelp\n");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("s ==> \"piped\""), r.out());
        assertTrue(r.out().contains("==> 5"), r.out());
        assertTrue(!r.out().contains("what it does"), "nothing runs after exit: " + r.out());
    }

    @Test
    void jsonModeGivesOneValidObjectPerCommand() throws Exception {
        TestProjects.create(dir, Map.of());
        TestProjects.Run r = run("", "--json", "-c", "help; 1 + 1; peek");
        assertEquals(2, r.exitCode());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        ObjectMapper json = new ObjectMapper();
        JsonNode help = json.readTree(lines.get(0));
        assertEquals("help", help.get("command").asText());
        assertTrue(help.get("data").has("ls"));
        assertEquals("2", json.readTree(lines.get(1)).get("data").get("values").get(0).asText()
                .replaceFirst("^\\$\\d+ ==> ", ""));
        JsonNode peek = json.readTree(lines.get(2));
        assertEquals(false, peek.get("ok").asBoolean());
        assertEquals(2, peek.get("exitCode").asInt());
        assertTrue(peek.get("data").get("error").asText().contains("peek needs one"));
    }

    @Test
    void aBrokenModelIsReportedAndTheOthersLoad() {
        Map<String, String> models = new java.util.HashMap<>(TestProjects.exampleModels());
        models.put("zz_broken.jsh", "record Z(String id) {}\nnew OlapTable<>(\"Z\", Z.class)\n   .lifeCycel(null);\n");
        TestProjects.create(dir, models);
        TestProjects.Run r = run("", "-c", "reload");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("models/zz_broken.jsh:3: cannot find symbol"), r.err());
        assertTrue(r.err().contains("   .lifeCycel(null);\n       ^"), r.err());
        assertTrue(r.err().contains("loaded 3 model(s) from 4 file(s)"), r.err());
    }

    @Test
    void splittingKeepsSemicolonsInsideQuotesAndBlocks() {
        assertEquals(List.of("sql SELECT 'a;b'", "void f() { int a = 1; a++; }", "ls"),
                BatchRunner.splitCommands("sql SELECT 'a;b'; void f() { int a = 1; a++; } ; ls;").stream()
                        .map(BatchRunner.Line::text).toList());
    }

    @Test
    void argsParseOptionsAndQuotes() {
        Args a = Args.parse("peek  Users -n 5 --topic", DataCommands.PEEK);
        assertEquals(List.of("Users"), a.positional());
        assertEquals(5, a.intOption("-n", 10, 1, 100));
        assertTrue(a.flag("--topic"));
        assertEquals(7, Args.parse("peek Users -n7", DataCommands.PEEK).intOption("-n", 10, 1, 100));
        assertEquals(List.of("a b", "c"), Args.split("'a b' c"));
    }

    @Test
    void unknownOptionsAndBadValuesAreUsageErrorsWithTheUsageAndADidYouMean() {
        TestProjects.create(dir, Map.of());
        TestProjects.Run r = run("", "-c", "plan --bogus");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("unknown option '--bogus'") && r.err().contains("usage: plan [--sql] [--save"
                + " [file]]"), r.err());
        r = run("", "-c", "apply --yess");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("unknown option '--yess'; did you mean --yes?"), r.err());
        r = run("", "-c", "peek Users -n five");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("-n needs a whole number, got 'five'"), r.err());
        r = run("", "-c", "peek Users -n");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("usage: peek <model|table|topic> [-n N] [--topic]"), r.err());
        r = run("", "-c", "serve stpo");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("unknown serve action 'stpo'"), r.err());
        r = run("", "-c", "peek @/tmp");
        assertTrue(r.err().contains("no broker answers"), "@/tmp is a name to look up, not a file to expand: "
                + r.out() + r.err());
        r = run("", "-c", "help apply");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("apply [file] [--yes] [--allow-destructive] [--url URL] [--token TOKEN]"
                + " [--insecure]\n"), r.out());
        assertTrue(r.out().matches("(?s).*\n  --yes +apply without asking.*"), r.out());
    }

    @Test
    void aPrefixOfACommandIsJavaAndAWholeCommandNeedsNoSlash() {
        TestProjects.create(dir, Map.of());
        // `ex` and `de` are prefixes of exit and dev: Java here; `exit` followed by `=` is Java too
        TestProjects.Run r = run("", "-c", "int ex = 1; ex = 2; int de = 5; de = ex + de; int exit = 0; exit = de;"
                + " /help ls; ? peek; help exit");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("==> 7\n"), r.out());
        assertTrue(r.out().matches("(?s).*exit ==> 0\n\\$\\d+ ==> 7\n.*"), r.out());
        assertTrue(r.out().contains("ls [model]"), r.out());
        assertTrue(r.out().contains("peek <model|table|topic>"), r.out());
        r = run("", "-c", "int plan = 1; plan + 1; help ?");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("==> 2") && r.out().contains("help [command|types|models|java]"), r.out());
        r = run("", "-c", "pla");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("unknown command 'pla'") && r.err().contains("did you mean `plan`"), r.err());
    }

    @Test
    void aModelFileEditedBetweenCommandsIsReloadedFirstAndSaidSo() throws Exception {
        TestProjects.create(dir, Map.of("a.jsh", "record A(String id) {}\nnew OlapTable<>(\"A\", A.class);\n"));
        Path b = dir.resolve("models/b.jsh");
        Path script = dir.resolve("edit.dcm");
        Files.writeString(script, "ls\njava.nio.file.Files.writeString(java.nio.file.Path.of(\"" + b
                + "\"), \"record B(String id) {}\\nnew Stream<>(\\\"B\\\", B.class);\\n\");\nls\n");
        TestProjects.Run r = run("", "--run", script.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("models/b.jsh changed: reloaded 2 model(s)"), r.err());
        assertTrue(r.out().matches("(?s).*\nB +1\\.0 +stream .*"), r.out());
    }
}
