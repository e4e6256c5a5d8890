package dcm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dcm.api.ModelAssembler;
import dcm.clickhouse.ClickHouse;
import dcm.config.ConfigLoader;
import dcm.config.ProjectConfig;
import dcm.core.Dialect;
import dcm.core.ModelSpec;
import dcm.core.versions.Desired;
import dcm.core.versions.MigrationView;
import dcm.jshell.ModelWorkspace;
import dcm.kafka.Broker;
import dcm.migrate.VersionSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retired version is no longer planned (no route, no sync, no view from its table), but its snapshot still says
 * which table a later version unchanged since it shares: retiring never moves a later version to a new, empty table.
 */
class ProjectVersionsTest {
    private static final String U = "record U(@Key String id) {}\nnew IngestPipeline<>(\"U\", U.class);\n";
    private static final String T10 = "record T(@Key String id) {}\nnew OlapTable<>(\"T\", T.class);\n";
    private static final String T11 = "record T(@Key String id, @Default(\"1\") int n) {}\n"
            + "new OlapTable<>(\"T\", T.class);\n";
    @TempDir
    Path dir;
    ModelWorkspace ws;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(dir.resolve("models"));
        ws = new ModelWorkspace(dir, new ModelAssembler.Settings("1.0", "", 1000L, Dialect.LEGACY_18_16));
    }

    @AfterEach
    void tearDown() {
        ws.close();
    }

    /** Freezes the models of {@code version} as they are written. */
    private void freeze(String version, String t) throws IOException {
        Files.writeString(dir.resolve("models/u.jsh"), U);
        Files.writeString(dir.resolve("models/t.jsh"), t);
        ws.useVersion(version);
        new VersionSnapshots(dir).save(version, ws.reload().models());
    }

    private Project project(String version, String oldVersions) throws IOException {
        Files.writeString(dir.resolve("moose.config.toml"), "[project]\nversion = \"" + version + "\"\n"
                + "[supported_old_versions]\n" + oldVersions);
        ProjectConfig config = ConfigLoader.load(dir, java.util.Map.of());
        ws.useVersion(version);
        ws.reload();
        return new Project() {
            public ProjectConfig config() {
                return config;
            }

            public ModelWorkspace workspace() {
                return ws;
            }

            public ClickHouse clickhouse() {
                throw new UnsupportedOperationException();
            }

            public Broker broker() {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static List<String> tables(List<ModelSpec> models) {
        return models.stream().map(m -> m.ref() + "=" + m.table().name()).toList();
    }

    @Test
    void aRetiredVersionAnchorsTheTablesLaterVersionsShareAndNothingElse() throws IOException {
        freeze("1.0", T10);
        freeze("1.1", T11);
        Desired listed = new ProjectVersions(project("1.2", "\"1.0\" = \"\"\n\"1.1\" = \"\"\n")).desired(false);
        assertEquals(List.of("T@1.0=T_1_0", "T@1.1=T_1_1", "U@1.0=U_1_0", "U@1.1=U_1_0"), tables(listed.older()));
        assertEquals(List.of("T_migrate__1_0__1_1"), listed.views().stream().map(MigrationView::name).toList());

        ProjectVersions afterRetire = new ProjectVersions(project("1.2", "\"1.1\" = \"\"\n"));
        assertEquals(List.of("1.0"), List.copyOf(afterRetire.retired().keySet()));
        Desired retired = afterRetire.desired(false);
        assertEquals(List.of("T@1.2=T_1_1", "U@1.2=U_1_0"), tables(retired.latest()),
                "U unchanged since retired 1.0 keeps its table");
        assertEquals(List.of("T@1.1=T_1_1", "U@1.1=U_1_0"), tables(retired.older()), "no 1.0 any more");
        assertEquals("U_1_0", retired.latest().get(1).topic().name(), "and its topic");
        assertEquals(List.of(), retired.views(), "no view from retired 1.0's own table");

        Desired none = new ProjectVersions(project("1.2", "")).desired(true);
        assertEquals(List.of("T@1.2=T_1_1", "U@1.2=U_1_0"), tables(none.latest()));
        assertEquals(List.of(), none.older());
    }
}
