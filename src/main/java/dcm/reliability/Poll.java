package dcm.reliability;

import java.util.function.BooleanSupplier;

/** The suite's one way to wait: poll a condition (never sleep and hope), and fail the case with what was awaited. */
final class Poll {
    private Poll() {}

    /** Waits until {@code condition} holds, polling every 50-200 ms; fails the case after {@code seconds}. */
    static void until(String what, long seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long pause = 50;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new Case.Failed("waited " + seconds + " s for " + what);
            }
            pause(pause);
            pause = Math.min(200, pause * 2);
        }
    }

    /** Whether something accepts connections on the local port. */
    static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("localhost", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A port free right now on the loopback. */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The pause between two polls (not a wait for a condition by itself). */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Case.Failed("interrupted");
        }
    }
}
