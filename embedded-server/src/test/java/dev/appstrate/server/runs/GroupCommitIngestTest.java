package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.StandardWebhookSignature;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.ServerProcess;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runner events are committed in groups: whatever the arrival order over concurrent connections, each
 * event is stored once, in sequence order, reaches a live subscriber in that order, and is
 * acknowledged only once it is committed (a server killed right after an answer still has the event).
 */
class GroupCommitIngestTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void concurrentOutOfOrderSendersStoreEveryEventOnceInSequenceOrder() throws Exception {
        int events = 400;
        int senders = 16;
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 600"))).start();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "ordered", null);
            String runId = startRun(s, "ordered", "{}").get("id").asText();
            RunLifecycleTest.awaitStatus(s, runId, "running");
            long runner = RunLifecycleTest.awaitRunnerPid(runId);
            signal("STOP", runner); // the test plays the runner from here on
            try {
                ActiveRun run = BenchAccess.activeRun(s.server().components().inFlightRuns(), runId);
                int start = quietSequence(run);
                String sse = s.url() + "/api/realtime/runs/" + runId + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                        + s.defaultAppId() + "&channels=run_log&replay=false";
                List<SseClient.Frame> seen = Collections.synchronizedList(new ArrayList<>());
                CompletableFuture<List<SseClient.Frame>> subscriber = CompletableFuture.supplyAsync(() -> {
                    try {
                        return SseClient.read(sse, null, f -> f.data().contains("\"ordered " + (events - 1) + "\""), events + 10, seen);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                awaitSubscriber(s);

                // each sender posts its own share in ascending order; the shares interleave, so arrival is out of order
                List<List<Integer>> shares = new ArrayList<>();
                for (int w = 0; w < senders; w++) {
                    shares.add(new ArrayList<>());
                }
                Random random = new Random(7);
                for (int i = 0; i < events; i++) {
                    shares.get(random.nextInt(senders)).add(i);
                }
                ExecutorService pool = Executors.newFixedThreadPool(senders);
                Set<String> outcomes = ConcurrentHashMap.newKeySet();
                List<CompletableFuture<Void>> posts = new ArrayList<>();
                for (List<Integer> share : shares) {
                    posts.add(CompletableFuture.runAsync(() -> {
                        for (int i : share) {
                            HttpResponse<String> r = post(s.url(), runId, run.sinkSecret, start + 1 + i, "ordered " + i);
                            assertEquals(200, r.statusCode(), r.body());
                            outcomes.add(TestServer.json(r).get("outcome").asText());
                        }
                    }, pool));
                }
                CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
                pool.shutdown();
                assertEquals(Set.of("persisted"), outcomes, "every answer came after its commit");
                HttpResponse<String> again = post(s.url(), runId, run.sinkSecret, start + 1 + 17, "ordered 17 again");
                assertEquals("replay", TestServer.json(again).get("outcome").asText());

                List<String> stored = s.server().database().read(c -> Rows.list(c, "SELECT message FROM run_logs WHERE run_id=? "
                        + "AND message LIKE 'ordered %' ORDER BY id", rs -> rs.getString(1), runId));
                assertEquals(expected(events), stored, "each event stored once, in sequence order");
                assertEquals((long) (start + events), (long) s.server().database().read(c -> Rows.count(c,
                        "SELECT last_event_sequence FROM runs WHERE id=?", runId)));

                List<String> delivered = new ArrayList<>();
                long lastId = -1;
                for (SseClient.Frame f : subscriber.get(1, TimeUnit.MINUTES)) {
                    String message = f.json().path("message").asText();
                    if (message.startsWith("ordered ")) {
                        delivered.add(message);
                        assertTrue(Long.parseLong(f.id()) > lastId, "log ids only increase on the stream");
                        lastId = Long.parseLong(f.id());
                    }
                }
                assertEquals(expected(events), delivered, "the live subscriber saw every event once, in order");
            } finally {
                signal("CONT", runner);
                s.post("/api/runs/" + runId + "/cancel", null);
            }
        }
    }

    @Test
    void anAcknowledgedEventSurvivesAServerKilledRightAfterTheAnswer() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 600"))).start()) {
            String appId;
            try (TestServer setup = TestServer.start(dataDir)) {
                addModel(setup, "openai-compatible", model.baseUrl());
                addAgent(setup, "durable", null);
                appId = setup.defaultAppId();
            }
            Process server = ServerProcess.builder(TestServer.env(dataDir, Map.of("LOG_LEVEL", "info"))).redirectErrorStream(true).start();
            String runId = null;
            long runner = -1;
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            try {
                String url = RunSinkProtocolTest.awaitReady(server);
                HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/agents/@local/durable/run"))
                        .header("Authorization", "Bearer " + TestServer.OWNER_TOKEN).header("X-App-Id", appId)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, started.statusCode(), started.body());
                runId = TestServer.json(started).get("id").asText();
                runner = RunLifecycleTest.awaitRunnerPid(runId);
                signal("STOP", runner);
                String secret = sinkSecret(runner);
                // the runner's last sequence: the first sequence the server does not call a replay
                int next = 1;
                while (true) {
                    HttpResponse<String> r = post(url, runId, secret, next, "probe " + next);
                    assertEquals(200, r.statusCode(), r.body());
                    if (!TestServer.json(r).get("outcome").asText().equals("replay")) {
                        break;
                    }
                    next++;
                }
                AtomicInteger sequence = new AtomicInteger(next);
                String id = runId;
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<CompletableFuture<Void>> posts = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    posts.add(CompletableFuture.runAsync(() -> {
                        try {
                            while (true) {
                                int seq = sequence.incrementAndGet();
                                HttpResponse<String> r = post(url, id, secret, seq, "durable " + seq);
                                if (r.statusCode() == 200 && TestServer.json(r).get("outcome").asText().equals("persisted")) {
                                    acknowledged.add("durable " + seq);
                                }
                            }
                        } catch (Exception connectionGone) {
                            // the server was killed
                        }
                    }, pool));
                }
                while (acknowledged.size() < 300) {
                    Thread.onSpinWait();
                }
                server.toHandle().destroyForcibly(); // SIGKILL while events are in flight
                server.waitFor(30, TimeUnit.SECONDS);
                CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
                pool.shutdown();
            } finally {
                server.destroyForcibly();
                if (runner > 0) {
                    signal("CONT", runner);
                }
            }
            try (TestServer rebooted = TestServer.start(dataDir)) {
                String id = runId;
                List<String> stored = rebooted.server().database().read(c -> Rows.list(c, "SELECT message FROM run_logs WHERE run_id=? "
                        + "AND message LIKE 'durable %' ORDER BY id", rs -> rs.getString(1), id));
                assertTrue(stored.containsAll(acknowledged), "every acknowledged event is stored after the crash ("
                        + acknowledged.size() + " acknowledged, " + stored.size() + " stored)");
                for (int k = 1; k < stored.size(); k++) {
                    assertEquals(Integer.parseInt(stored.get(k - 1).substring(8)) + 1, Integer.parseInt(stored.get(k).substring(8)),
                            "stored in sequence order without holes or repeats");
                }
            }
        }
    }

    private static List<String> expected(int events) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            l.add("ordered " + i);
        }
        return l;
    }

    static HttpResponse<String> post(String url, String runId, String secret, int seq, String message) {
        String body = "{\"specversion\":\"1.0\",\"type\":\"log.written\",\"source\":\"/afps/runs/" + runId + "\",\"id\":\""
                + UUID.randomUUID() + "\",\"datacontenttype\":\"application/json\",\"data\":{\"level\":\"info\",\"message\":\""
                + message + "\"},\"sequence\":" + seq + "}";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/api/runs/" + runId + "/events"))
                .header("Content-Type", "application/cloudevents+json").POST(HttpRequest.BodyPublishers.ofString(body));
        new StandardWebhookSignature(secret).headers(body).forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run's sequence once the (stopped) runner's last requests have landed. */
    static int quietSequence(ActiveRun run) throws InterruptedException {
        int last = -1;
        int quiet = 0;
        while (quiet < 10) {
            int now;
            synchronized (run) {
                now = run.lastSequence;
            }
            quiet = now == last ? quiet + 1 : 0;
            last = now;
            Thread.sleep(50);
        }
        return last;
    }

    private static void awaitSubscriber(TestServer s) throws InterruptedException {
        awaitSubscribers(s, 1);
    }

    static void awaitSubscribers(TestServer s, int count) throws InterruptedException {
        var bus = s.server().components().runEvents();
        while (bus.subscriberCount() < count) {
            Thread.sleep(10);
        }
    }

    private static String sinkSecret(long pid) throws Exception {
        for (String kv : Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1).split("\0")) {
            if (kv.startsWith("APPSTRATE_SINK_SECRET=")) {
                return kv.substring(kv.indexOf('=') + 1);
            }
        }
        throw new AssertionError("runner has no sink secret");
    }

    static void signal(String sig, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).start().waitFor();
    }
}
