package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.TestProjects;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C in a real terminal ({@code ./shell} in a tmux window: a terminal emulator JLine talks to as to any other):
 * it cancels the running command (the query on ClickHouse too) or Java snippet, never the shell.
 */
class CtrlCIT {
    @TempDir
    Path dir;
    private final String socket = "dcm-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    private String tmux(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tmux " + String.join(" ", args));
        return out;
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", "shell");
    }

    /** Waits until the screen matches, failing loudly with what it shows after {@code seconds}. */
    private void await(Predicate<String> done, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String seen = screen();
        while (!done.test(seen)) {
            assertTrue(System.nanoTime() < deadline, "waited " + seconds + " s for " + what + "; screen:\n" + seen);
            Thread.sleep(100);
            seen = screen();
        }
    }

    private void type(String line) throws Exception {
        tmux("send-keys", "-t", "shell", "-l", line);
        tmux("send-keys", "-t", "shell", "Enter");
    }

    private static long running(String marker) {
        return Long.parseLong(TestServers.get().clickhouse().scalar("SELECT count() FROM system.processes WHERE"
                + " query LIKE '%" + marker + "%' AND query NOT LIKE '%system.processes%' FORMAT TabSeparated"));
    }

    @Test
    void ctrlCCancelsTheRunningQueryOnTheServerAndTheShellGoesOn() throws Exception {
        TestProjects.create(dir, Map.of());
        TestServers.get().clickhouse().execute("CREATE DATABASE IF NOT EXISTS `local`");
        Path home = Path.of(System.getProperty("dcm.home", ".")).toAbsolutePath();
        StringBuilder env = new StringBuilder("env TERM=xterm");
        TestServers.ENV.forEach((k, v) -> env.append(' ').append(k).append('=').append(v));
        String shell = env + " " + home.resolve("shell") + " --project " + dir + " --no-infra --no-color;"
                + " echo shell-exit=$?; sleep 60";
        tmux("new-session", "-d", "-s", "shell", "-x", "200", "-y", "50", shell);
        try {
            await(s -> s.contains("dcm>"), 120, "the prompt");
            String marker = "ctrlc_" + System.nanoTime();
            type("sql SELECT count() AS " + marker + " FROM system.numbers");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (running(marker) == 0) {
                assertTrue(System.nanoTime() < deadline, "the query never ran:\n" + screen());
                Thread.sleep(50);
            }
            tmux("send-keys", "-t", "shell", "C-c");
            await(s -> s.contains("cancelled: the query was stopped on the server"), 30, "the cancellation");
            deadline = System.nanoTime() + 10_000_000_000L;
            while (running(marker) != 0) {
                assertTrue(System.nanoTime() < deadline, "the query still runs on ClickHouse 10 s after Ctrl-C");
                Thread.sleep(50);
            }
            type("int answer = 6 * 7;");
            await(s -> s.contains("answer ==> 42"), 60, "Java after the Ctrl-C");
            type("while (true) { }");
            Thread.sleep(1000);
            tmux("send-keys", "-t", "shell", "C-c");
            await(s -> s.contains("stopped (Ctrl-C)"), 30, "the snippet stopped");
            type("exit");
            await(s -> s.contains("shell-exit="), 30, "the shell to leave");
            assertTrue(screen().contains("shell-exit=0"), screen());
        } finally {
            tmux("kill-server");
        }
    }
}
