package dev.appstrate.runner.http;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JSON request (a run's events, its finalize) to a server that takes it and never answers fails after the read timeout:
 * the runner's sender is never held by a hung server. The loopback server is a plain socket that reads and stays silent.
 */
class SilentServerTest {
    @Test
    void aJsonPostToASilentServerFailsAfterTheReadTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            throw new IOException("closed in the head");
                        }
                        head.append((char) b);
                    }
                    in.read(); // the body's first byte, then silence until the client drops the connection
                    while (in.read() >= 0) {
                        // drained until the client leaves
                    }
                    return head.toString();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<HttpTransport.Response> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return HttpTransport.create(Duration.ofSeconds(5)).post(
                            URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api/runs/r/events"),
                            Map.of("Content-Type", "application/cloudevents+json"),
                            "{\"sequence\":1}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1));
                } catch (IOException | InterruptedException e) {
                    throw new CompletionException(e);
                }
            });
            // far longer than the read timeout: before, the request waited for an answer forever
            CompletionException failed = assertThrows(CompletionException.class,
                    () -> call.orTimeout(30, TimeUnit.SECONDS).join().close(), "answered instead of failing");
            assertInstanceOf(SocketTimeoutException.class, failed.getCause(), failed.toString());
            assertTrue(received.get(1, TimeUnit.MINUTES).startsWith("POST /api/runs/r/events"));
        }
    }
}
