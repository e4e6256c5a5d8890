package dcm.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.api.ModelAssembler;
import dcm.core.Dialect;
import dcm.core.versions.MappingEdit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code new Mapping(...)} in a model script or at the prompt reaches the load report, at its line, kept like models. */
class ScriptMappingsTest {
    @TempDir
    Path project;
    ModelWorkspace ws;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(project.resolve("models"));
        ws = new ModelWorkspace(project, new ModelAssembler.Settings("1.1", "", 1000L, Dialect.LEGACY_18_16));
    }

    @AfterEach
    void tearDown() {
        ws.close();
    }

    private void write(String text) throws IOException {
        Files.writeString(project.resolve("models/users.jsh"), text);
    }

    private static final String USERS = """
            record User(@Key String id, String name, int age) {}
            new OlapTable<>("Users", User.class);

            // how 1.0's rows become 1.1's
            new Mapping("Users", "1.0", "1.1")
                    .rename("fullName", "name")
                    .set("age", "toInt32(years)");
            """;

    @Test
    void aScriptsMappingIsInTheLoadReportAtItsLine() throws IOException {
        write(USERS);
        ModelWorkspace.LoadReport r = ws.reload();
        assertTrue(r.ok(), r.diagnostics().toString());
        assertEquals(1, r.models().size(), "a Mapping is no model");
        MappingEdit e = r.mappings().get(0);
        assertEquals("models/users.jsh:5", e.origin());
        assertEquals(List.of(new MappingEdit.Rename("fullName", "name", e.at())), e.renames());
        assertEquals(List.of(new MappingEdit.Assign("age", "toInt32(years)", e.at())), e.sets());
        assertFalse(e.complete());
    }

    @Test
    void aFileThatFailsKeepsItsMappingsAndAFileThatIsGoneTakesThemAlong() throws IOException {
        write(USERS);
        ws.reload();
        write(USERS.replace("String name", "Strin name"));
        ModelWorkspace.LoadReport broken = ws.reload();
        assertFalse(broken.ok());
        assertEquals(1, broken.mappings().size(), "kept from the last good load");
        Files.delete(project.resolve("models/users.jsh"));
        assertEquals(List.of(), ws.reload().mappings());
    }

    @Test
    void aBadMappingIsAProblemAtItsLine() throws IOException {
        write(USERS.replace("\"toInt32(years)\"", "\"toInt32(years\""));
        ModelWorkspace.LoadReport r = ws.reload();
        assertEquals(1, r.diagnostics().size(), r.diagnostics().toString());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals("models/users.jsh", d.file());
        assertTrue(d.line() >= 5 && d.line() <= 7, d.toString());
        assertTrue(d.message().contains("set(\"age\", \"toInt32(years\"): the expression '(' at column 8 is never"
                + " closed"), d.message());
    }

    @Test
    void thePromptDefinesAMappingAgainToChangeIt() throws IOException {
        write("record User(@Key String id, String name) {}\nnew OlapTable<>(\"Users\", User.class);\n");
        ws.reload();
        assertTrue(ws.evalPrompt("new Mapping(\"Users\", \"1.0\", \"1.1\").set(\"name\", \"'a'\")").ok());
        assertTrue(ws.evalPrompt("new Mapping(\"Users\", \"1.0\", \"1.1\").set(\"name\", \"'b'\")").ok());
        assertEquals(List.of("'b'"), ws.state().mappings().stream().map(m -> m.sets().get(0).expression()).toList());
        assertEquals("<prompt>", ws.state().mappings().get(0).at().file());
        assertEquals(1, ws.reload().mappings().size(), "replayed after a reload");
    }
}
