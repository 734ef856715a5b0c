package dev.appstrate.server.cluster;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.documentsOf;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.schedule.Scheduler;
import dev.appstrate.server.testing.ShiftedClock;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.SseClient.Frame;
import dev.appstrate.server.testing.TestDatabases;
import dev.appstrate.server.testing.TestRedis;
import dev.appstrate.server.testing.TestS3;
import dev.appstrate.server.testing.TestServer;
import dev.appstrate.server.webhooks.SignatureCheckingReceiver;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two server instances (A and B, each a real server on port 0 with its own data folder, no shared filesystem) sharing one
 * PostgreSQL database, one Redis and one S3 bucket, as replicas behind a load balancer would.
 */
class TwoInstancesTest {
    private static final ShiftedClock CLOCK = new ShiftedClock();
    private static ScriptedModelServer model;
    private static SignatureCheckingReceiver receiver;
    private static TestServer a;
    private static TestServer b;
    /** What every run of the chatty model leaves in its outputs/ folder, published as the run's document. */
    static final String ANSWER_MD = "# Answer\n1\n";

    @BeforeAll
    static void startBoth() throws Exception {
        model = chattyModel();
        receiver = new SignatureCheckingReceiver(() -> CLOCK);
        Map<String, String> shared = new HashMap<>(TestS3.serverEnv(TestS3.freshBucket()));
        shared.putAll(Map.of("DATABASE_URL", TestDatabases.createDatabase(), "REDIS_URL", TestRedis.freshDatabase(),
                "EGRESS_ALLOW_INTERNAL_HOSTS", "127.0.0.1"));
        a = TestServer.start(Files.createTempDirectory("instance-a"), shared, CLOCK);
        b = TestServer.start(Files.createTempDirectory("instance-b"), shared, CLOCK);
        addModel(a, "openai-compatible", model.baseUrl());
    }

    @AfterAll
    static void stopBoth() {
        for (AutoCloseable c : new AutoCloseable[] {b, a, receiver, model}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    /** Four turns of ten log calls each (the first also writes outputs/answer.md), 100 ms apart, then the output. */
    static ScriptedModelServer chattyModel() {
        ScriptedModelServer.Builder m = ScriptedModelServer.builder();
        for (int t = 0; t < 4; t++) {
            List<ScriptedModelServer.ScriptedCall> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(ScriptedModelServer.call("log", Map.of("level", "info", "message", "turn " + t + " line " + i)));
            }
            if (t == 0) {
                calls.add(ScriptedModelServer.call("write", Map.of("path", "outputs/answer.md", "content", ANSWER_MD)));
            }
            m.turn(Turn.toolCalls(calls.toArray(ScriptedModelServer.ScriptedCall[]::new)));
        }
        m.turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 1))), 5, 5));
        return m.delay(Duration.ofMillis(100)).start();
    }

    static String sse(TestServer s, String path) {
        return s.url() + path + (path.contains("?") ? "&" : "?") + "token=" + TestServer.OWNER_TOKEN + "&applicationId="
                + s.defaultAppId() + "&verbose=true";
    }

    static List<Long> logIds(List<Frame> frames, String runId) {
        return frames.stream().filter(f -> f.event().equals("run_log")).filter(f -> f.json().get("runId").asText().equals(runId))
                .map(f -> Long.parseLong(f.id())).toList();
    }

    static List<Long> storedLogIds(TestServer s, String runId) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode l : TestServer.json(s.get("/api/runs/" + runId + "/logs?limit=1000")).get("data")) {
            ids.add(l.get("id").asLong());
        }
        return ids;
    }

    static boolean completed(Frame f, String runId) {
        return f.event().equals("run_log") && "run_completed".equals(f.json().path("event").asText())
                && runId.equals(f.json().path("runId").asText());
    }

    @Test
    void anAgentImportedOnARunsOnB() {
        addAgent(a, "imported-on-a", null);
        String runId = startRun(b, "imported-on-a", "{}").get("id").asText();
        JsonNode run = awaitTerminal(b, runId);
        assertEquals("success", run.get("status").asText(), run.toString());
        assertEquals("success", TestServer.json(a.get("/api/runs/" + runId)).get("status").asText(), "A sees B's run");
        assertEquals(200, b.get("/api/packages/@local/imported-on-a/1.0.0/download").statusCode(), "B serves A's bundle from the bucket");

        // the document B's run published is downloadable from A: its bytes are in the shared bucket, not in B's folder
        JsonNode docs = documentsOf(a, runId);
        assertEquals(1, docs.size(), docs.toString());
        HttpResponse<String> content = a.get("/api/documents/" + docs.get(0).get("id").asText() + "/content");
        assertEquals(200, content.statusCode(), content.body());
        assertEquals(ANSWER_MD, content.body());
        for (TestServer s : new TestServer[] {a, b}) {
            assertTrue(!Files.exists(s.dataDir().resolve("storage/runs")) && !Files.exists(s.dataDir().resolve("storage/packages")),
                    "no instance keeps shared files in its own data folder");
        }
    }

    @Test
    void aRunOnAStreamsLiveToAClientOnBInOrderAndResumesThereWithLastEventId() throws Exception {
        addAgent(a, "chatty", null);
        // B's application-wide stream replays nothing: every frame of the run below reaches it live, through Redis
        List<Frame> live = new CopyOnWriteArrayList<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        String[] runIdHolder = new String[1];
        CompletableFuture<List<Frame>> onB = CompletableFuture.supplyAsync(() -> {
            try {
                return SseClient.read(sse(b, "/api/realtime/runs"), null, f -> {
                    subscribed.countDown();
                    return runIdHolder[0] != null && completed(f, runIdHolder[0]);
                }, 100_000, live);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        subscribed.await(); // the stream's first frame (a ping) is sent once B's subscription exists
        String runId = startRun(a, "chatty", "{}").get("id").asText();
        runIdHolder[0] = runId;
        List<Frame> frames = onB.get(120, java.util.concurrent.TimeUnit.SECONDS);
        List<Long> stored = storedLogIds(b, runId);
        assertTrue(stored.size() >= 40, "the run logged its 40 lines: " + stored.size());
        assertEquals(stored, logIds(frames, runId), "every log of A's run reached B's client once, in order");
        assertTrue(frames.stream().anyMatch(f -> f.event().equals("run_update") && f.json().path("id").asText().equals(runId)),
                "B's client saw A's status updates");

        // a client on B that drops mid-run and reconnects with Last-Event-ID misses nothing and sees nothing twice
        String second = startRun(a, "chatty", "{}").get("id").asText();
        List<Frame> first = SseClient.read(sse(b, "/api/realtime/runs/" + second), null,
                f -> f.event().equals("run_log") && logIds(List.of(f), second).size() == 1 && f.json().path("message").asText()
                        .contains("line 5"), 10_000, new CopyOnWriteArrayList<>());
        List<Long> firstIds = logIds(first, second);
        String lastId = String.valueOf(firstIds.get(firstIds.size() - 1));
        List<Frame> rest = SseClient.read(sse(b, "/api/realtime/runs/" + second), lastId, f -> completed(f, second), 10_000,
                new CopyOnWriteArrayList<>());
        List<Long> all = new ArrayList<>(firstIds);
        all.addAll(logIds(rest, second));
        assertEquals(storedLogIds(b, second), all);
    }

    @Test
    void aRunOnACancelledOnBStopsOnA() throws Exception {
        addAgent(a, "cancelled", null);
        String runId = startRun(a, "cancelled", "{}").get("id").asText();
        SseClient.read(sse(b, "/api/realtime/runs/" + runId), null, f -> f.event().equals("run_log") && f.data().contains("line 1"),
                10_000, new CopyOnWriteArrayList<>());
        HttpResponse<String> cancel = b.post("/api/runs/" + runId + "/cancel", "{}");
        assertEquals(200, cancel.statusCode(), cancel.body());
        assertEquals("cancelled", awaitTerminal(a, runId).get("status").asText());
        Instant deadline = Instant.now().plusSeconds(30);
        while (a.server().components().inFlightRuns().isActive(runId) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertTrue(!a.server().components().inFlightRuns().isActive(runId), "A stopped the runner B's user cancelled");
    }

    @Test
    void rateLimitsCountAcrossBoth() {
        // POST /api/packages/import allows 10 a minute per identity: a bad body still counts
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            TestServer s = i % 2 == 0 ? a : b;
            HttpResponse<String> r = s.send("POST", "/api/packages/import", "{}", "Authorization", "Bearer " + TestServer.OWNER_TOKEN);
            statuses.add(r.statusCode());
            if (i == 10) {
                assertEquals("limit=10, remaining=0, reset=" + r.headers().firstValue("Retry-After").orElse("?"),
                        r.headers().firstValue("RateLimit").orElse(null), r.headers().map().toString());
            }
        }
        assertTrue(statuses.subList(0, 10).stream().noneMatch(c -> c == 429), statuses.toString());
        assertEquals(429, statuses.get(10), "the 11th request, on A, counts B's five: " + statuses);
    }

    @Test
    void anIdempotencyKeyUsedOnAIsReplayedOnB() {
        String body = "{\"name\":\"Ada\",\"externalId\":\"ext-idem-1\"}";
        HttpResponse<String> first = a.send("POST", "/api/end-users", body, "Idempotency-Key", "create-ada-1");
        assertEquals(201, first.statusCode(), first.body());
        HttpResponse<String> again = b.send("POST", "/api/end-users", body, "Idempotency-Key", "create-ada-1");
        assertEquals(201, again.statusCode(), again.body());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals(TestServer.json(first).get("id"), TestServer.json(again).get("id"), "one end-user, not two");
    }

    @Test
    void aWebhookIsDeliveredOnceThoughBothInstancesWorkTheQueue() throws Exception {
        addAgent(a, "hooked", null);
        HttpResponse<String> hook = b.post("/api/webhooks", "{\"url\":\"" + receiver.url()
                + "\",\"events\":[\"run.success\"],\"packageId\":\"@local/hooked\"}");
        assertEquals(201, hook.statusCode(), hook.body());
        receiver.trust(TestServer.json(hook).get("secret").asText());
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(startRun(i % 2 == 0 ? a : b, "hooked", "{}").get("id").asText());
        }
        for (String runId : runs) {
            assertEquals("success", awaitTerminal(a, runId).get("status").asText());
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (receiver.received.size() < runs.size() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        // the receiver answers before the sender records the outcome: wait until every delivery is recorded
        String webhookId = TestServer.json(hook).get("id").asText();
        JsonNode deliveries = TestServer.json(a.get("/api/webhooks/" + webhookId + "/deliveries")).get("data");
        while (recordedCount(deliveries) < runs.size() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            deliveries = TestServer.json(a.get("/api/webhooks/" + webhookId + "/deliveries")).get("data");
        }
        // every delivery both instances' workers could see has been sent and recorded: one attempt each
        assertEquals(runs.size(), deliveries.size(), deliveries.toString());
        for (JsonNode d : deliveries) {
            assertEquals("success", d.get("status").asText(), d.toString());
            assertEquals(1, d.get("attempt").asInt(), d.toString());
        }
        List<String> delivered = receiver.received.stream().map(r -> r.json().at("/data/object/id").asText()).toList();
        assertEquals(Set.copyOf(runs), new HashSet<>(delivered));
        assertEquals(runs.size(), delivered.size(), "no run.success delivered twice: " + delivered);
    }

    @Test
    void aScheduleFiresExactlyOncePerOccurrenceAcrossBoth() throws Exception {
        // the cron is per minute; the shared shifted clock jumps to just before each minute so three minutes take seconds
        addAgent(a, "every-minute", null);
        HttpResponse<String> created = a.post("/api/agents/@local/every-minute/schedules", "{\"cron_expression\":\"* * * * *\"}");
        assertEquals(201, created.statusCode(), created.body());
        String id = TestServer.json(created).get("id").asText();
        Scheduler onA = a.server().components().schedules().scheduler();
        Scheduler onB = b.server().components().schedules().scheduler();
        List<Instant> expected = new ArrayList<>();
        for (int minute = 0; minute < 3; minute++) {
            CLOCK.shiftSoNextMinuteIsIn(Duration.ofMillis(300));
            Instant due = CLOCK.instant().plusMillis(300).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            expected.add(due);
            while (CLOCK.instant().isBefore(due)) {
                Thread.sleep(20);
            }
            // both instances look at the same moment (as well as on their own timers and each other's notices)
            CompletableFuture<Void> ta = CompletableFuture.runAsync(onA::changed);
            CompletableFuture<Void> tb = CompletableFuture.runAsync(onB::changed);
            CompletableFuture.allOf(ta, tb).get(60, java.util.concurrent.TimeUnit.SECONDS);
            JsonNode fire = awaitFire(id, due);
            assertEquals("started", fire.get("status").asText(), fire.toString());
            awaitTerminal(b, fire.get("runId").asText());
        }
        a.send("PUT", "/api/schedules/" + id, "{\"enabled\":false}");
        JsonNode fires = TestServer.json(b.get("/api/schedules/" + id + "/fires?limit=100")).get("data");
        List<Instant> fireTimes = new ArrayList<>();
        Set<String> runIds = new HashSet<>();
        for (JsonNode f : fires) {
            fireTimes.add(Instant.parse(f.get("fire_time").asText()));
            runIds.add(f.get("runId").asText());
        }
        assertTrue(fireTimes.containsAll(expected), fireTimes + " should hold " + expected);
        assertEquals(new HashSet<>(fireTimes).size(), fireTimes.size(), "each occurrence recorded once: " + fireTimes);
        assertEquals(fireTimes.size(), runIds.size(), "one run per occurrence");
        long scheduledRuns = 0;
        for (JsonNode r : TestServer.json(a.get("/api/runs?limit=100")).get("data")) {
            if (id.equals(r.path("scheduleId").asText())) {
                scheduledRuns++;
            }
        }
        assertEquals(fireTimes.size(), scheduledRuns, "no instance started a second run for an occurrence");
    }

    private static JsonNode awaitFire(String scheduleId, Instant due) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            for (JsonNode f : TestServer.json(a.get("/api/schedules/" + scheduleId + "/fires?limit=100")).get("data")) {
                if (Instant.parse(f.get("fire_time").asText()).equals(due) && !f.get("status").asText().equals("pending")) {
                    return f;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no fire at " + due);
    }

    private static int recordedCount(JsonNode deliveries) {
        int n = 0;
        for (JsonNode d : deliveries) {
            n += "pending".equals(d.path("status").asText()) ? 0 : 1;
        }
        return n;
    }
}
