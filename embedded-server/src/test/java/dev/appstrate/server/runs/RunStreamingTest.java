package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.SseClient.Frame;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live logs over SSE: every log once, in order, across reconnects and for many subscribers. */
class RunStreamingTest {
    @TempDir
    Path dataDir;

    /** Four turns of ten log calls each, then the output. */
    static ScriptedModelServer chattyModel() {
        ScriptedModelServer.Builder b = ScriptedModelServer.builder();
        for (int t = 0; t < 4; t++) {
            List<ScriptedModelServer.ScriptedCall> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(ScriptedModelServer.call("log", Map.of("level", "info", "message", "turn " + t + " line " + i)));
            }
            b.turn(Turn.toolCalls(calls.toArray(ScriptedModelServer.ScriptedCall[]::new)));
        }
        b.turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 1))), 5, 5));
        return b.delay(java.time.Duration.ofMillis(150)).start();
    }

    static List<Long> dbLogIds(TestServer s, String runId) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode l : TestServer.json(s.get("/api/runs/" + runId + "/logs?limit=1000")).get("data")) {
            ids.add(l.get("id").asLong());
        }
        return ids;
    }

    static List<Long> logIds(List<Frame> frames, String runId) {
        return frames.stream().filter(f -> f.event().equals("run_log")).filter(f -> f.json().get("runId").asText().equals(runId))
                .map(f -> Long.parseLong(f.id())).toList();
    }

    static boolean completed(Frame f) {
        return f.event().equals("run_log") && "run_completed".equals(f.json().path("event").asText());
    }

    String url(TestServer s, String path) {
        return s.url() + path + (path.contains("?") ? "&" : "?") + "token=" + TestServer.OWNER_TOKEN + "&applicationId="
                + s.defaultAppId() + "&verbose=true";
    }

    @Test
    void aSubscriberSeesEveryLogOnceInOrderAndResumesWithLastEventId() throws Exception {
        try (ScriptedModelServer model = chattyModel(); TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "chatty", null);
            String runId = startRun(s, "chatty", "{}").get("id").asText();
            // first connection: read a dozen log frames, then drop the connection mid-run
            List<Frame> first = SseClient.read(url(s, "/api/realtime/runs/" + runId), null,
                    f -> f.event().equals("run_log") && f.id() != null && logCount(f) >= 12, 10_000, new CopyOnWriteArrayList<>());
            List<Long> firstIds = logIds(first, runId);
            assertTrue(firstIds.size() >= 12, "first connection saw " + firstIds);
            String last = String.valueOf(firstIds.get(firstIds.size() - 1));
            List<Frame> second = SseClient.read(url(s, "/api/realtime/runs/" + runId), last, RunStreamingTest::completed, 10_000, null);
            awaitTerminal(s, runId);
            List<Long> all = new ArrayList<>(firstIds);
            all.addAll(logIds(second, runId));
            assertEquals(dbLogIds(s, runId), all, "every log exactly once, in order, across the reconnect");
            assertEquals("run_update", first.stream().filter(f -> !f.event().equals("ping")).findFirst().orElseThrow().event(),
                    "a run_update snapshot comes first");
        }
    }

    @Test
    void headOnAStreamAnswersItsHeadersAndHoldsNoSubscription() {
        try (TestServer s = TestServer.start(dataDir)) {
            String path = url(s, "/api/realtime/runs").substring(s.url().length());
            HttpResponse<String> head = s.raw("HEAD", path, null, Map.of());
            assertEquals(200, head.statusCode());
            assertEquals("text/event-stream", head.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertEquals("", head.body());
            assertEquals(0, s.server().components().runEvents().subscriberCount(),
                    "a HEAD request left a subscriber behind");
        }
    }

    private int seen;

    private int logCount(Frame f) {
        return ++seen;
    }

    @Test
    void twentyConcurrentSubscribersAllGetTheFullStream() throws Exception {
        try (ScriptedModelServer model = chattyModel(); TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "fanout", null);
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<CompletableFuture<List<Frame>>> subs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                subs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return SseClient.read(url(s, "/api/realtime/runs"), null, RunStreamingTest::completed, 100_000, null);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            var bus = s.server().components().runEvents();
            long deadline = System.currentTimeMillis() + 30_000;
            while (bus.subscriberCount() < 20 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(20, bus.subscriberCount(), "all subscribers connected before the run");
            String runId = startRun(s, "fanout", "{}").get("id").asText();
            awaitTerminal(s, runId);
            List<Long> expected = dbLogIds(s, runId);
            assertTrue(expected.size() > 40, "a chatty run: " + expected.size());
            for (CompletableFuture<List<Frame>> f : subs) {
                assertEquals(expected, logIds(f.get(60, TimeUnit.SECONDS), runId));
            }
            pool.shutdownNow();
        }
    }
}
