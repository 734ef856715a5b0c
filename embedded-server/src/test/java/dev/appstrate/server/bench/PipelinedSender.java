package dev.appstrate.server.bench;

import dev.appstrate.runner.StandardWebhookSignature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The bench's runner: one keep-alive HTTP/1.1 connection that sends signed events without waiting for
 * each answer (up to {@code window} in flight; 1 = one request at a time) and times every round trip.
 * A raw socket because the JDK client neither pipelines nor stays out of the way: it measured 1–2 ms per
 * sequential POST against 0.3–0.4 ms for the same request on a socket.
 */
final class PipelinedSender implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final LineReader in;
    private final String head;
    private final StandardWebhookSignature sig;
    private final BlockingQueue<Long> inFlight;
    private final Semaphore slots;
    private final long[] latencies;
    private int answered;
    private int written;

    PipelinedSender(URI server, String path, StandardWebhookSignature sig, int window, int expected) throws IOException {
        this(server, path, sig, window, expected, "application/cloudevents+json");
    }

    /** @param contentType {@code application/cloudevents-batch+json} when each body is a batch of events */
    PipelinedSender(URI server, String path, StandardWebhookSignature sig, int window, int expected, String contentType) throws IOException {
        this.socket = new Socket(server.getHost(), server.getPort());
        socket.setTcpNoDelay(true);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.in = new LineReader(socket.getInputStream());
        this.head = "POST " + path + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
                + "\r\nContent-Type: " + contentType + "\r\n";
        this.sig = sig;
        this.inFlight = new LinkedBlockingQueue<>();
        this.slots = new Semaphore(window);
        this.latencies = new long[expected];
    }

    /**
     * Waits for room in the window. Called before the event's sequence is taken: a sender holding a sequence while
     * its window is full of events waiting for that very sequence would stall until the server's gap timeout.
     */
    void reserve() throws Exception {
        if (!slots.tryAcquire()) {
            out.flush();
            slots.acquire();
        }
    }

    /** Sends one request, an event or a batch (after {@link #reserve()}). */
    void send(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder(head.length() + 256 + bytes.length);
        req.append(head).append("Content-Length: ").append(bytes.length).append("\r\n");
        sig.headers(body).forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        byte[] h = req.toString().getBytes(StandardCharsets.UTF_8);
        inFlight.put(System.nanoTime());
        out.write(h);
        out.write(bytes);
        written++;
        if (inFlight.size() == 1 || written % 16 == 0) {
            out.flush();
        }
    }

    /** Sends what is buffered and tells the reader nothing more comes. */
    void finish() throws Exception {
        out.flush();
        inFlight.put(-1L);
    }

    /** Reads answers until the sender finished; each must be 200. Runs on its own thread. */
    void readAnswers() throws Exception {
        byte[] line = new byte[8192];
        for (long sent; (sent = inFlight.take()) >= 0; ) {
            int len = readLineOrClosed(line);
            String status = new String(line, 0, len, StandardCharsets.US_ASCII);
            int contentLength = 0;
            while ((len = readLineOrClosed(line)) > 0) {
                if (len > 15 && (line[0] == 'C' || line[0] == 'c')) {
                    String hdr = new String(line, 0, len, StandardCharsets.US_ASCII);
                    if (hdr.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        contentLength = Integer.parseInt(hdr.substring(15).trim());
                    }
                }
            }
            byte[] body = in.read(contentLength);
            slots.release();
            latencies[answered++] = System.nanoTime() - sent;
            if (!status.contains(" 200 ")) {
                throw new IllegalStateException(status + " " + new String(body, StandardCharsets.UTF_8));
            }
        }
    }

    private int readLineOrClosed(byte[] buf) throws IOException {
        try {
            return in.readLine(buf);
        } catch (IOException e) {
            throw new IOException("connection closed after " + answered + " answers", e);
        }
    }

    long[] latencies() {
        return java.util.Arrays.copyOf(latencies, answered);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
