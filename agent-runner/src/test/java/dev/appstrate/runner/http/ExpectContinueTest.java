package dev.appstrate.runner.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file upload ({@code Expect: 100-continue}) to a server that never sends 100 Continue, as a foreign proxy may: the body
 * still goes (after the JDK's short wait, not the whole read timeout) and the answer is read; a server that then never
 * answers at all fails the request after the read timeout instead of holding it forever. The loopback server here is a
 * plain socket standing in for such a proxy.
 */
class ExpectContinueTest {
    @TempDir
    Path dir;

    /** Reads one request's head and its Content-Length body, never sending 100; then answers, or not. */
    private static CompletableFuture<byte[]> serveOnce(ServerSocket server, boolean answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        throw new IOException("closed in the head");
                    }
                    head.write(b);
                }
                String h = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                assertTrue(h.contains("expect: 100-continue"), h);
                int length = Integer.parseInt(h.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
                byte[] body = in.readNBytes(length);
                if (answer) {
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } else {
                    in.read(); // holds the connection open, silent, until the client drops it
                }
                return body;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aServerThatNeverSends100StillGetsTheBodyAndIsAnswered() throws Exception {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        Path file = Files.write(dir.resolve("report.bin"), content);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = serveOnce(server, true);
            // a read timeout far longer than the JDK's own wait for 100: before, the upload waited it out and failed
            try (HttpTransport.Response r = HttpTransport.create(Duration.ofSeconds(5)).post(
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api/runs/r/documents"),
                    Map.of("Content-Type", "application/octet-stream"), HttpTransport.Body.of(file), Duration.ofSeconds(60))) {
                assertEquals(200, r.status());
                assertEquals("{\"ok\":true}", new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            assertArrayEquals(content, received.get(1, TimeUnit.MINUTES), "the whole file arrived");
        }
    }

    @Test
    void aServerThatTakesTheBodyAndNeverAnswersFailsTheRequestAfterTheReadTimeout() throws Exception {
        Path file = Files.write(dir.resolve("note.txt"), "hello".getBytes(StandardCharsets.UTF_8));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = serveOnce(server, false);
            IOException e = assertThrows(IOException.class, () -> HttpTransport.create(Duration.ofSeconds(5)).post(
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api/runs/r/documents"),
                    Map.of("Content-Type", "text/plain"), HttpTransport.Body.of(file), Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("No answer within 1000 ms"), e.toString());
            assertEquals("hello", new String(received.get(1, TimeUnit.MINUTES), StandardCharsets.UTF_8));
        }
    }
}
