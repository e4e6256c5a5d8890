package dcm.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest load for the restart cases: threads posting requests of {@link #PER} records of the guard's model to
 * {@code /ingest/Ev/1.0}, each record with an id of its own; the ids of every request answered 200 (acknowledged)
 * are kept, and the other answers counted by status.
 */
final class IngestProducer implements AutoCloseable {
    static final int PER = 20;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final String prefix;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong next = new AtomicLong();
    private final Thread[] threads;

    IngestProducer(int port, String prefix, int threads) {
        this.port = port;
        this.prefix = prefix;
        this.threads = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            this.threads[i] = new Thread(this::loop, "ingest-load-" + i);
            this.threads[i].setDaemon(true);
            this.threads[i].start();
        }
    }

    private void loop() {
        while (running.get()) {
            long first = next.getAndAdd(PER);
            StringBuilder body = new StringBuilder();
            for (long i = first; i < first + PER; i++) {
                body.append(Guard.record(prefix + i, (int) (i % 1000))).append('\n');
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/ingest/Ev/1.0")).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers
                        .ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    for (long i = first; i < first + PER; i++) {
                        acked.add(prefix + i);
                    }
                } else {
                    count(String.valueOf(r.statusCode()));
                    Poll.pause(100); // a client's back-off before the next request, not a wait for a condition
                }
            } catch (java.io.IOException e) {
                count("no answer");
                Poll.pause(100);
            } catch (InterruptedException e) {
                return;
            } catch (Case.Failed e) {
                return;
            }
        }
    }

    private void count(String what) {
        refused.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** How many records were acknowledged so far. */
    long acked() {
        return acked.size();
    }

    /** The acknowledged ids (once stopped: all of them). */
    Set<String> ackedIds() {
        return acked;
    }

    /** The answers other than 200, by status. */
    Map<String, AtomicLong> refused() {
        return refused;
    }

    /** Waits until {@code more} records more than now are acknowledged. */
    void awaitMore(long more, long seconds) {
        long target = acked() + more;
        Poll.until(target + " acknowledged records (refused so far: " + refused + ")", seconds,
                () -> acked() >= target);
    }

    /** Stops the threads after their request in flight. */
    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(90_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
