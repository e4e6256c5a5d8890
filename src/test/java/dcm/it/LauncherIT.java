package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.ChildProcess;
import dcm.TestProjects;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code ./shell} launcher as a user runs it, as a child process. */
class LauncherIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void servers() {
        TestServers.get();
    }

    private TestProjects.Run launch(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(TestProjects.launcher().toString(), "--project",
                dir.toString()));
        cmd.addAll(List.of(args));
        return ChildProcess.run(Duration.ofSeconds(120), TestServers.ENV, cmd);
    }

    @Test
    void runsCommandsJsonAndExitCodes() throws Exception {
        TestProjects.create(dir, TestProjects.exampleModels());
        TestProjects.Run r = launch("-c", "sql SELECT 40 + 2 AS answer");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("answer\n42\n"), r.out());

        r = launch("--json", "-c", "ls");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, new ObjectMapper().readTree(r.out()).get("data").get("models").size());

        r = launch("-c", "sql SELEC 1");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        r = launch("-c", "peek");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        r = launch("--nope");
        assertEquals(2, r.exitCode(), r.out() + r.err());
    }
}
