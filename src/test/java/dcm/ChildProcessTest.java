package dcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The process helper: both outputs read at once, and a process that hangs is killed, with its children. */
class ChildProcessTest {
    @Test
    void returnsTheExitCodeAndBothOutputs() {
        TestProjects.Run r = ChildProcess.run(Duration.ofSeconds(30), Map.of("GREETING", "hi"),
                List.of("sh", "-c", "echo $GREETING; echo oops >&2; exit 3"));
        assertEquals(new TestProjects.Run(3, "hi\n", "oops\n"), r);
    }

    @Test
    void muchOutputOnBothStreamsDoesNotBlockTheProcess() {
        // far more than a pipe holds (64 KiB), on stderr first: read one after the other, this never ended
        TestProjects.Run r = ChildProcess.run(Duration.ofSeconds(30), Map.of(), List.of("sh", "-c",
                "head -c 2000000 /dev/zero | tr '\\0' e >&2; head -c 2000000 /dev/zero | tr '\\0' o"));
        assertEquals(0, r.exitCode());
        assertEquals(2_000_000, r.out().length());
        assertEquals(2_000_000, r.err().length());
    }

    @Test
    void aProcessThatDoesNotEndIsKilledWithItsChildrenAndTheTestFails() {
        long t0 = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> ChildProcess.run(Duration.ofSeconds(1), Map.of(),
                List.of("sh", "-c", "sleep 60 & echo $!; wait")));
        assertTrue((System.nanoTime() - t0) / 1_000_000_000 < 30, "did not wait for the process to end by itself");
        assertTrue(e.getMessage().contains("did not end in PT1S; killed"), e.getMessage());
        long sleeper = Long.parseLong(e.getMessage().replaceAll("(?s).*--- stdout:\n(\\d+)\n.*", "$1"));
        Wait.until("the child's own child (sleep, pid " + sleeper + ") to be gone", Duration.ofSeconds(10),
                () -> ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
    }
}
