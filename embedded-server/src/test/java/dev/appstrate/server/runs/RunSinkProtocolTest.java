package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.StandardWebhookSignature;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.testing.Await;
import dev.appstrate.server.testing.ServerProcess;
import dev.appstrate.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner sink rejects what it must (the original's 401/404/410) and writes nothing for it; crashes are recovered at boot. */
class RunSinkProtocolTest {
    @TempDir
    Path dataDir;

    static HttpResponse<String> signedPost(TestServer s, String path, String secret, String body) {
        Map<String, String> h = new HashMap<>(new StandardWebhookSignature(secret).headers(UUID.randomUUID().toString(),
                System.currentTimeMillis() / 1000, body));
        h.put("Content-Type", "application/cloudevents+json");
        return s.raw("POST", path, body.getBytes(StandardCharsets.UTF_8), h);
    }

    static String event(int seq) {
        return "{\"specversion\":\"1.0\",\"type\":\"log.written\",\"source\":\"/afps/runs/x\",\"id\":\"" + UUID.randomUUID()
                + "\",\"time\":\"2026-11-29T00:00:00Z\",\"datacontenttype\":\"application/json\",\"data\":{\"level\":\"info\","
                + "\"message\":\"forged\"},\"sequence\":" + seq + "}";
    }

    @Test
    void forgedEventsAreRejectedAndChangeNothing() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 60")))
                .start();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "target", null);
            String runId = startRun(s, "target", "{}").get("id").asText();
            RunLifecycleTest.awaitStatus(s, runId, "running");
            int before = TestServer.json(s.get("/api/runs/" + runId + "/logs")).get("data").size();

            HttpResponse<String> tampered = signedPost(s, "/api/runs/" + runId + "/events", "not-the-run-secret", event(1000));
            assertEquals(401, tampered.statusCode());
            assertEquals("invalid_signature", TestServer.json(tampered).get("code").asText());
            HttpResponse<String> unsigned = s.raw("POST", "/api/runs/" + runId + "/events", event(1000).getBytes(), Map.of());
            assertEquals(401, unsigned.statusCode());
            assertEquals("missing_signature_headers", TestServer.json(unsigned).get("code").asText());
            HttpResponse<String> unknown = signedPost(s, "/api/runs/run_00000000-0000-0000-0000-000000000000/events", "x", event(1));
            assertEquals(404, unknown.statusCode());
            HttpResponse<String> forgedFinalize = signedPost(s, "/api/runs/" + runId + "/events/finalize", "nope",
                    "{\"status\":\"success\",\"output\":{\"answer\":1}}");
            assertEquals(401, forgedFinalize.statusCode());

            JsonNode logs = TestServer.json(s.get("/api/runs/" + runId + "/logs"));
            assertFalse(logs.toString().contains("forged"));
            assertTrue(logs.get("data").size() >= before);
            assertEquals("running", TestServer.json(s.get("/api/runs/" + runId)).get("status").asText(), "forged finalize ignored");

            s.post("/api/runs/" + runId + "/cancel", null);
            HttpResponse<String> closed = signedPost(s, "/api/runs/" + runId + "/events", "whatever", event(1000));
            assertEquals(410, closed.statusCode());
            assertEquals("run_sink_closed", TestServer.json(closed).get("code").asText());
        }
    }

    @Test
    void aServerCrashMidRunFailsTheRunAtBootAndKillsItsRunner() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 120")))
                .start()) {
            String appId;
            try (TestServer setup = TestServer.start(dataDir)) {
                addModel(setup, "openai-compatible", model.baseUrl());
                addAgent(setup, "survivor", null);
                appId = setup.defaultAppId();
            }
            Process server = ServerProcess.builder(TestServer.env(dataDir, Map.of("LOG_LEVEL", "info"))).redirectErrorStream(true).start();
            String url = awaitReady(server);
            var http = java.net.http.HttpClient.newHttpClient();
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/api/agents/@local/survivor/run"))
                    .header("Authorization", "Bearer " + TestServer.OWNER_TOKEN).header("X-App-Id", appId)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            String runId = TestServer.json(r).get("id").asText();
            long runnerPid = RunLifecycleTest.awaitRunnerPid(runId);
            var get = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/api/runs/" + runId))
                    .header("Authorization", "Bearer " + TestServer.OWNER_TOKEN).header("X-App-Id", appId).build();
            Await.until("the run is running", () -> {
                try {
                    return "running".equals(TestServer.json(http.send(get, HttpResponse.BodyHandlers.ofString())).path("status").asText());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Instant crashed = Instant.now();
            server.toHandle().destroyForcibly(); // a crash: no graceful stop, the runner is left behind
            server.waitFor(30, TimeUnit.SECONDS);
            assertTrue(running(runnerPid), "runner outlived the crash");

            // the next start comes an hour later: the run still ended when the server last knew it alive
            try (TestServer rebooted = TestServer.start(dataDir, Map.of(), Clock.offset(Clock.systemUTC(), Duration.ofHours(1)))) {
                JsonNode run = TestServer.json(rebooted.get("/api/runs/" + runId));
                assertEquals("failed", run.get("status").asText());
                assertEquals("Server restarted while run was in progress. Please retry.", run.get("error").asText());
                Instant started = Instant.parse(run.get("started_at").asText());
                Instant completed = Instant.parse(run.get("completed_at").asText());
                assertFalse(completed.isAfter(crashed), "ended at the reboot, not at its last sign of life: " + run);
                assertFalse(completed.isBefore(started), run.toString());
                assertEquals(completed.toEpochMilli() - started.toEpochMilli(), run.get("duration").asLong(), run.toString());
                long deadline = System.currentTimeMillis() + 10_000;
                while (running(runnerPid) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertFalse(running(runnerPid), "orphan runner left alive");
                assertTrue(RunLifecycleTest.noProcessMentions(runId));
            }
        }
    }

    /**
     * Alive and not a zombie: the orphaned runner's parent is gone, and whether its new parent reaps it
     * promptly depends on the machine's init, so a killed-but-unreaped runner counts as stopped.
     */
    static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (Exception e) {
            return false;
        }
    }

    static String awaitReady(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern ready = Pattern.compile("Server ready url=(\\S+)");
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = ready.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe flowing
                        }
                    } catch (Exception ignored) {
                        // process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new AssertionError("server never ready:\n" + seen);
    }

    @Test
    void idempotencyKeyReplaysTheSameRun() {
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 3)); TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "idem", null);
            HttpResponse<String> a = s.send("POST", "/api/agents/@local/idem/run", "{}", "Idempotency-Key", "k-1");
            HttpResponse<String> b = s.send("POST", "/api/agents/@local/idem/run", "{}", "Idempotency-Key", "k-1");
            assertEquals(201, a.statusCode());
            assertEquals(201, b.statusCode());
            assertEquals(TestServer.json(a).get("id"), TestServer.json(b).get("id"));
            assertEquals("true", b.headers().firstValue("Idempotent-Replayed").orElse(""));
            HttpResponse<String> c = s.send("POST", "/api/agents/@local/idem/run", "{\"input\":{\"x\":1}}", "Idempotency-Key", "k-1");
            assertEquals(422, c.statusCode());
            awaitTerminal(s, TestServer.json(a).get("id").asText());
            assertEquals(1, TestServer.json(s.get("/api/runs")).get("total").asInt());
        }
    }
}
