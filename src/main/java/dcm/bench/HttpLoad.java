package dcm.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator for the ingest routes: {@code connections} keep-alive HTTP/1.1 connections on loopback, each
 * sending its next request as soon as the last one was answered, until a duration or a count of requests is
 * reached. A plain socket client (request bytes written once, the response's status and length read), so the
 * generator's own cost is small beside the server's it measures: both share the machine's cores.
 */
public final class HttpLoad {
    /** Builds the body of the request that carries records {@code first} to {@code first + n - 1}. */
    public interface Body {
        byte[] of(long first, int n);
    }

    /** Hears each answered request: its first record, record count and status. */
    public interface Outcome {
        void answered(long first, int n, int status);
    }

    /** What a run measured: requests answered 200 and others, per-request latencies (ns) of the 200s, seconds. */
    public record Result(long ok, long failed, long[] latencies, double seconds) {
        public double requestsPerSecond() {
            return ok / seconds;
        }

        public double percentileMillis(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            return latencies[Math.min(latencies.length - 1, (int) (latencies.length * p))] / 1e6;
        }
    }

    private HttpLoad() {}

    /**
     * Runs {@code connections} connections for at most {@code millis} and {@code maxRequests} requests of
     * {@code perRequest} records each, numbering records from {@code seq}.
     */
    public static Result run(int port, String path, int connections, long millis, long maxRequests, int perRequest,
                      AtomicLong seq, Body body, Outcome outcome) throws InterruptedException {
        AtomicLong started = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<long[]> lats = java.util.Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + millis * 1_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                long[] mine = new long[1024];
                int n = 0;
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
                    while (System.nanoTime() < deadline && started.incrementAndGet() <= maxRequests) {
                        long first = seq.getAndAdd(perRequest);
                        byte[] b = body.of(first, perRequest);
                        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                                + "\r\nContent-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                        byte[] req = Arrays.copyOf(head, head.length + b.length);
                        System.arraycopy(b, 0, req, head.length, b.length);
                        long r0 = System.nanoTime();
                        out.write(req);
                        out.flush();
                        int status = readResponse(in);
                        long lat = System.nanoTime() - r0;
                        outcome.answered(first, perRequest, status);
                        if (status == 200) {
                            ok.incrementAndGet();
                            if (n == mine.length) {
                                mine = Arrays.copyOf(mine, n * 2);
                            }
                            mine[n++] = lat;
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    errors.add(e);
                }
                lats.add(Arrays.copyOf(mine, n));
            }, "load-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the load generator failed: " + errors.get(0), errors.get(0));
        }
        long[] all = lats.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(ok.get(), failed.get(), all, seconds);
    }

    /** Reads one response (status line, headers, a body of Content-Length bytes); returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.substring(9, 12));
        int length = 0;
        String h;
        while (!(h = line(in)).isEmpty()) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        return code;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the server closed the connection");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
