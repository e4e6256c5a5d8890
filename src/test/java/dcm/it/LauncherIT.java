package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dcm.TestProjects;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    private Result launch(String... args) throws Exception {
        Path home = Path.of(System.getProperty("dcm.home", ".")).toAbsolutePath();
        List<String> cmd = new java.util.ArrayList<>(List.of(home.resolve("shell").toString(), "--project",
                dir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                "/dev/null")));
        pb.environment().putAll(TestServers.ENV);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err,
                StandardCharsets.UTF_8));
    }

    record Result(int code, String out, String err) {}

    @Test
    void runsCommandsJsonAndExitCodes() throws Exception {
        TestProjects.create(dir, TestProjects.exampleModels());
        Result r = launch("-c", "sql SELECT 40 + 2 AS answer");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("answer\n42\n"), r.out());

        r = launch("--json", "-c", "ls");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, new ObjectMapper().readTree(r.out()).get("data").get("models").size());

        assertEquals(1, launch("-c", "sql SELEC 1").code());
        assertEquals(2, launch("-c", "peek").code());
        assertEquals(2, launch("--nope").code());
    }
}
