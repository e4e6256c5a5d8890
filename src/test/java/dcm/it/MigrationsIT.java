package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.TestProjects;
import dcm.app.AppError;
import dcm.app.Listener;
import dcm.app.Migrations;
import dcm.app.Outcomes;
import dcm.app.Project;
import dcm.clickhouse.ClickHouse;
import dcm.config.ConfigLoader;
import dcm.config.ProjectConfig;
import dcm.core.plan.Plan;
import dcm.jshell.ModelWorkspace;
import dcm.kafka.Broker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration use cases driven without a shell or a terminal: outcomes as records, refusals as codes. */
class MigrationsIT {
    @TempDir
    Path dir;
    TestServers.Isolated iso;
    ModelWorkspace workspace;
    ClickHouse ch;
    Broker broker;
    Project project;
    final List<String> progress = new ArrayList<>();
    final List<Plan> reviewed = new ArrayList<>();
    final Listener listener = new Listener() {
        @Override
        public void progress(String line) {
            progress.add(line);
        }

        @Override
        public void review(Plan plan) {
            reviewed.add(plan);
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        iso = TestServers.isolated("app");
        TestProjects.create(dir, Map.of("t.jsh", "record T(@Key String id, long n) {}\n"
                + "new OlapTable<>(\"T\", T.class);\n"));
        ProjectConfig config = ConfigLoader.load(dir, iso.env());
        ch = new ClickHouse(config.clickhouse());
        ch.execute("CREATE DATABASE IF NOT EXISTS `" + iso.db() + "`");
        broker = new Broker(config.broker());
        workspace = new ModelWorkspace(dir, new dcm.api.ModelAssembler.Settings("1.0", iso.db(), 604_800_000L,
                ch.dialect()));
        workspace.reload();
        project = new Project() {
            public ProjectConfig config() {
                return config;
            }

            public ModelWorkspace workspace() {
                return workspace;
            }

            public ClickHouse clickhouse() {
                return ch;
            }

            public Broker broker() {
                return broker;
            }
        };
    }

    @AfterEach
    void tearDown() {
        workspace.close();
        broker.close();
        iso.drop();
        ch.close();
    }

    @Test
    void planAndApplyReturnFactsAndRefusalsCarryStableCodes() throws Exception {
        Migrations m = new Migrations(project, listener);
        Outcomes.PlanOutcome plan = m.plan(false, null);
        assertTrue(plan.applicable());
        assertEquals(2, plan.plan().operations().size(), plan.plan().toString());

        Outcomes.ApplyOutcome applied = m.apply(null, true, false, false);
        assertEquals(2, applied.applied());
        assertNull(applied.nothing());
        assertEquals(1, reviewed.size(), "the plan was shown for review before it ran");
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("[1/2] + T_1_0: create table")), progress.toString());
        assertEquals("already at target: nothing to apply", m.apply(null, true, false, false).nothing());

        // a saved plan whose targets drifted: refused with DRIFT and the difference as evidence
        Files.writeString(dir.resolve("models/t.jsh"), "record T(@Key String id, long n, String city) {}\n"
                + "new OlapTable<>(\"T\", T.class);\n");
        workspace.reload();
        assertEquals(dir.resolve("migrations/plan.json"), m.plan(false, "").savedTo());
        ch.execute("ALTER TABLE `" + iso.db() + "`.`T_1_0` ADD COLUMN extra UInt8");
        // another project's topic on the shared broker is no drift of this one
        broker.createTopic("other_" + System.nanoTime(), 1, 1, 60_000L);
        AppError drift = assertThrows(AppError.class, () -> m.apply("migrations/plan.json", true, false, false));
        assertEquals(AppError.Code.DRIFT, drift.code());
        assertEquals(List.of("table T_1_0 column extra -> expected: absent -> live: UInt8"), drift.evidence());

        // a model file that fails: the load is incomplete, apply refuses with LOAD_INCOMPLETE whatever the flags
        Files.writeString(dir.resolve("models/t.jsh"), "record T(@Key String id {}\n");
        workspace.reload();
        AppError incomplete = assertThrows(AppError.class, () -> m.apply(null, true, true, false));
        assertEquals(AppError.Code.LOAD_INCOMPLETE, incomplete.code());
        assertTrue(incomplete.evidence().get(0).startsWith("models/t.jsh:1: "), incomplete.evidence().toString());
    }

    @Test
    void theShellPutsTheStableCodeInItsJson() throws Exception {
        Files.writeString(dir.resolve("models/t.jsh"), "record T(@Key String id {}\n");
        TestProjects.Run r = TestProjects.shell(iso.env(), "", "--project", dir.toString(), "--no-infra", "--json",
                "-c", "apply --yes --allow-destructive");
        assertEquals(1, r.exitCode());
        var json = new ObjectMapper().readTree(r.out());
        assertEquals("LOAD_INCOMPLETE", json.get("data").get("code").asText(), r.out());
        r = TestProjects.shell(iso.env(), "", "--project", dir.toString(), "--no-infra", "--json", "-c", "plan");
        assertEquals(1, r.exitCode());
        assertEquals("LOAD_INCOMPLETE", new ObjectMapper().readTree(r.out()).get("data").get("code").asText(), r.out());
        assertTrue(json.get("data").get("hint").asText().contains("fix the model files"), r.out());
    }

    @Test
    void aStopRequestEndsTheApplyBetweenTwoWholeStepsAndTheNextApplyContinues() {
        List<String> lines = new ArrayList<>();
        Listener stopAfterFirst = new Listener() {
            @Override
            public void progress(String line) {
                lines.add(line);
            }

            @Override
            public boolean stopRequested() {
                return lines.stream().anyMatch(l -> l.startsWith("[1/2]"));
            }
        };
        AppError stopped = assertThrows(AppError.class, () -> new Migrations(project, stopAfterFirst)
                .apply(null, true, false, false));
        assertEquals(AppError.Code.APPLY_FAILED, stopped.code());
        assertTrue(stopped.getMessage().startsWith("stopped before operation 2/2 (Ctrl-C); the 1 operation(s) before"
                + " it are applied"), stopped.getMessage());
        assertEquals("run `apply` again: it continues at operation 2", stopped.hint());
        assertEquals("1", ch.scalar("SELECT count() FROM system.tables WHERE database = '" + iso.db() + "' AND name"
                + " = 'T_1_0' FORMAT TabSeparated"), "the first step is whole");
        Outcomes.ApplyOutcome rest = new Migrations(project, listener).apply(null, true, false, false);
        assertEquals(1, rest.applied(), "the next apply does what is left: " + rest.plan());
        assertEquals("already at target: nothing to apply", new Migrations(project, listener)
                .apply(null, true, false, false).nothing());
    }
}
