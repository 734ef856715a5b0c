package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.EventSink;
import dev.appstrate.runner.SinkTarget;
import dev.appstrate.runner.StandardWebhookSignature;
import dev.appstrate.runner.http.HttpTransport;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.Await;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our batched content mode of the runner's events route ({@code application/cloudevents-batch+json}): a batch is stored
 * and streamed in sequence order like the same events sent one by one, alongside single events, across gaps and with
 * replays; a bad batch stores nothing.
 */
class RunEventBatchTest {
    static final String BATCH = "application/cloudevents-batch+json";

    @TempDir
    Path dataDir;

    /** A run whose runner waits in a long bash call, so the test owns every sequence after {@link #start}. */
    record QuietRun(String id, String secret, int start) {
    }

    static QuietRun quietRun(TestServer s, ScriptedModelServer model, String agent) throws InterruptedException {
        addModel(s, "openai-compatible", model.baseUrl());
        addAgent(s, agent, null);
        String runId = startRun(s, agent, "{}").get("id").asText();
        // "Tool: bash" is the runner's last event before the call blocks; stored in order, so everything before it is too
        Await.until("the runner reaches its bash call", () -> s.server().database().read(c -> Rows.count(c,
                "SELECT COUNT(*) FROM run_logs WHERE run_id=? AND message='Tool: bash'", runId)) > 0);
        InFlightRuns inFlight = s.server().components().inFlightRuns();
        return new QuietRun(runId, BenchAccess.sinkSecret(inFlight, runId), BenchAccess.lastSequence(inFlight, runId));
    }

    static ScriptedModelServer sleepingModel() {
        return ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 600"))).start();
    }

    static String event(String runId, int seq, String message) {
        return "{\"specversion\":\"1.0\",\"type\":\"log.written\",\"source\":\"/afps/runs/" + runId + "\",\"id\":\"" + UUID.randomUUID()
                + "\",\"datacontenttype\":\"application/json\",\"data\":{\"level\":\"info\",\"message\":\"" + message
                + "\"},\"sequence\":" + seq + "}";
    }

    /** A batch of log events, one per sequence, each message {@code prefix + sequence}. */
    static String batch(QuietRun run, String prefix, int... seqs) {
        StringBuilder sb = new StringBuilder("[");
        for (int seq : seqs) {
            sb.append(sb.length() > 1 ? "," : "").append(event(run.id, seq, prefix + seq));
        }
        return sb.append(']').toString();
    }

    static HttpResponse<String> post(TestServer s, QuietRun run, String contentType, String body) {
        return post(s, run.id, run.secret, contentType, body);
    }

    static HttpResponse<String> post(TestServer s, String runId, String secret, String contentType, String body) {
        Map<String, String> h = new HashMap<>(new StandardWebhookSignature(secret).headers(UUID.randomUUID().toString(),
                System.currentTimeMillis() / 1000, body));
        h.put("Content-Type", contentType);
        return s.raw("POST", "/api/runs/" + runId + "/events", body.getBytes(StandardCharsets.UTF_8), h);
    }

    static List<String> stored(TestServer s, QuietRun run, String prefix) {
        return s.server().database().read(c -> Rows.list(c, "SELECT message FROM run_logs WHERE run_id=? AND message LIKE ? ORDER BY id",
                rs -> rs.getString(1), run.id, prefix + "%"));
    }

    static int[] range(int from, int toInclusive) {
        return IntStream.rangeClosed(from, toInclusive).toArray();
    }

    static List<String> messages(String prefix, int... seqs) {
        List<String> l = new ArrayList<>();
        for (int seq : seqs) {
            l.add(prefix + seq);
        }
        return l;
    }

    @Test
    void batchesAndSingleEventsAreStoredAndStreamedInSequenceOrderAndReplaysAreDropped() throws Exception {
        try (ScriptedModelServer model = sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            QuietRun run = quietRun(s, model, "batched");
            int b = run.start;
            String sse = s.url() + "/api/realtime/runs/" + run.id + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                    + s.defaultAppId() + "&channels=run_log&replay=false";
            List<SseClient.Frame> seen = Collections.synchronizedList(new ArrayList<>());
            String lastMessage = "m " + (b + 80);
            CompletableFuture<List<SseClient.Frame>> subscriber = CompletableFuture.supplyAsync(() -> {
                try {
                    return SseClient.read(sse, null, f -> f.data().contains("\"" + lastMessage + "\""), 500, seen);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the subscriber is connected", () -> s.server().components().runEvents().subscriberCount() > 0);

            HttpResponse<String> first = post(s, run, BATCH, batch(run, "m ", range(b + 1, b + 50)));
            assertEquals(200, first.statusCode(), first.body());
            JsonNode answer = TestServer.json(first);
            assertEquals("persisted", answer.path("outcome").asText());
            assertEquals(b + 50, answer.path("sequence").asInt(), "the last element's sequence");
            assertEquals(50, answer.path("events").size());
            for (int i = 0; i < 50; i++) {
                assertEquals(b + 1 + i, answer.path("events").get(i).path("sequence").asInt());
                assertEquals("persisted", answer.path("events").get(i).path("outcome").asText());
            }

            HttpResponse<String> single = post(s, run, "application/cloudevents+json", event(run.id, b + 51, "m " + (b + 51)));
            assertEquals("{\"ok\":true,\"outcome\":\"persisted\",\"sequence\":" + (b + 51) + "}", single.body(),
                    "a single event is answered as the original answers it");

            // out of order inside the batch, two replays of stored events and one repeated element
            int[] mixed = {b + 54, b + 52, b + 49, b + 53, b + 51, b + 53};
            JsonNode mixedAnswer = TestServer.json(post(s, run, BATCH, batch(run, "again ", mixed)));
            List<String> outcomes = new ArrayList<>();
            mixedAnswer.path("events").forEach(e -> outcomes.add(e.path("sequence").asInt() + " " + e.path("outcome").asText()));
            assertEquals(List.of((b + 54) + " persisted", (b + 52) + " persisted", (b + 49) + " replay", (b + 53) + " persisted",
                    (b + 51) + " replay", (b + 53) + " replay"), outcomes, "per element, in request order");
            assertEquals("replay", mixedAnswer.path("outcome").asText(), "the top-level outcome is the last element's");

            HttpResponse<String> rest = post(s, run, BATCH, batch(run, "m ", range(b + 55, b + 80)));
            assertEquals("persisted", TestServer.json(rest).path("outcome").asText(), rest.body());

            List<String> expected = new ArrayList<>(messages("m ", range(b + 1, b + 51)));
            expected.addAll(messages("again ", b + 52, b + 53, b + 54));
            expected.addAll(messages("m ", range(b + 55, b + 80)));
            List<String> all = s.server().database().read(c -> Rows.list(c, "SELECT message FROM run_logs WHERE run_id=? AND "
                    + "(message LIKE 'm %' OR message LIKE 'again %') ORDER BY id", rs -> rs.getString(1), run.id));
            assertEquals(expected, all, "each event stored once, in sequence order; replays dropped");
            assertEquals((long) (b + 80), (long) s.server().database().read(c -> Rows.count(c,
                    "SELECT last_event_sequence FROM runs WHERE id=?", run.id)));

            List<String> delivered = new ArrayList<>();
            long lastId = -1;
            for (SseClient.Frame f : subscriber.get(1, TimeUnit.MINUTES)) {
                String message = f.json().path("message").asText();
                if (message.startsWith("m ") || message.startsWith("again ")) {
                    delivered.add(message);
                    assertTrue(Long.parseLong(f.id()) > lastId, "log ids only increase on the stream");
                    lastId = Long.parseLong(f.id());
                }
            }
            assertEquals(expected, delivered, "the live subscriber saw every event once, in order");
            s.post("/api/runs/" + run.id + "/cancel", null);
        }
    }

    @Test
    void aBatchAheadOfAGapIsAnsweredOnceALaterBatchFillsIt() throws Exception {
        try (ScriptedModelServer model = sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            QuietRun run = quietRun(s, model, "gapped");
            int b = run.start;
            CompletableFuture<HttpResponse<String>> ahead = CompletableFuture.supplyAsync(
                    () -> post(s, run, BATCH, batch(run, "g ", b + 4, b + 5, b + 6)));
            ActiveRun active = BenchAccess.activeRun(s.server().components().inFlightRuns(), run.id);
            Await.until("the batch ahead of the gap is buffered", () -> {
                synchronized (active) {
                    return active.buffer.size() == 3;
                }
            });
            assertEquals(List.of(), stored(s, run, "g "), "nothing ahead of the gap is stored yet");

            HttpResponse<String> filler = post(s, run, BATCH, batch(run, "g ", b + 2, b + 1, b + 3));
            assertEquals("persisted", TestServer.json(filler).path("outcome").asText(), filler.body());
            JsonNode aheadAnswer = TestServer.json(ahead.get(1, TimeUnit.MINUTES));
            aheadAnswer.path("events").forEach(e -> assertEquals("persisted", e.path("outcome").asText(), aheadAnswer.toString()));
            assertEquals(messages("g ", range(b + 1, b + 6)), stored(s, run, "g "));
            s.post("/api/runs/" + run.id + "/cancel", null);
        }
    }

    @Test
    void aBadBatchIsRefusedWholeAndStoresNothing() throws Exception {
        try (ScriptedModelServer model = sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            QuietRun run = quietRun(s, model, "refused");
            int b = run.start;
            String good = event(run.id, b + 1, "bad-batch " + (b + 1));
            String noSequence = "{\"specversion\":\"1.0\",\"type\":\"log.written\",\"data\":{\"message\":\"bad-batch x\"}}";

            HttpResponse<String> badElement = post(s, run, BATCH, "[" + good + "," + good.replace("\"sequence\":" + (b + 1),
                    "\"sequence\":" + (b + 2)) + "," + noSequence + "]");
            assertEquals(400, badElement.statusCode(), badElement.body());
            assertEquals("[2].sequence", TestServer.json(badElement).path("errors").get(0).path("field").asText(), badElement.body());
            assertTrue(badElement.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));

            HttpResponse<String> notAnObject = post(s, run, BATCH, "[" + good + ",42]");
            assertEquals(400, notAnObject.statusCode());
            assertEquals("[1]", TestServer.json(notAnObject).path("errors").get(0).path("field").asText(), notAnObject.body());

            HttpResponse<String> empty = post(s, run, BATCH, "[]");
            assertEquals(400, empty.statusCode());
            assertTrue(TestServer.json(empty).path("detail").asText().contains("at least one"), empty.body());

            HttpResponse<String> notAnArray = post(s, run, BATCH, good);
            assertEquals(400, notAnArray.statusCode());

            HttpResponse<String> overCap = post(s, run, BATCH, batch(run, "bad-batch ", range(b + 1, b + CloudEventBatch.MAX_EVENTS + 1)));
            assertEquals(413, overCap.statusCode(), overCap.body());
            assertEquals("too_many_events", TestServer.json(overCap).path("code").asText());
            assertTrue(TestServer.json(overCap).path("detail").asText().contains("at most 1000"), overCap.body());

            HttpResponse<String> forged = post(s, run.id, "not-the-run-secret", BATCH, batch(run, "bad-batch ", b + 1, b + 2));
            assertEquals(401, forged.statusCode());
            assertEquals("invalid_signature", TestServer.json(forged).path("code").asText());

            assertEquals(List.of(), stored(s, run, "bad-batch "), "no element of a refused batch is stored");
            assertEquals(b, BenchAccess.lastSequence(s.server().components().inFlightRuns(), run.id), "the run's sequence did not move");
            HttpResponse<String> after = post(s, run, BATCH, batch(run, "bad-batch ", b + 1, b + 2));
            assertEquals("persisted", TestServer.json(after).path("outcome").asText(), "the same sequences are still free: " + after.body());
            assertEquals(messages("bad-batch ", b + 1, b + 2), stored(s, run, "bad-batch "));
            s.post("/api/runs/" + run.id + "/cancel", null);

            HttpResponse<String> closed = post(s, run, BATCH, batch(run, "bad-batch ", b + 3));
            assertEquals(410, closed.statusCode(), "a finished run's sink is closed to batches too");
        }
    }

    @Test
    void theRunnersEventSinkSendsABurstInFewerRequestsThanEventsAndEveryEventArrivesInOrder() throws Exception {
        try (ScriptedModelServer model = sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            QuietRun run = quietRun(s, model, "sink");
            List<String> contentTypes = Collections.synchronizedList(new ArrayList<>());
            HttpTransport real = HttpTransport.create(Duration.ofSeconds(5));
            HttpTransport counted = (uri, headers, body, timeout) -> {
                contentTypes.add(headers.get("Content-Type"));
                return real.post(uri, headers, body, timeout);
            };
            URI events = URI.create(s.url() + "/api/runs/" + run.id + "/events");
            try (EventSink sink = new EventSink(new SinkTarget(run.id, events, URI.create(events + "/finalize"),
                    URI.create(events + "/heartbeat"), run.secret), counted, Clock.systemUTC())) {
                // its sequence starts at 1: what the real runner already sent comes again and is dropped as replays
                for (int i = 1; i <= run.start; i++) {
                    sink.emit("log.written", Json.object().put("level", "info").put("message", "replayed " + i));
                }
                assertTrue(sink.drain(Duration.ofMinutes(1)));
                assertEquals(List.of(), stored(s, run, "replayed "), "replays are dropped");
                contentTypes.clear();
                int burst = 600;
                for (int i = 1; i <= burst; i++) {
                    sink.emit("log.written", Json.object().put("level", "info")
                            .put("message", "burst " + (run.start + i)));
                }
                assertTrue(sink.drain(Duration.ofMinutes(1)));
                assertEquals(messages("burst ", range(run.start + 1, run.start + burst)), stored(s, run, "burst "),
                        "every event stored once, in sequence order");
                assertTrue(contentTypes.size() < burst / 4, contentTypes.size() + " requests for " + burst + " events");
                assertTrue(contentTypes.contains(BATCH), "sent as batches: " + contentTypes);
            }
            s.post("/api/runs/" + run.id + "/cancel", null);
        }
    }

    @Test
    void capabilitiesAndTheOpenApiDocumentDeclareTheBatchedMode() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            JsonNode caps = TestServer.json(s.get("/api/capabilities"));
            assertTrue(caps.path("extensions").toString().contains("\"run_event_batches\""), caps.toString());
            JsonNode op = TestServer.json(s.get("/api/openapi.json")).path("paths").path("/api/runs/{id}/events").path("post");
            assertEquals("run_event_batches", op.path("x-appstrate-extension").asText());
            assertTrue(op.path("requestBody").path("content").has(BATCH), op.toString());
            assertTrue(op.path("requestBody").path("content").has("application/cloudevents+json"), op.toString());
        }
    }
}
