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

    /**
     * The start-up archive (class data sharing) of a copy of the launcher and the built jar: recorded on the first
     * run, recorded again after a new build, a broken one ignored silently, none with {@code DCM_CDS=0}, and after a
     * failed recording none tried again for the same build.
     */
    @Test
    void theStartUpArchiveIsRecordedOncePerBuildAndNeverInTheWay() throws Exception {
        Path home = dir.resolve("home");
        Path target = home.resolve("target");
        java.nio.file.Files.createDirectories(target);
        Path real = TestProjects.launcher().getParent();
        java.nio.file.Files.copy(real.resolve("shell"), home.resolve("shell"),
                java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        java.nio.file.Files.copy(real.resolve("target/dcm.jar"), target.resolve("dcm.jar"));
        java.nio.file.Files.createSymbolicLink(target.resolve("lib"), real.resolve("target/lib"));
        // the home is the example project too: the training run loads its models
        TestProjects.create(home, TestProjects.exampleModels());
        Path jar = target.resolve("dcm.jar");
        Path jsa = target.resolve("dcm.jsa");
        Path failed = target.resolve("dcm.jsa.failed");
        java.util.function.Function<java.util.Map<String, String>, TestProjects.Run> help = env -> {
            java.util.Map<String, String> all = new java.util.HashMap<>(TestServers.ENV);
            all.putAll(env);
            TestProjects.Run r = ChildProcess.run(Duration.ofSeconds(120), all, List.of(home.resolve("shell")
                    .toString(), "--project", home.toString(), "--no-infra", "-c", "help"));
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("plan"), r.out());
            assertEquals("", r.err(), "nothing about the archive on stderr");
            return r;
        };
        help.apply(java.util.Map.of("DCM_CDS", "0"));
        assertTrue(!java.nio.file.Files.exists(jsa), "DCM_CDS=0: no archive");
        help.apply(java.util.Map.of());
        assertTrue(java.nio.file.Files.size(jsa) > 0, "recorded by the first run");
        var recorded = java.nio.file.Files.getLastModifiedTime(jsa);
        help.apply(java.util.Map.of());
        assertEquals(recorded, java.nio.file.Files.getLastModifiedTime(jsa), "used, not recorded again");
        // a new build: the archive is stale and recorded again
        java.nio.file.Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(
                recorded.toMillis() + 2000));
        help.apply(java.util.Map.of());
        assertTrue(java.nio.file.Files.getLastModifiedTime(jsa).compareTo(
                java.nio.file.Files.getLastModifiedTime(jar)) >= 0, "recorded again after the build");
        // a broken archive (another JDK, a truncated file) only costs the gain
        java.nio.file.Files.writeString(jsa, "not an archive");
        help.apply(java.util.Map.of());
        // a recording that failed is not tried again for the same build
        java.nio.file.Files.delete(jsa);
        java.nio.file.Files.writeString(failed, "");
        java.nio.file.Files.setLastModifiedTime(failed, java.nio.file.attribute.FileTime.fromMillis(
                java.nio.file.Files.getLastModifiedTime(jar).toMillis() + 2000));
        help.apply(java.util.Map.of());
        assertTrue(!java.nio.file.Files.exists(jsa), "no new attempt after a failed one for this build");
    }
}
