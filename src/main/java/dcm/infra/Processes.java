package dcm.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Background server processes tracked by pid files under {@code .moose/}. */
final class Processes {
    private Processes() {}

    /**
     * Starts {@code command} in its own session (setsid), so closing the terminal does not kill it, with output to
     * {@code log}; records its pid in {@code pidFile}.
     */
    static long startDetached(List<String> command, Path workDir, Path log, Path pidFile) throws IOException {
        List<String> full = new java.util.ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            full.add("/usr/bin/setsid");
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Files.writeString(pidFile, Long.toString(p.pid()));
        return p.pid();
    }

    /** The live process recorded in {@code pidFile} whose command line contains {@code marker}. */
    static Optional<ProcessHandle> tracked(Path pidFile, String marker) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> h.info().commandLine()
                    .map(c -> c.contains(marker)).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM, wait up to {@code graceSeconds}, then SIGKILL; removes the pid file. */
    static boolean stop(Path pidFile, String marker, int graceSeconds) throws IOException {
        Optional<ProcessHandle> h = tracked(pidFile, marker);
        if (h.isPresent()) {
            ProcessHandle p = h.get();
            p.destroy();
            try {
                p.onExit().get(graceSeconds, TimeUnit.SECONDS);
            } catch (Exception timeout) {
                p.destroyForcibly();
                try {
                    p.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // reported by the caller through the status afterwards
                }
            }
        }
        Files.deleteIfExists(pidFile);
        return h.isPresent();
    }

    /** Runs a short command to completion, returning its exit code; output goes to {@code log}. */
    static int run(List<String> command, Path log, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** The first executable of {@code names} on the PATH (or /usr/sbin, /usr/bin), or null. */
    static Path which(String... names) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/usr/local/bin";
        for (String name : names) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name);
                }
            }
        }
        return null;
    }

    /** The last {@code n} lines of a log, for error reports. */
    static String tail(Path log, int n) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
