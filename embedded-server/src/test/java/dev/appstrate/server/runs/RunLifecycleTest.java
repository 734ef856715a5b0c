package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.REAL_MODEL_KEY;
import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs end to end: the real runner as a subprocess against the real server; only the model is scripted. */
class RunLifecycleTest {
    @TempDir
    Path dataDir;

    @Test
    void happyPathRunsBashThenOutputAndStoresEverything() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.bashThenOutput("env > env-dump.txt; echo hello-from-bash",
                Map.of("answer", 42));
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "greeter", null);
            JsonNode created = startRun(s, "greeter", "{\"input\":{}}");
            assertTrue(created.get("id").asText().matches("run_[0-9a-f-]{36}"));
            assertEquals("pending", created.get("status").asText());
            JsonNode run = awaitTerminal(s, created.get("id").asText());
            assertEquals("success", run.get("status").asText(), run.toString());
            assertEquals(42, run.at("/result/output/answer").asInt());
            assertTrue(run.at("/token_usage/input_tokens").asInt() > 0, run.toString());
            assertTrue(run.at("/token_usage/output_tokens").asInt() > 0, run.toString());
            assertTrue(run.get("duration").asLong() >= 0);

            JsonNode logs = TestServer.json(s.get("/api/runs/" + run.get("id").asText() + "/logs"));
            List<Long> ids = new ArrayList<>();
            List<String> messages = new ArrayList<>();
            for (JsonNode l : logs.get("data")) {
                ids.add(l.get("id").asLong());
                messages.add(l.get("type").asText() + "/" + l.get("event").asText() + ": " + l.get("message").asText());
            }
            assertEquals(ids.stream().sorted().toList(), ids, "logs in order");
            assertTrue(messages.stream().anyMatch(m -> m.contains("Tool: bash")), messages.toString());
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("result/output")), messages.toString());
            assertTrue(messages.get(messages.size() - 1).startsWith("system/run_completed"), messages.toString());

            // the sidecar swapped the placeholder for the real key on the way to the provider
            assertTrue(model.requests().stream().allMatch(r -> ("Bearer " + REAL_MODEL_KEY).equals(r.header("authorization"))));
            Path workspace = dataDir.resolve("runs").resolve(run.get("id").asText()).resolve("workspace");
            String env = Files.readString(workspace.resolve("env-dump.txt"));
            assertFalse(env.contains(REAL_MODEL_KEY), "real model key in the runner's environment");
            assertFalse(env.contains("test-auth-secret"), "server secret in the runner's environment");
            assertFalse(env.contains("test-upload-secret"), "server secret in the runner's environment");
            assertFalse(env.contains(TestServer.OWNER_TOKEN), "owner token in the runner's environment");
            assertNoTrace(REAL_MODEL_KEY, dataDir.resolve("runs"));
            assertFalse(logs.toString().contains(REAL_MODEL_KEY));
            assertFalse(s.get("/api/runs").body().contains(REAL_MODEL_KEY));
            assertFalse(s.get("/api/model-provider-credentials").body().contains(REAL_MODEL_KEY));
        }
    }

    @Test
    void anthropicStreamingModelWorksThroughTheSidecar() {
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 7));
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "anthropic", model.baseUrl());
            addAgent(s, "anthro", null);
            JsonNode run = awaitTerminal(s, startRun(s, "anthro", "{}").get("id").asText());
            assertEquals("success", run.get("status").asText(), run.toString());
            assertEquals(7, run.at("/result/output/answer").asInt());
            assertTrue(model.requests().get(0).isAnthropic());
            assertEquals(REAL_MODEL_KEY, model.requests().get(0).header("x-api-key"));
        }
    }

    @Test
    void systemProviderKeysFromTheEnvironmentNeedNoSetup() {
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 5))) {
            String keys = "[{\"id\":\"local\",\"providerId\":\"openai-compatible\",\"baseUrlOverride\":\"" + model.baseUrl()
                    + "\",\"apiKey\":\"" + REAL_MODEL_KEY + "\",\"models\":[{\"modelId\":\"env-model\",\"isDefault\":true}]}]";
            try (TestServer s = TestServer.start(dataDir, Map.of("SYSTEM_PROVIDER_KEYS", keys))) {
                JsonNode models = TestServer.json(s.get("/api/models"));
                assertEquals("env-model", models.at("/data/0/modelId").asText());
                assertFalse(models.toString().contains(REAL_MODEL_KEY));
                addAgent(s, "envmodel", null);
                JsonNode run = awaitTerminal(s, startRun(s, "envmodel", "{}").get("id").asText());
                assertEquals("success", run.get("status").asText(), run.toString());
                assertEquals("env-model", model.requests().get(0).json().get("model").asText());
                assertEquals("Bearer " + REAL_MODEL_KEY, model.requests().get(0).header("authorization"));
            }
        }
    }

    @Test
    void outputViolatingTheSchemaFailsTheRun() {
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", -1));
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "badout", null);
            JsonNode run = awaitTerminal(s, startRun(s, "badout", "{}").get("id").asText());
            assertEquals("failed", run.get("status").asText(), run.toString());
            assertTrue(run.get("error").asText().startsWith("Output validation failed"), run.toString());
        }
    }

    @Test
    void unreachableModelFailsWithAClearError() {
        try (TestServer s = TestServer.start(dataDir)) {
            String unreachable = ScriptedModelServer.unreachableBaseUrl();
            String hostPort = unreachable.substring("http://".length(), unreachable.indexOf("/v1"));
            addModel(s, "openai-compatible", unreachable);
            addAgent(s, "nomodel", null);
            JsonNode run = awaitTerminal(s, startRun(s, "nomodel", "{}").get("id").asText());
            assertEquals("failed", run.get("status").asText(), run.toString());
            String error = run.get("error").asText();
            // one sentence naming the provider, not the server's own LLM endpoint and its JSON problem body
            assertTrue(error.startsWith("Model request failed: the model provider at " + hostPort
                    + " is unreachable (connection refused)"), error);
            assertFalse(error.contains("HTTP 502") || error.contains("{") || error.contains("/internal/llm"), error);
            assertFalse(run.toString().contains(REAL_MODEL_KEY));
        }
    }

    @Test
    void noModelConfiguredIs400AndNoRunRecord() {
        try (TestServer s = TestServer.start(dataDir)) {
            addAgent(s, "lonely", null);
            HttpResponse<String> r = s.post("/api/agents/@local/lonely/run", "{}");
            assertEquals(400, r.statusCode());
            assertEquals("model_not_configured", TestServer.json(r).get("code").asText());
            assertEquals(0, TestServer.json(s.get("/api/runs")).get("total").asInt());
        }
    }

    @Test
    void timeoutEndsTheRunAsTimeout() {
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 30")))
                .start();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "slow", 2);
            JsonNode run = awaitTerminal(s, startRun(s, "slow", "{}").get("id").asText());
            assertEquals("timeout", run.get("status").asText(), run.toString());
            assertEquals(2, run.get("timeout_seconds").asInt());
        }
    }

    @Test
    void cancelStopsTheRunnerAndLeavesNoProcess() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 60")))
                .start();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "cancelme", null);
            String runId = startRun(s, "cancelme", "{}").get("id").asText();
            long pid = awaitRunnerPid(runId);
            String runnerEnv = Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1);
            assertTrue(runnerEnv.contains("MODEL_API_KEY=sk-appstrate-run-"), "the runner holds a placeholder");
            assertFalse(runnerEnv.contains(REAL_MODEL_KEY), "the runner holds the real model key");
            assertFalse(runnerEnv.contains("test-auth-secret") || runnerEnv.contains(TestServer.OWNER_TOKEN), "server secrets leaked");
            awaitStatus(s, runId, "running");
            HttpResponse<String> c = s.post("/api/runs/" + runId + "/cancel", null);
            assertEquals(200, c.statusCode(), c.body());
            assertEquals("cancelled", TestServer.json(c).get("status").asText());
            assertEquals("Cancelled by user", TestServer.json(c).get("error").asText());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "runner still alive");
            assertTrue(noProcessMentions(runId), "a process of the run is still alive");
            HttpResponse<String> again = s.post("/api/runs/" + runId + "/cancel", null);
            assertEquals(409, again.statusCode());
            assertEquals("not_cancellable", TestServer.json(again).get("code").asText());
        }
    }

    @Test
    void killedRunnerFailsTheRun() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 60")))
                .start();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "victim", null);
            String runId = startRun(s, "victim", "{}").get("id").asText();
            long pid = awaitRunnerPid(runId);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            JsonNode run = awaitTerminal(s, runId);
            assertEquals("failed", run.get("status").asText());
            assertTrue(run.get("error").asText().contains("exited with code"), run.toString());
        }
    }

    @Test
    void watchdogFailsARunnerThatStopsReporting() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 60")))
                .start();
             TestServer s = TestServer.start(dataDir, Map.of("RUN_STALL_THRESHOLD_SECONDS", "2", "RUN_WATCHDOG_INTERVAL_SECONDS", "1"))) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "frozen", null);
            String runId = startRun(s, "frozen", "{}").get("id").asText();
            long pid = awaitRunnerPid(runId);
            awaitStatus(s, runId, "running");
            // a frozen runner: alive, but silent (no heartbeat, no events)
            new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor();
            JsonNode run = awaitTerminal(s, runId);
            assertEquals("failed", run.get("status").asText());
            assertEquals("Runner stopped reporting — no heartbeat for 2s. The runner process may have crashed or lost network "
                    + "connectivity.", run.get("error").asText());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stalled runner not killed");
            // it ended at its last sign of life (as a run failed at a restart), not when the watchdog noticed the silence
            Instant lastBeat = Instant.parse(s.server().database().read(c -> Rows.one(c,
                    "SELECT last_heartbeat_at FROM runs WHERE id=?", rs -> rs.getString(1), runId)).orElseThrow());
            Instant started = Instant.parse(run.get("started_at").asText());
            Instant completed = Instant.parse(run.get("completed_at").asText());
            assertEquals(lastBeat.isAfter(started) ? lastBeat : started, completed, run.toString());
            assertEquals(completed.toEpochMilli() - started.toEpochMilli(), run.get("duration").asLong(), run.toString());
        }
    }

    static long awaitRunnerPid(String runId) throws Exception {
        return awaitRunnerPid(null, runId);
    }

    static long awaitRunnerPid(Path dataDir, String runId) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
                var found = all.filter(p -> p.info().commandLine().map(c -> c.contains("dev.appstrate.runner.AgentRunner")).orElse(false))
                        .filter(p -> runnerOf(p, runId)).findFirst();
                if (found.isPresent()) {
                    return found.get().pid();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("runner of " + runId + " never started");
    }

    private static boolean runnerOf(ProcessHandle p, String runId) {
        try {
            return Files.readString(Path.of("/proc/" + p.pid() + "/environ"), StandardCharsets.ISO_8859_1).contains(runId);
        } catch (Exception e) {
            return false;
        }
    }

    static boolean noProcessMentions(String runId) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(ProcessHandle::isAlive).noneMatch(p -> runnerOf(p, runId));
        }
    }

    static void awaitStatus(TestServer s, String runId, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (TestServer.json(s.get("/api/runs/" + runId)).get("status").asText().equals(status)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " never reached " + status);
    }

    static void assertNoTrace(String secret, Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(secret), "secret found in " + f);
            }
        }
    }

    static Duration seconds(int n) {
        return Duration.ofSeconds(n);
    }
}
