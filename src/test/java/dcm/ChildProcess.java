package dcm;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one way tests run a child process: standard input empty, standard output and error read at the same time
 * (one read to the end before the other deadlocks once the other's pipe buffer fills, and the time-out never comes),
 * a time-out after which the process and its own children are killed and the test fails with what they printed.
 */
public final class ChildProcess {
    /** How long the output may stay open after the process ended (a grandchild that kept it), before failing. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private ChildProcess() {}

    /**
     * Runs {@code command} with the environment plus {@code env} and returns its exit code and output.
     *
     * @throws AssertionError when it does not end within {@code timeout} (it is killed first), or cannot start
     */
    public static TestProjects.Run run(Duration timeout, Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null")));
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        }
        Drain out = new Drain(p.getInputStream(), "stdout of " + command.get(0));
        Drain err = new Drain(p.getErrorStream(), "stderr of " + command.get(0));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                // its children first: a launcher killed alone leaves the JVM it started running
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                out.join(DRAIN.toMillis());
                err.join(DRAIN.toMillis());
                throw new AssertionError(String.join(" ", command) + " did not end in " + timeout + "; killed."
                        + "\n--- stdout:\n" + out.text() + "\n--- stderr:\n" + err.text());
            }
            out.join(DRAIN.toMillis());
            err.join(DRAIN.toMillis());
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
        if (out.isAlive() || err.isAlive()) {
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + " but its output stayed"
                    + " open " + DRAIN + " longer (a process it started holds it?)\n--- stdout:\n" + out.text()
                    + "\n--- stderr:\n" + err.text());
        }
        return new TestProjects.Run(p.exitValue(), out.text(), err.text());
    }

    /** Reads one stream to its end on a thread of its own, keeping what came so far. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile IOException failed;

        Drain(InputStream in, String name) {
            super(name);
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (bytes) {
                        bytes.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the stream closes when the process is killed: what came so far is kept
                failed = e;
            }
        }

        String text() {
            synchronized (bytes) {
                String s = bytes.toString(StandardCharsets.UTF_8);
                return failed == null ? s : s + "\n(reading stopped: " + failed.getMessage() + ")";
            }
        }
    }
}
