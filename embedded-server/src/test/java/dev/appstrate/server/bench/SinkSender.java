package dev.appstrate.server.bench;

import dev.appstrate.runner.EventSink;
import dev.appstrate.runner.SinkTarget;
import dev.appstrate.runner.http.HttpTransport;
import dev.appstrate.server.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The fan-out bench's runner when it is our real one: the runner's {@link EventSink} (up to 4 requests in flight, what
 * is waiting sent as one batch) fed from one thread, as the agent loop feeds it. Each event's latency runs from its
 * {@code emit} to the answer of the request that carried it.
 */
final class SinkSender implements AutoCloseable {
    private static final String SEQUENCE = "\"sequence\":";
    private final EventSink sink;
    private final int startSeq;
    /** Events sent by earlier {@link #send} calls (a warm-up): the current call's event i has sequence startSeq + sent + i + 1. */
    private volatile int sent;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long[] emitted = new long[0];
    private volatile long[] latencies = new long[0];
    private volatile long[] scheduled = new long[0];

    private SinkSender(URI server, String runId, String secret, int startSeq) {
        this.startSeq = startSeq;
        HttpTransport real = HttpTransport.create(Duration.ofSeconds(5));
        HttpTransport timed = (uri, headers, body, timeout) -> {
            requests.incrementAndGet();
            HttpTransport.Response r = real.post(uri, headers, body, timeout);
            if (body instanceof HttpTransport.Body.Bytes bytes) {
                answered(new String(bytes.bytes(), StandardCharsets.UTF_8), System.nanoTime());
            }
            return r;
        };
        URI events = URI.create(server + "/api/runs/" + runId + "/events");
        this.sink = new EventSink(new SinkTarget(runId, events, URI.create(events + "/finalize"), URI.create(events + "/heartbeat"),
                secret), timed, Clock.systemUTC());
    }

    /** A sink whose sequence has caught up with the run's: the {@code startSeq} events the real runner sent go again as replays. */
    static SinkSender open(URI server, String runId, String secret, int startSeq) throws InterruptedException {
        SinkSender s = new SinkSender(server, runId, secret, startSeq);
        for (int i = 1; i <= startSeq; i++) {
            s.sink.emit("log.written", Json.object().put("level", "info").put("message", "replayed " + i));
        }
        s.sink.drain(Duration.ofMinutes(1));
        s.requests.set(0);
        return s;
    }

    /** Emits {@code count} log events ({@code flood 0..}), paced at {@code rate} per second when positive, and waits until all are answered. */
    void send(int count, int rate) {
        send("flood ", count, rate);
    }

    /** The same with messages {@code prefix + i}; the latencies are this call's only (a later call starts them again). */
    void send(String prefix, int count, int rate) {
        emitted = new long[count];
        latencies = new long[count];
        scheduled = new long[count];
        long interval = rate > 0 ? 1_000_000_000L / rate : 0;
        long due = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (interval > 0) {
                due += interval;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
                }
            }
            emitted[i] = System.nanoTime();
            scheduled[i] = interval > 0 ? due : emitted[i];
            sink.emit("log.written", Json.object().put("level", "info").put("message", prefix + i));
        }
        try {
            if (!sink.drain(Duration.ofMinutes(10))) {
                throw new IllegalStateException("the sink did not drain");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        sent += count;
    }

    private void answered(String body, long now) {
        long[] e = emitted;
        long[] l = latencies;
        for (int at = body.indexOf(SEQUENCE); at >= 0; at = body.indexOf(SEQUENCE, at + 1)) {
            int end = at + SEQUENCE.length();
            int seq = 0;
            while (end < body.length() && Character.isDigit(body.charAt(end))) {
                seq = seq * 10 + body.charAt(end++) - '0';
            }
            int i = seq - startSeq - sent - 1;
            if (i >= 0 && i < l.length && e[i] > 0) {
                l[i] = now - e[i];
            }
        }
    }

    long[] latencies() {
        return latencies;
    }

    /**
     * Latency from each event's scheduled send time when paced (coordinated omission: a sender that was late, e.g. in a
     * pause, counts its lateness too); the same as {@link #latencies()} unpaced.
     */
    long[] fromSchedule() {
        long[] l = latencies.clone();
        for (int i = 0; i < l.length; i++) {
            l[i] += emitted[i] - scheduled[i];
        }
        return l;
    }

    /**
     * Where the slow events are: for each {@code windowNs} of sending (by emit time, counted from the call's first event), the
     * p99 latency in ms and, after a slash, how many events took over {@code slowNs}; e.g. {@code [12.31/210, 3.02/4, ...]}.
     */
    String byWindow(long windowNs, long slowNs) {
        long[] e = emitted;
        long[] l = latencies;
        StringBuilder out = new StringBuilder("[");
        for (int from = 0; from < e.length; ) {
            long window = (e[from] - e[0]) / windowNs;
            int to = from;
            while (to < e.length && (e[to] - e[0]) / windowNs == window) {
                to++;
            }
            long[] w = Arrays.copyOfRange(l, from, to);
            Arrays.sort(w);
            long slow = Arrays.stream(w).filter(x -> x > slowNs).count();
            out.append(from > 0 ? ", " : "").append(String.format("%.2f/%d", w[(int) (w.length * 0.99)] / 1e6, slow));
            from = to;
        }
        return out.append(']').toString();
    }

    /** Every event of the last call as {@code emit_epoch_ms,latency_us} lines, to line them up with a JFR recording's times. */
    void writeCsv(java.nio.file.Path file) throws java.io.IOException {
        long epochOffsetNs = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
        long[] e = emitted;
        long[] l = latencies;
        StringBuilder out = new StringBuilder("emit_epoch_ms,latency_us\n");
        for (int i = 0; i < e.length; i++) {
            out.append(String.format("%.3f,%d%n", (e[i] + epochOffsetNs) / 1e6, l[i] / 1000));
        }
        java.nio.file.Files.writeString(file, out);
    }

    int requests() {
        return requests.get();
    }

    void resetRequests() {
        requests.set(0);
    }

    @Override
    public void close() {
        sink.close();
    }
}
