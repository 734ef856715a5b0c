package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.startRun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.StandardWebhookSignature;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.TestServer;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an ingested event's time goes, layer by layer (BENCHMARKS.md, fan-out findings): SQLite, EventIngestion, socket, JDK client. */
@Tag("bench")
class IngestLayersBench {
    @TempDir
    Path dataDir;

    @Test
    void probe() throws Exception {
        int n = Integer.getInteger("probe.n", 2000);
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 600"))).start();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "flood", null);
            String runId = startRun(s, "flood", "{}").get("id").asText();
            InFlightRuns inFlight = s.server().components().inFlightRuns();
            ActiveRun run = null;
            for (int i = 0; i < 300 && (run = BenchAccess.activeRun(inFlight, runId)) == null; i++) {
                Thread.sleep(10);
            }
            Thread.sleep(3000);
            long pid = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("AgentRunner"))
                    .mapToLong(ProcessHandle::pid).findFirst().orElseThrow();
            new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor();
            AtomicInteger seq = new AtomicInteger(run.lastSequence);
            // 1. SQLite alone
            RunRepository repo = s.server().components().runRepository();
            EventIngestion ingestion = s.server().components().eventIngestion();
            long[] lat = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                repo.appendLog(runId, run.orgId, new RunRepository.NewLog("progress", "info", "log", "probe " + i, null), "2026-01-01T00:00:00Z");
                lat[i] = System.nanoTime() - t;
            }
            report("sqlite appendLog", lat);
            // 2. EventIngestion.ingest in-process, one thread
            for (int i = 0; i < n; i++) {
                JsonNode ev = Json.MAPPER.readTree(event(runId, seq.incrementAndGet(), i));
                long t = System.nanoTime();
                ingestion.ingest(run, ev);
                lat[i] = System.nanoTime() - t;
            }
            report("ingestion.ingest", lat);
            StandardWebhookSignature sig = new StandardWebhookSignature(run.sinkSecret);
            String path = "/api/runs/" + runId + "/events";
            URI u = URI.create(s.url());
            // 3. raw socket keep-alive, sequential
            for (boolean nodelay : new boolean[] {true, false}) {
                try (Socket sock = new Socket(u.getHost(), u.getPort())) {
                    sock.setTcpNoDelay(nodelay);
                    OutputStream os = sock.getOutputStream();
                    InputStream is = new BufferedInputStream(sock.getInputStream());
                    for (int i = 0; i < n; i++) {
                        String body = event(runId, seq.incrementAndGet(), i);
                        StringBuilder req = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
                        sig.headers(body).forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
                        req.append("\r\n").append(body);
                        long t = System.nanoTime();
                        os.write(req.toString().getBytes(StandardCharsets.UTF_8));
                        os.flush();
                        readResponse(is);
                        lat[i] = System.nanoTime() - t;
                    }
                }
                report("raw socket nodelay=" + nodelay, lat);
            }
            // 4. JDK HttpClient sequential
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < n; i++) {
                String body = event(runId, seq.incrementAndGet(), i);
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
                sig.headers(body).forEach(b::header);
                long t = System.nanoTime();
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                lat[i] = System.nanoTime() - t;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(r.body());
                }
            }
            report("jdk httpclient", lat);
            // 5. a GET /health on the JDK client (no SQLite write, no signature)
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                http.send(HttpRequest.newBuilder(URI.create(s.url() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                lat[i] = System.nanoTime() - t;
            }
            report("jdk httpclient GET /health", lat);
            // 6. eight threads in-process (no HTTP), shared counter: out of order like the bench
            for (int threads : new int[] {8}) {
                AtomicInteger next = new AtomicInteger();
                int base = seq.get();
                final ActiveRun r0 = run;
                long t0 = System.nanoTime();
                Thread[] ts = new Thread[threads];
                for (int w = 0; w < threads; w++) {
                    ts[w] = new Thread(() -> {
                        for (int i; (i = next.getAndIncrement()) < n; ) {
                            try {
                                ingestion.ingest(r0, Json.MAPPER.readTree(event(runId, base + 1 + i, i)));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    });
                    ts[w].start();
                }
                for (Thread t : ts) {
                    t.join();
                }
                seq.addAndGet(n);
                System.out.printf("PROBE in-process %d threads per_s=%.0f%n", threads, n / ((System.nanoTime() - t0) / 1e9));
            }
            // 7. eight raw keep-alive sockets, sequential each
            {
                AtomicInteger next = new AtomicInteger();
                int base = seq.get();
                long t0 = System.nanoTime();
                Thread[] ts = new Thread[8];
                for (int w = 0; w < 8; w++) {
                    ts[w] = new Thread(() -> {
                        try (Socket sock = new Socket(u.getHost(), u.getPort())) {
                            sock.setTcpNoDelay(true);
                            OutputStream os = sock.getOutputStream();
                            InputStream is = new BufferedInputStream(sock.getInputStream());
                            for (int i; (i = next.getAndIncrement()) < n; ) {
                                String body = event(runId, base + 1 + i, i);
                                StringBuilder req = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
                                sig.headers(body).forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
                                req.append("\r\n").append(body);
                                os.write(req.toString().getBytes(StandardCharsets.UTF_8));
                                os.flush();
                                readResponse(is);
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    ts[w].start();
                }
                for (Thread t : ts) {
                    t.join();
                }
                seq.addAndGet(n);
                System.out.printf("PROBE raw 8 sockets per_s=%.0f%n", n / ((System.nanoTime() - t0) / 1e9));
            }
            new ProcessBuilder("kill", "-CONT", String.valueOf(pid)).start().waitFor();
        }
    }

    private static void readResponse(InputStream is) throws Exception {
        StringBuilder line = new StringBuilder();
        int len = 0;
        while (true) {
            int c = is.read();
            if (c == '\n') {
                String l = line.toString().trim();
                line.setLength(0);
                if (l.isEmpty()) {
                    break;
                }
                if (l.toLowerCase().startsWith("content-length:")) {
                    len = Integer.parseInt(l.substring(15).trim());
                }
            } else {
                line.append((char) c);
            }
        }
        is.readNBytes(len);
    }

    private static String event(String runId, int seq, int i) {
        return "{\"specversion\":\"1.0\",\"type\":\"log.written\",\"source\":\"/afps/runs/" + runId + "\",\"id\":\"" + UUID.randomUUID()
                + "\",\"datacontenttype\":\"application/json\",\"data\":{\"level\":\"info\",\"message\":\"flood " + i
                + "\"},\"sequence\":" + seq + "}";
    }

    private static void report(String what, long[] lat) {
        long[] c = lat.clone();
        Arrays.sort(c);
        long sum = 0;
        for (long l : c) {
            sum += l;
        }
        System.out.printf("PROBE %-28s n=%d mean=%.3fms p50=%.3fms p99=%.3fms max=%.3fms per_s=%.0f%n", what, c.length, sum / 1e6 / c.length,
                c[c.length / 2] / 1e6, c[(int) (c.length * 0.99)] / 1e6, c[c.length - 1] / 1e6, c.length / (sum / 1e9));
    }
}
