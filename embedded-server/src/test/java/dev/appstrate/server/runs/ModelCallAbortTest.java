package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.testing.Await;
import dev.appstrate.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's end aborts its model calls in the sidecar at once: the provider sees its connection closed (it stops
 * generating for a run that is gone) and the sidecar's caller is told the run ended. Real runner, real server; the
 * provider is a loopback socket that takes the request and never finishes its answer.
 */
class ModelCallAbortTest {
    @TempDir
    Path dataDir;

    @Test
    void cancellingARunClosesItsModelCallThatNeverAnswered() throws Exception {
        cancelWhileTheProviderIsSilent(false);
    }

    @Test
    void cancellingARunClosesItsModelCallStalledMidAnswer() throws Exception {
        cancelWhileTheProviderIsSilent(true);
    }

    private void cancelWhileTheProviderIsSilent(boolean startsAnswering) throws Exception {
        ExecutorService caller = NamedExecutors.single("sidecar-caller");
        try (SilentProvider provider = new SilentProvider(startsAnswering);
             TestServer s = TestServer.start(dataDir);
             AutoCloseable stopCaller = NamedExecutors.closer(caller)) {
            addModel(s, "openai-compatible", provider.baseUrl());
            addAgent(s, "silent", null);
            String runId = startRun(s, "silent", "{}").get("id").asText();
            long pid = RunLifecycleTest.awaitRunnerPid(runId);
            Await.until("the runner's model call reached the provider", () -> provider.requests() == 1);
            // one more call with the run's placeholder key, as the runner makes them, so the test sees its answer
            String key = runnerEnv(pid, "MODEL_API_KEY");
            CompletableFuture<HttpResponse<String>> own = CompletableFuture.supplyAsync(() -> s.raw("POST",
                    "/internal/llm/" + runId + "/v1/chat/completions",
                    "{\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                            .getBytes(StandardCharsets.UTF_8),
                    Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json")), caller);
            Await.until("both model calls reached the provider", () -> provider.requests() == 2);

            HttpResponse<String> c = s.post("/api/runs/" + runId + "/cancel", null);
            assertEquals(200, c.statusCode(), c.body());

            Await.until("the provider saw both connections closed", () -> provider.closed() == 2);
            Await.until("the sidecar's caller got its answer", own::isDone);
            if (!startsAnswering) {
                HttpResponse<String> answer = own.get();
                assertEquals(409, answer.statusCode(), answer.body());
                assertEquals("run_ended", TestServer.json(answer).get("code").asText(), answer.body());
            }
            // a run that has ended takes no more model calls
            HttpResponse<String> after = s.raw("POST", "/internal/llm/" + runId + "/v1/chat/completions", "{}"
                    .getBytes(StandardCharsets.UTF_8), Map.of("Authorization", "Bearer " + key));
            assertEquals(401, after.statusCode(), after.body());
            assertEquals(2, provider.requests());
        }
    }

    @Test
    void stoppingTheServerClosesTheModelCallsOfItsRunsInsteadOfWaitingOutItsGrace() throws Exception {
        ExecutorService stopper = NamedExecutors.single("server-stop");
        try (SilentProvider provider = new SilentProvider(false);
             TestServer s = TestServer.start(dataDir);
             AutoCloseable stopStopper = NamedExecutors.closer(stopper)) {
            addModel(s, "openai-compatible", provider.baseUrl());
            addAgent(s, "stopped", null);
            startRun(s, "stopped", "{}");
            Await.until("the runner's model call reached the provider", () -> provider.requests() == 1);
            // a grace far longer than the wait below: only an abort closes the call in time
            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> s.server().stop(Duration.ofMinutes(5)), stopper);
            Await.until("the provider saw the connection closed", () -> provider.closed() == 1);
            Await.until("the server stopped", stop::isDone);
        }
    }

    private static String runnerEnv(long pid, String name) throws IOException {
        for (String kv : Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1).split("\0")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        throw new AssertionError(name + " not in the runner's environment");
    }

    /**
     * A model provider on loopback that reads each request and then never finishes its answer: nothing at all, or
     * the headers and the first event of a stream. It counts the requests read and the connections the client closed.
     */
    private static final class SilentProvider implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        private final ExecutorService connections = NamedExecutors.cached("silent-provider");
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicInteger closed = new AtomicInteger();
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private final boolean startsAnswering;

        SilentProvider(boolean startsAnswering) throws IOException {
            this.startsAnswering = startsAnswering;
            connections.execute(this::accept);
        }

        String baseUrl() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
        }

        int requests() {
            return requests.get();
        }

        int closed() {
            return closed.get();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket c = socket.accept();
                    open.add(c);
                    connections.execute(() -> serve(c));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket c) {
            try (c; InputStream in = c.getInputStream()) {
                readRequest(in);
                requests.incrementAndGet();
                if (startsAnswering) {
                    c.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n" + chunk("data: {\"choices\":[]}\n\n"))
                            .getBytes(StandardCharsets.UTF_8));
                    c.getOutputStream().flush();
                }
                while (in.read() != -1) {
                    // nothing more is expected: wait for the client to close
                }
            } catch (IOException e) {
                // reset by the client: closed as well
            }
            closed.incrementAndGet();
        }

        private static String chunk(String data) {
            return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
        }

        private static void readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    break;
                }
            }
            int length = 0;
            for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            assertTrue(in.readNBytes(length).length == length, "the request's body was cut");
        }

        @Override
        public void close() throws Exception {
            socket.close();
            for (Socket c : open) {
                c.close();
            }
            connections.shutdownNow();
            connections.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
