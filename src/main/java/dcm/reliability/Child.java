package dcm.reliability;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code ./shell} launcher run as a child process ({@code --project dir --no-infra -c commands}), its output
 * in files (no pipe to fill up), to be waited for or killed with SIGKILL (kill -9) at a moment the case chooses.
 */
public final class Child {
    /** Children still running: killed when the suite's JVM ends (Ctrl-C included), so no serve outlives it. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "reliability-children"));
    }

    private final Process process;
    private final Path out;
    private final Path err;

    private Child(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static Child start(Path launcher, Path project, Map<String, String> env, String commands) {
        try {
            Path out = Files.createTempFile("rel-out", ".txt");
            Path err = Files.createTempFile("rel-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(List.of(launcher.toString(), "--project", project.toString(),
                    "--no-infra", "-c", commands))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            RUNNING.add(p);
            p.onExit().thenRun(() -> RUNNING.remove(p));
            return new Child(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the end (killing it after {@code seconds}) and returns what it printed. */
    public Project.Run await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill9();
            throw new Case.Failed("the shell did not end in " + seconds + " s; killed. " + text(out) + text(err));
        }
        return result();
    }

    /** Whether it still runs. */
    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL to the JVM (the launcher execs it) and anything it started; waits until it is gone. */
    public Project.Run kill9() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return result();
    }

    /** SIGTERM (as a user's Ctrl-C or `kill` would), then the result. */
    public Project.Run stop(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return kill9();
        }
        return result();
    }

    /** What it printed so far (standard output, then standard error). */
    public String outSoFar() {
        return text(out) + text(err);
    }

    private Project.Run result() {
        Project.Run r = new Project.Run(process.exitValue(), text(out), text(err));
        try {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        } catch (IOException ignored) {
            // a temporary file left behind is harmless
        }
        return r;
    }

    private static String text(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
