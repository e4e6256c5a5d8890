package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import dcm.clickhouse.ClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java session is live ({@code dcm.api.Dcm}), on the real servers: the example script {@code
 * scripts/java-session.jsh} run by {@code --run} over the example project (Users 1.0 frozen, 1.1 current) sends
 * records of both versions, reads the table back as records, maps samples of 1.0 to 1.1; wrong input is an error that
 * names the row and column, and no scratch table is left.
 */
class JavaSessionIT {
    static final Path HOME = Path.of(System.getProperty("dcm.home", "."));
    static final Path EXAMPLE = HOME.resolve("scripts/examples/java-session");
    static final String V10 = "record User(@Key String id, String name, String age) {}\n"
            + "new IngestPipeline<>(\"Users\", User.class).orderBy(\"id\");\n";
    @TempDir
    Path dir;
    TestServers.Isolated iso;
    ClickHouse ch;

    @BeforeEach
    void setUp() throws Exception {
        iso = TestServers.isolated("javasession");
        ch = iso.clickhouse();
        TestProjects.create(dir, Map.of("users.jsh", V10));
        iso.ok(dir, "apply --yes");
        VersionsIT.freeze(dir, iso.db(), "1.0", "1.1");
        Files.copy(EXAMPLE.resolve("models/users.jsh"), dir.resolve("models/users.jsh"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterEach
    void tearDown() {
        iso.drop();
        ch.close();
    }

    private TestProjects.Run run(String stdin, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--project";
        all[1] = dir.toString();
        all[2] = "--no-infra";
        System.arraycopy(args, 0, all, 3, args.length);
        return TestProjects.shell(iso.env(), stdin, all);
    }

    private String scratchTables() {
        return ch.scalar("SELECT count() FROM system.tables WHERE database = '" + iso.db() + "' AND startsWith(name,"
                + " '_dcm_scratch_') FORMAT TabSeparated");
    }

    @Test
    void theExampleScriptSendsReadsAndMapsJavaValues() {
        TestProjects.Run r = run("", "--run", HOME.resolve("scripts/java-session.jsh").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        String out = r.out();
        // the numbers of JShell's $ variables are not the point (a model file's statements make none)
        assertTrue(java.util.regex.Pattern.compile("\\$\\d+ ==> 2\n\\$\\d+ ==> 1\n").matcher(out).find(),
                "two records of 1.1, one of 1.0 sent: " + out);
        // 1.0's row reached 1.1's table through the migration view; Optional, short and the default came back typed
        assertTrue(out.contains("users ==> [User[id=o1, fullName=Old Timer, age=67, country=nl, email=Optional.empty],"
                + " User[id=u1, fullName=Ann Lee, age=41, country=de, email=Optional[ann@example.com]], User[id=u2,"
                + " fullName=Bo Berg, age=7, country=nl, email=Optional.empty]]"), out);
        assertTrue(out.contains("==> [Old Timer, Ann Lee]"), "a WHERE condition: " + out);
        assertTrue(out.contains("==> [{id=o1, name=Old Timer, age=67}]"), "an old version's rows as maps: " + out);
        assertTrue(out.contains("mapped ==> [User[id=s1, fullName=Sam, age=12, country=nl, email=Optional.empty]]"),
                out);
        assertTrue(out.contains("record 1, field 'age': '70000' is out of the range of Int16"), out);
        assertEquals("3", ch.scalar("SELECT count() FROM `" + iso.db() + "`.`Users_1_1` FORMAT TabSeparated"));
        assertEquals("0", scratchTables());
    }

    @Test
    void wrongInputIsAnErrorNamingRowAndColumnAndTheSessionGoesOn() {
        iso.ok(dir, "apply --yes");
        String stdin = String.join("\n",
                "Dcm.send(new User(\"u1\", \"Ann Lee\", (short) 41, \"de\", Optional.empty()))",
                "sync start",
                "sync wait",
                "record Wrong(String id, int fullName) {}",
                "String err = \"\"",
                "try { Dcm.rows(\"Users\", Wrong.class, \"\", 10); } catch (IllegalArgumentException e) { err ="
                        + " e.getMessage(); }",
                "err",
                "try { Dcm.map(\"Users\", \"1.0\", List.of(Dcm.row(\"id\", \"s\", \"name\", \"N\", \"age\", \"old\")));"
                        + " } catch (IllegalArgumentException e) { err = e.getMessage(); }",
                "err",
                "try { Dcm.map(\"Users\", \"1.0\", List.of(Dcm.row(\"id\", \"s\", \"nom\", \"N\"))); } catch"
                        + " (IllegalArgumentException e) { err = e.getMessage(); }",
                "err",
                "Dcm.map(\"Users\", \"1.0\", \"1.0\", List.of(Dcm.row(\"id\", \"s\", \"name\", \"N\", \"age\", \"9\")))",
                "Dcm.rows(User.class).size()",
                "Dcm.send(\"Users@1.0\", List.of(Dcm.row(\"id\", \"b\", \"name\", \"B\", \"age\", \"-5x\")))",
                "Dcm.rows(User.class).size()");
        TestProjects.Run r = run(stdin);
        String out = r.out();
        assertTrue(out.contains("row 1, column 'fullName': cannot make int of \\\"Ann Lee\\\" (not a number)"), out);
        assertTrue(out.contains("sample 1, field 'age': 'old' is not a whole number"), out);
        assertTrue(out.contains("sample 1, field 'nom': unknown field; the schema of Users@1.0 has [id, name, age]"),
                out);
        assertTrue(out.contains("==> [{id=s, name=N, age=9}]"), "from a version to itself: the rows as they are: " + out);
        assertTrue(java.util.regex.Pattern.compile("==> \\[\\{id=s, name=N, age=9}]\n\\$\\d+ ==> 1\n").matcher(out)
                .find(), "the session went on after the errors: " + out);
        // a batch run stops at the failing line, saying why
        assertEquals(1, r.exitCode(), out + r.err());
        assertTrue(r.err().contains("1 of 1 record(s) refused by Users@1.0, nothing sent: record 1, field 'age'"),
                r.err());
        assertTrue(!out.contains("==> 2"), "nothing after the failing line ran: " + out);
        assertEquals("0", scratchTables());
    }
}
