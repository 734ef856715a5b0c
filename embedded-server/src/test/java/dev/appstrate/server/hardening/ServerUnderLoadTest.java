package dev.appstrate.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.http.SseStreams;
import dev.appstrate.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15.3 with real sockets: a credential's worth of SSE streams plus slow-body senders take no
 * worker thread each, /health and an authenticated request still answer (within a few seconds: a starved pool never answers), the
 * stream cap answers 429, and clients that vanish free their streams within seconds.
 */
class ServerUnderLoadTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void sseStreamsAndSlowBodiesLeaveTheServerAnswering() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (TestServer s = TestServer.start(dataDir)) {
            int port = s.server().port();
            // the client's first request pays for its own class loading and connection: not the server's time
            assertEquals(200, answerPromptly(s.url() + "/health", null));
            assertEquals(200, answerPromptly(s.url() + "/api/agents", s));
            String sse = "/api/realtime/runs?token=" + s.ownerToken() + "&applicationId=" + s.defaultAppId();
            for (int i = 0; i < SseStreams.MAX_STREAMS_PER_CREDENTIAL; i++) {
                Socket sock = open(port);
                sockets.add(sock);
                send(sock, "GET " + sse + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertTrue(head(sock).startsWith("HTTP/1.1 200"), "stream " + i);
            }
            // one more for the same credential is refused, with a time to come back
            try (Socket extra = open(port)) {
                send(extra, "GET " + sse + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                String refused = head(extra);
                assertTrue(refused.startsWith("HTTP/1.1 429"), refused);
                assertTrue(refused.contains("Retry-After: "), refused);
            }
            // unauthenticated senders of 1 byte of a 100 KB body: refused on the headers, body never awaited
            for (int i = 0; i < 110; i++) {
                Socket sock = open(port);
                sockets.add(sock);
                send(sock, "POST /api/end-users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n{");
                assertTrue(head(sock).startsWith("HTTP/1.1 401"), "unauthenticated slow body " + i);
            }
            // authenticated senders that stall mid-body: each holds its connection, not a thread
            for (int i = 0; i < 110; i++) {
                Socket sock = open(port);
                sockets.add(sock);
                send(sock, "POST /api/end-users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + s.ownerToken()
                        + "\r\nX-App-Id: " + s.defaultAppId() + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{");
            }
            assertEquals(200, answerPromptly(s.url() + "/health", null), "/health under load");
            assertEquals(200, answerPromptly(s.url() + "/api/agents", s), "an authenticated request under load");
            assertTrue(httpThreads() < 60, "streams and stalled bodies hold no worker thread: " + httpThreads());

            for (Socket sock : sockets) {
                sock.close();
            }
            sockets.clear();
            awaitAtMost(10, () -> s.server().openEventStreams(), "vanished clients' streams freed");
            assertEquals(200, answerPromptly(s.url() + "/health", null));
        } finally {
            for (Socket sock : sockets) {
                sock.close();
            }
        }
    }

    private static Socket open(int port) throws IOException {
        Socket sock = new Socket(InetAddress.getLoopbackAddress(), port);
        sock.setSoTimeout(30_000);
        return sock;
    }

    private static void send(Socket sock, String text) throws IOException {
        OutputStream out = sock.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The status line and headers of the response on this socket. */
    private static String head(Socket sock) throws IOException {
        InputStream in = sock.getInputStream();
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    /** Five seconds, not one: a pool starved by streams never answers, and a busy CI machine is not a starved pool. */
    private static int answerPromptly(String url, TestServer owner) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (owner != null) {
            b.header("Authorization", "Bearer " + owner.ownerToken()).header("X-App-Id", owner.defaultAppId());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static long httpThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("http-")).count();
    }

    /** Waits until the count is zero, failing after {@code seconds}. */
    private static void awaitAtMost(int seconds, IntSupplier count, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (count.getAsInt() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, count.getAsInt(), what);
    }
}
