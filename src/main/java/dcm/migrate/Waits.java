package dcm.migrate;

import dcm.clickhouse.ClickHouse;
import java.util.List;
import java.util.function.Supplier;

/** Waiting on ClickHouse: poll a {@code count() AS n} query until it says 0, or give up with an apply error. */
final class Waits {
    private Waits() {}

    /**
     * Polls {@code countSql} (re-built each time, it may depend on the clock) every {@code pollMs} until its
     * {@code n} is 0; after {@code timeoutMs} throws with {@code what} and {@code hint}.
     */
    static void untilZero(ClickHouse ch, Supplier<String> countSql, long pollMs, long timeoutMs, String what,
                          String hint) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!"0".equals(String.valueOf(ch.query(countSql.get(), false).get(0, "n")))) {
            if (System.currentTimeMillis() > deadline) {
                throw new ApplyException(what, List.of(), hint);
            }
            try {
                Thread.sleep(pollMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApplyException("interrupted while waiting: " + what, List.of(), "run apply again");
            }
        }
    }
}
