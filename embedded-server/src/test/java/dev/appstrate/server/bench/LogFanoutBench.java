package dev.appstrate.server.bench;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.startRun;

import dev.appstrate.runner.SinkSignature;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.runs.BenchAccess;
import dev.appstrate.server.runs.InFlightRuns;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log fan-out: one run receives N signed log.written events (the bench plays the runner, with
 * several connections, so events also arrive out of order) while 10 SSE subscribers follow it.
 * Reports events/s ingested and delivered and checks every subscriber got every log once.
 */
@Tag("bench")
class LogFanoutBench {
    @TempDir
    Path dataDir;

    @Test
    void fanout() throws Exception {
        int events = Integer.getInteger("bench.events", 100_000);
        int senders = Integer.getInteger("bench.senders", 8);
        int subscribers = Integer.getInteger("bench.subscribers", 10);
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 600")))
                .start();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "flood", null);
            String runId = startRun(s, "flood", "{}").get("id").asText();
            InFlightRuns inFlight = s.server().components().inFlightRuns();
            String secret = null;
            for (int i = 0; i < 200 && secret == null; i++) {
                secret = BenchAccess.sinkSecret(inFlight, runId);
                Thread.sleep(10);
            }
            // let the real runner post its first events, then stop it so the bench owns the sequence
            Thread.sleep(3000);
            long pid = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("AgentRunner"))
                    .mapToLong(ProcessHandle::pid).findFirst().orElseThrow();
            new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor();
            int startSeq = lastSequence(s, runId);
            ExecutorService pool = Executors.newFixedThreadPool(subscribers + senders);
            String sse = s.url() + "/api/realtime/runs/" + runId + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                    + s.defaultAppId() + "&channels=run_log";
            List<CompletableFuture<Integer>> subs = new ArrayList<>();
            AtomicLong lastDelivery = new AtomicLong();
            for (int i = 0; i < subscribers; i++) {
                subs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        AtomicInteger n = new AtomicInteger();
                        SseClient.read(sse + "&replay=false", null, f -> {
                            if (f.data().contains("\"message\":\"flood " + (events - 1) + "\"")) {
                                lastDelivery.accumulateAndGet(System.nanoTime(), Math::max);
                                return true;
                            }
                            n.incrementAndGet();
                            return false;
                        }, Integer.MAX_VALUE, new java.util.AbstractList<>() {
                            public SseClient.Frame get(int i) {
                                return null;
                            }

                            public int size() {
                                return 0;
                            }

                            public boolean add(SseClient.Frame f) {
                                return true;
                            }
                        });
                        return n.get() + 1;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            Thread.sleep(1000);
            SinkSignature sig = new SinkSignature(secret);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(senders)).build();
            AtomicInteger next = new AtomicInteger();
            String url = s.url() + "/api/runs/" + runId + "/events";
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> posters = new ArrayList<>();
            for (int w = 0; w < senders; w++) {
                posters.add(CompletableFuture.runAsync(() -> {
                    for (int i; (i = next.getAndIncrement()) < events; ) {
                        String body = "{\"specversion\":\"1.0\",\"type\":\"log.written\",\"source\":\"/afps/runs/" + runId + "\",\"id\":\""
                                + UUID.randomUUID() + "\",\"datacontenttype\":\"application/json\",\"data\":{\"level\":\"info\",\"message\":\"flood "
                                + i + "\"},\"sequence\":" + (startSeq + 1 + i) + "}";
                        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
                        sig.headers(body).forEach(b::header);
                        try {
                            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                throw new IllegalStateException(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(posters.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            long ingestNs = System.nanoTime() - t0;
            int[] counts = new int[subscribers];
            for (int i = 0; i < subscribers; i++) {
                counts[i] = subs.get(i).get(10, TimeUnit.MINUTES);
            }
            long deliverNs = lastDelivery.get() - t0;
            int persisted = lastSequence(s, runId) - startSeq;
            System.out.printf("BENCH log-fanout events=%d senders=%d subscribers=%d ingested_per_s=%.0f delivered_all_per_s=%.0f "
                            + "persisted=%d per_subscriber=%s%n", events, senders, subscribers, events / (ingestNs / 1e9),
                    events / (deliverNs / 1e9), persisted, java.util.Arrays.toString(counts));
            new ProcessBuilder("kill", "-CONT", String.valueOf(pid)).start().waitFor();
            pool.shutdownNow();
        }
    }

    private static int lastSequence(TestServer s, String runId) {
        return s.server().database().read(c -> (int) dev.appstrate.server.store.Rows.count(c,
                "SELECT last_event_sequence FROM runs WHERE id=?", runId));
    }
}
