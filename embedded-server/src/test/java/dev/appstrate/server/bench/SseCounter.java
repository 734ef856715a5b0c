package dev.appstrate.server.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A lean SSE subscriber for the bench: HTTP/1.0 (no chunking), counts {@code run_log} frames by their
 * {@code id:} lines, checks the ids only ever increase and remembers the last frame's data. Parsing
 * every frame into strings in the bench's own JVM would compete for the same two cores as the server.
 */
final class SseCounter {
    final int count;
    final boolean ascending;
    final String lastData;
    final long doneNanos;

    private SseCounter(int count, boolean ascending, String lastData, long doneNanos) {
        this.count = count;
        this.ascending = ascending;
        this.lastData = lastData;
        this.doneNanos = doneNanos;
    }

    /**
     * {@code n} subscribers reading {@code expected} frames each on {@code pool}; returns once they are connected and
     * registered (the server registers a subscription before its first ping).
     */
    static List<CompletableFuture<SseCounter>> subscribe(URI sse, int n, int expected, ExecutorService pool) throws InterruptedException {
        CountDownLatch connected = new CountDownLatch(n);
        List<CompletableFuture<SseCounter>> subs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            subs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return read(sse, expected, connected::countDown);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        connected.await(60, TimeUnit.SECONDS);
        Thread.sleep(500); // the subscriptions are registered once the ping went out
        return subs;
    }

    /** Reads until {@code expected} frames with ids arrived (and the data of the last one). */
    static SseCounter read(URI url, int expected, Runnable connected) throws IOException {
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.0\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            LineReader in = new LineReader(s.getInputStream());
            byte[] line = new byte[64 * 1024];
            int len = in.readLine(line);
            if (!new String(line, 0, len, StandardCharsets.US_ASCII).contains(" 200 ")) {
                throw new IOException("SSE answered " + new String(line, 0, len, StandardCharsets.US_ASCII));
            }
            while (in.readLine(line) > 0) {
                // headers
            }
            connected.run();
            int count = 0;
            long last = -1;
            boolean ascending = true;
            while (true) {
                len = in.readLine(line);
                if (len > 4 && line[0] == 'i' && line[1] == 'd' && line[2] == ':') {
                    long id = 0;
                    for (int i = 4; i < len; i++) {
                        id = id * 10 + (line[i] - '0');
                    }
                    ascending &= id > last;
                    last = id;
                    count++;
                } else if (count == expected && len > 5 && line[0] == 'd' && line[1] == 'a') {
                    return new SseCounter(count, ascending, new String(line, 0, len, StandardCharsets.UTF_8), System.nanoTime());
                }
            }
        }
    }
}
