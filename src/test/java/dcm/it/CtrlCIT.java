package dcm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.ChildProcess;
import dcm.TestProjects;
import dcm.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    private String tmux(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        TestProjects.Run r = ChildProcess.run(Duration.ofSeconds(30), Map.of(), cmd);
        assertEquals(0, r.exitCode(), String.join(" ", cmd) + "\n" + r.out() + r.err());
        return r.out();
    }

    private String screen() {
        return tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", "shell");
    }

    /** Waits until the screen matches, failing loudly with what it shows after {@code seconds}. */
    private void await(Predicate<String> done, int seconds, String what) {
        Wait.until(what + " on the screen", Duration.ofSeconds(seconds), this::screen, done);
    }

    private void type(String line) {
        tmux("send-keys", "-t", "shell", "-l", line);
        tmux("send-keys", "-t", "shell", "Enter");
    }

    private static long running(String marker) {
        return RowCount.of(TestServers.get().clickhouse(), "SELECT count() FROM system.processes WHERE query LIKE '%"
                + marker + "%' AND query NOT LIKE '%system.processes%'");
    }

    @Test
    void ctrlCCancelsTheRunningQueryOnTheServerAndTheShellGoesOn() throws Exception {
        TestProjects.create(dir, Map.of());
        TestServers.get().clickhouse().execute("CREATE DATABASE IF NOT EXISTS `local`");
        StringBuilder env = new StringBuilder("env TERM=xterm");
        TestServers.ENV.forEach((k, v) -> env.append(' ').append(k).append('=').append(v));
        String shell = env + " " + TestProjects.launcher() + " --project " + dir + " --no-infra --no-color;"
                + " echo shell-exit=$?; sleep 60";
        tmux("new-session", "-d", "-s", "shell", "-x", "200", "-y", "50", shell);
        try {
            await(s -> s.contains("dcm>"), 120, "the prompt");
            String marker = "ctrlc_" + System.nanoTime();
            type("sql SELECT count() AS " + marker + " FROM system.numbers");
            Wait.until("the query to run on ClickHouse", Duration.ofSeconds(30), () -> running(marker) > 0);
            tmux("send-keys", "-t", "shell", "C-c");
            await(s -> s.contains("cancelled: the query was stopped on the server"), 30, "the cancellation");
            Wait.until("the query to stop on ClickHouse after Ctrl-C", Duration.ofSeconds(10),
                    () -> running(marker) == 0);
            type("int answer = 6 * 7;");
            await(s -> s.contains("answer ==> 42"), 60, "Java after the Ctrl-C");
            // the snippet says when it loops: a Ctrl-C sent while it still compiles would prove nothing
            Path looping = dir.resolve("looping");
            type("{ java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + looping + "\"), \"yes\");"
                    + " while (true) { } }");
            Wait.until("the snippet to loop (it writes " + looping + ")", Duration.ofSeconds(60),
                    () -> Files.exists(looping));
            tmux("send-keys", "-t", "shell", "C-c");
            await(s -> s.contains("stopped (Ctrl-C)"), 30, "the snippet stopped");
            type("exit");
            await(s -> s.contains("shell-exit="), 30, "the shell to leave");
            assertTrue(screen().contains("shell-exit=0"), screen());
        } finally {
            // its exit code is not checked: a failure here would hide the test's own
            ChildProcess.run(Duration.ofSeconds(30), Map.of(), List.of("tmux", "-L", socket, "kill-server"));
        }
    }
}
