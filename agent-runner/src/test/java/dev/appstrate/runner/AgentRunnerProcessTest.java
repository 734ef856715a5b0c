// Over 400 lines on purpose: one subject (the runner as a real subprocess), a scenario per test sharing one environment and checks.
package dev.appstrate.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.RunnerProcess;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.RecordedRequest;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.runner.testing.SinkRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.appstrate.runner.testing.ScriptedModelServer.call;
import static dev.appstrate.runner.testing.ScriptedModelServer.outputCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner as a real subprocess against a scripted model and a signature-checking sink. */
class AgentRunnerProcessTest {
    static final String RUN_ID = "run_0f3c6a52-7d1e-4a8b-9c2d-1e2f3a4b5c6d";
    static final String API_KEY = "sk-test-placeholder-9f8e7d6c";
    static final Duration RUN_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path workspace;

    private Map<String, String> env(String modelApi, String baseUrl, SinkRecorder sink) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENT_RUN_ID", RUN_ID);
        env.put("AGENT_PROMPT", "You are a test agent. Say hi with bash, then call output.");
        env.put("MODEL_API", modelApi);
        env.put("MODEL_ID", "scripted-model");
        env.put("MODEL_BASE_URL", baseUrl);
        env.put("MODEL_API_KEY", API_KEY);
        env.put("WORKSPACE_DIR", workspace.toString());
        env.putAll(sink.sinkEnv(RUN_ID));
        return env;
    }

    private static RunnerProcess.Result run(Map<String, String> env) throws Exception {
        return RunnerProcess.run(env, RUN_LIMIT);
    }

    private static void assertNoSecrets(SinkRecorder sink, RunnerProcess.Result r) {
        for (SinkRecorder.Received rec : sink.received()) {
            assertFalse(rec.body().contains(API_KEY), "API key leaked in " + rec.path());
            assertFalse(rec.body().contains(sink.secret()), "sink secret leaked in " + rec.path());
        }
        assertFalse(r.stderr().contains(API_KEY) || r.stdout().contains(API_KEY), "API key printed");
        assertFalse(r.stderr().contains(sink.secret()) || r.stdout().contains(sink.secret()), "sink secret printed");
    }

    /** Signatures valid, CloudEvents envelope fields, sequences 1..n with no gap or duplicate, finalize last. */
    private static List<JsonNode> assertWellFormedEvents(SinkRecorder sink) {
        assertEquals(List.of(), sink.rejected(), "every request must carry a valid signature");
        List<JsonNode> events = sink.eventEnvelopes();
        assertFalse(events.isEmpty());
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            assertEquals(i + 1, e.path("sequence").asInt(), "sequences 1..n, no gap or duplicate: " + e);
            assertEquals("1.0", e.path("specversion").asText());
            assertEquals("/afps/runs/" + RUN_ID, e.path("source").asText());
            assertEquals("application/json", e.path("datacontenttype").asText());
            assertFalse(e.path("id").asText().isEmpty());
            assertTrue(e.path("time").asText().endsWith("Z"));
            assertTrue(e.path("data").isObject());
        }
        assertTrue(sink.finalizeAfterEvents(), "finalize only after every event was answered");
        for (SinkRecorder.Received r : sink.received()) {
            if (r.kind() == SinkRecorder.Kind.EVENT) {
                assertEquals("application/cloudevents+json", r.header("content-type"));
            }
            assertTrue(r.header("webhook-signature").startsWith("v1,"));
        }
        return events;
    }

    private static List<String> progressMessages(SinkRecorder sink) {
        return sink.events("appstrate.progress").stream().map(e -> e.path("data").path("message").asText())
                .collect(Collectors.toList());
    }

    @Test
    void happyPathBashThenOutputOverOpenAi() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.bashThenOutput("echo hi", Map.of("answer", 42))) {
            Map<String, String> env = env("openai-completions", model.baseUrl(), sink);
            env.put("AGENT_INPUT", "{\"topic\":\"greetings\"}");
            env.put("OUTPUT_SCHEMA", "{\"type\":\"object\",\"required\":[\"answer\"],\"properties\":{\"answer\":{\"type\":\"integer\"}}}");

            RunnerProcess.Result r = run(env);

            assertEquals(0, r.exitCode(), r.stderr());
            JsonNode result = sink.awaitFinalize(Duration.ofSeconds(5));
            assertEquals("success", result.path("status").asText());
            assertEquals(42, result.path("output").path("answer").asInt());
            assertEquals(32, result.path("usage").path("input_tokens").asInt(), "12 + 20");
            assertEquals(16, result.path("usage").path("output_tokens").asInt(), "7 + 9");
            assertTrue(result.path("durationMs").asLong() > 0);
            assertTrue(result.path("memories").isArray() && result.path("logs").isArray());
            assertFalse(result.has("error"));

            List<JsonNode> events = assertWellFormedEvents(sink);
            List<String> types = events.stream().map(e -> e.path("type").asText()).collect(Collectors.toList());
            assertEquals("appstrate.progress", types.get(0));
            assertTrue(progressMessages(sink).get(0).startsWith("runtime ready in "));
            assertTrue(types.contains("appstrate.metric") && types.contains("output.emitted"), types.toString());
            assertTrue(progressMessages(sink).containsAll(List.of(
                    "Turn 1 — 12 context tokens, 7 generated", "Tool: bash", "Tool result: bash",
                    "Turn 2 — 20 context tokens, 9 generated", "Tool: output", "Tool result: output")),
                    progressMessages(sink).toString());
            JsonNode bashResult = sink.events("appstrate.progress").stream()
                    .filter(e -> e.path("data").path("message").asText().equals("Tool result: bash")).findFirst().orElseThrow();
            assertEquals("hi", bashResult.at("/data/data/result/content/0/text").asText());
            assertFalse(bashResult.at("/data/data/isError").asBoolean());
            assertEquals(42, sink.events("output.emitted").get(0).at("/data/data/answer").asInt());
            JsonNode lastMetric = sink.events("appstrate.metric").get(sink.events("appstrate.metric").size() - 1);
            assertEquals(32, lastMetric.at("/data/usage/input_tokens").asInt(), "metric usage is cumulative");

            List<RecordedRequest> reqs = model.requests();
            assertEquals(2, reqs.size(), "a successful output ends the run: no third model call");
            RecordedRequest first = reqs.get(0);
            assertEquals("/v1/chat/completions", first.path());
            assertEquals("Bearer " + API_KEY, first.header("authorization"));
            JsonNode body = first.json();
            assertEquals("scripted-model", body.path("model").asText());
            assertEquals("system", body.at("/messages/0/role").asText());
            assertTrue(body.at("/messages/0/content").asText().startsWith("You are a test agent."));
            assertTrue(body.at("/messages/1/content").asText().contains("\"topic\" : \"greetings\""));
            List<String> toolNames = java.util.stream.StreamSupport.stream(body.path("tools").spliterator(), false)
                    .map(t -> t.at("/function/name").asText()).collect(Collectors.toList());
            assertEquals(List.of("bash", "read", "write", "edit", "log", "output"), toolNames);
            assertEquals("integer", body.at("/tools/5/function/parameters/properties/data/properties/answer/type").asText());
            JsonNode second = reqs.get(1).json().path("messages");
            assertEquals("tool", second.get(3).path("role").asText());
            assertEquals("hi", second.get(3).path("content").asText());
            assertNoSecrets(sink, r);
        }
    }

    @Test
    void anthropicStreamingWithLogAndOutput() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder()
                     .turn(new Turn("Let me greet.", List.of(call("log", Map.of("level", "info", "message", "about to greet"))), 30, 11))
                     .turn(new Turn("", List.of(outputCall(Map.of("greeting", "hello from the bar"))), 40, 13))
                     .start()) {
            Map<String, String> env = env("anthropic-messages", model.baseUrl(), sink);
            env.put("MODEL_STREAM", "true");

            RunnerProcess.Result r = run(env);

            assertEquals(0, r.exitCode(), r.stderr());
            JsonNode result = sink.awaitFinalize(Duration.ofSeconds(5));
            assertEquals("success", result.path("status").asText());
            assertEquals("hello from the bar", result.at("/output/greeting").asText());
            assertEquals(70, result.at("/usage/input_tokens").asInt());
            assertEquals(24, result.at("/usage/output_tokens").asInt());
            assertEquals("about to greet", result.at("/logs/0/message").asText());
            assertEquals("info", result.at("/logs/0/level").asText());

            assertWellFormedEvents(sink);
            JsonNode log = sink.events("log.written").get(0);
            assertEquals("info", log.at("/data/level").asText());
            assertEquals("about to greet", log.at("/data/message").asText());
            assertTrue(progressMessages(sink).contains("Let me greet."));
            assertTrue(progressMessages(sink).contains("Tool result: log"));

            RecordedRequest first = model.requests().get(0);
            assertEquals("/v1/messages", first.path());
            assertEquals(API_KEY, first.header("x-api-key"));
            assertEquals("2023-06-01", first.header("anthropic-version"));
            assertTrue(first.isStreaming());
            assertTrue(first.json().path("system").asText().startsWith("You are a test agent."));
            JsonNode history = model.requests().get(1).json().path("messages");
            assertEquals("tool_use", history.at("/1/content/1/type").asText());
            assertEquals("tool_result", history.at("/2/content/0/type").asText());
            assertEquals("Logged [info]: about to greet", history.at("/2/content/0/content").asText());
            assertNoSecrets(sink, r);
        }
    }

    @Test
    void openAiStreamingAccumulatesToolCallDeltas() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.bashThenOutput("printf 'a%sb' -", Map.of("answer", 7, "note", "streamed"))) {
            Map<String, String> env = env("openai-compatible", model.baseUrl(), sink);
            env.put("MODEL_STREAM", "true");

            RunnerProcess.Result r = run(env);

            assertEquals(0, r.exitCode(), r.stderr());
            JsonNode result = sink.awaitFinalize(Duration.ofSeconds(5));
            assertEquals("success", result.path("status").asText());
            assertEquals(7, result.at("/output/answer").asInt());
            assertEquals("streamed", result.at("/output/note").asText());
            assertEquals(32, result.at("/usage/input_tokens").asInt(), "usage from the include_usage chunk");
            assertTrue(model.requests().get(0).isStreaming());
            assertTrue(model.requests().get(0).json().at("/stream_options/include_usage").asBoolean());
            assertEquals("a-b", model.requests().get(1).json().at("/messages/3/content").asText());
            assertWellFormedEvents(sink);
        }
    }

    @Test
    void retriesModelFailuresWithBackoff() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder().failFirst(2, 500)
                     .turn(Turn.toolCall("output", Map.of("data", Map.of("ok", true)))).start()) {
            RunnerProcess.Result r = run(env("openai-completions", model.baseUrl(), sink));

            assertEquals(0, r.exitCode(), r.stderr());
            JsonNode result = sink.awaitFinalize(Duration.ofSeconds(5));
            assertEquals("success", result.path("status").asText());
            assertTrue(result.at("/output/ok").asBoolean());
            assertEquals(3, model.requestCount(), "two 500s, then the answer");
            assertTrue(r.stderr().contains("model request failed, retrying"), r.stderr());
        }
    }

    @Test
    void unreachableModelFailsWithAClearMessage() throws Exception {
        String baseUrl = ScriptedModelServer.unreachableBaseUrl();
        String hostPort = baseUrl.substring("http://".length(), baseUrl.indexOf("/v1"));
        try (SinkRecorder sink = SinkRecorder.start()) {
            RunnerProcess.Result r = run(env("openai-completions", baseUrl, sink));

            assertEquals(1, r.exitCode(), r.stderr());
            JsonNode result = sink.awaitFinalize(Duration.ofSeconds(5));
            assertEquals("failed", result.path("status").asText());
            String message = result.at("/error/message").asText();
            assertTrue(message.startsWith("Model request failed: connection refused by " + hostPort), message);
            assertTrue(message.contains("after 4 attempts"), message);
            assertEquals("model_request_failed", result.at("/error/code").asText());
            assertFalse(message.contains(API_KEY));
            assertEquals(message, sink.events("appstrate.error").get(0).at("/data/message").asText());
            assertNoSecrets(sink, r);
        }
    }

    @Test
    void timeoutStopsTheRunAndFinalizesTimeout() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder().delay(Duration.ofSeconds(20))
                     .turn(Turn.text("too late")).start()) {
            Map<String, String> env = env("openai-completions", model.baseUrl(), sink);
            env.put("AGENT_TIMEOUT_SECONDS", "2");

            RunnerProcess.Result r = run(env);

            assertEquals(1, r.exitCode(), r.stderr());
            JsonNode result = sink.awaitFinalize(Duration.ofSeconds(5));
            assertEquals("timeout", result.path("status").asText());
            assertEquals("timeout", result.at("/error/code").asText());
            assertEquals("Run timed out after 2s", result.at("/error/message").asText());
            assertTrue(r.elapsed().compareTo(Duration.ofSeconds(15)) < 0, "stopped by its own watchdog: " + r.elapsed());
            assertWellFormedEvents(sink);
        }
    }

    @Test
    void timeoutKillsARunningToolProcessTree() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder()
                     .turn(Turn.toolCall("bash", Map.of("command", "(sleep 60) & echo $! > child.pid; sleep 60", "timeout", 120)))
                     .start()) {
            Map<String, String> env = env("openai-completions", model.baseUrl(), sink);
            env.put("AGENT_TIMEOUT_SECONDS", "2");

            RunnerProcess.Result r = run(env);

            assertEquals(1, r.exitCode(), r.stderr());
            assertEquals("timeout", sink.awaitFinalize(Duration.ofSeconds(5)).path("status").asText());
            long childPid = Long.parseLong(Files.readString(workspace.resolve("child.pid")).trim());
            assertTrue(RunnerProcess.awaitGone(childPid), "tool process tree killed on timeout");
        }
    }

    @Test
    void sigtermKillsToolProcessesAndLeavesFinalizeToTheServer() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder()
                     .turn(Turn.toolCall("bash", Map.of("command", "(sleep 60) & echo $! > child.pid; sleep 60")))
                     .start()) {
            Process p = RunnerProcess.start(env("openai-completions", model.baseUrl(), sink), List.of());
            Path pidFile = workspace.resolve("child.pid");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!(Files.exists(pidFile) && Files.size(pidFile) > 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long childPid = Long.parseLong(Files.readString(pidFile).trim());

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));

            assertTrue(p.exitValue() != 0, "exit " + p.exitValue());
            assertTrue(RunnerProcess.awaitGone(childPid), "tool process tree killed by the shutdown hook");
            assertTrue(sink.finalizeBody().isEmpty(), "no finalize on SIGTERM");
        }
    }

    @Test
    void readToolRefusesToEscapeTheWorkspace() throws Exception {
        Path ws = Files.createDirectory(workspace.resolve("ws"));
        Files.writeString(workspace.resolve("outside.txt"), "TOP SECRET");
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder()
                     .turn(Turn.toolCall("read", Map.of("path", "../outside.txt")))
                     .turn(Turn.toolCall("output", Map.of("data", Map.of("done", true))))
                     .start()) {
            Map<String, String> env = env("openai-completions", model.baseUrl(), sink);
            env.put("WORKSPACE_DIR", ws.toString());

            RunnerProcess.Result r = run(env);

            assertEquals(0, r.exitCode(), r.stderr());
            sink.awaitFinalize(Duration.ofSeconds(5));
            JsonNode toolMessage = model.requests().get(1).json().at("/messages/3");
            assertEquals("tool", toolMessage.path("role").asText());
            assertEquals("Path escapes the workspace: ../outside.txt", toolMessage.path("content").asText());
            assertFalse(model.requests().get(1).body().contains("TOP SECRET"));
            assertTrue(progressMessages(sink).contains("Tool error: read"));
        }
    }

    @Test
    void missingRequiredOutputRepromptsOnceThenFails() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder().finalText("done").start()) {
            Map<String, String> env = env("openai-completions", model.baseUrl(), sink);
            env.put("OUTPUT_SCHEMA", "{\"type\":\"object\",\"required\":[\"greeting\"]}");

            RunnerProcess.Result r = run(env);

            assertEquals(1, r.exitCode(), r.stderr());
            JsonNode result = sink.awaitFinalize(Duration.ofSeconds(5));
            assertEquals("failed", result.path("status").asText());
            assertTrue(result.at("/error/message").asText().startsWith("Agent finished without calling the required `output` tool."));
            assertEquals(2, model.requestCount());
            assertTrue(model.requests().get(1).body().contains("You ended your turn without calling the `output` tool."));
        }
    }

    @Test
    void invalidEnvironmentIsReportedThroughTheSink() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start()) {
            Map<String, String> env = new LinkedHashMap<>(sink.sinkEnv(RUN_ID));
            env.put("AGENT_RUN_ID", RUN_ID);
            env.put("MODEL_API", "openai-completions");

            RunnerProcess.Result r = run(env);

            assertEquals(1, r.exitCode());
            assertTrue(r.stderr().contains("[agent-runner fatal] Runner configuration invalid: AGENT_PROMPT: required"), r.stderr());
            JsonNode result = sink.awaitFinalize(Duration.ofSeconds(5));
            assertEquals("failed", result.path("status").asText());
            assertEquals("runner_env_invalid", result.at("/error/code").asText());
            assertTrue(result.at("/error/message").asText().contains("MODEL_ID: required"));
        }
    }

    @Test
    void heartbeatsAreSignedEmptyObjects() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder().delay(Duration.ofMillis(2000))
                     .turn(Turn.toolCall("output", Map.of("data", Map.of())))
                     .start()) {
            Map<String, String> env = env("openai-completions", model.baseUrl(), sink);
            env.put("HEARTBEAT_INTERVAL_SECONDS", "1");

            RunnerProcess.Result r = run(env);

            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(sink.heartbeats() >= 1, "heartbeats: " + sink.heartbeats());
            SinkRecorder.Received hb = sink.received().stream().filter(x -> x.kind() == SinkRecorder.Kind.HEARTBEAT)
                    .findFirst().orElseThrow();
            assertEquals("{}", hb.body());
            assertEquals("/api/runs/" + RUN_ID + "/events/heartbeat", hb.path());
            assertEquals(List.of(), sink.rejected());
        }
    }

    @Test
    void sinkRetriesKeepOrderAndReuseTheMessageId() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.bashThenOutput("echo hi", Map.of("answer", 1))) {
            sink.failNextEvents(2, 503);

            RunnerProcess.Result r = run(env("openai-completions", model.baseUrl(), sink));

            assertEquals(0, r.exitCode(), r.stderr());
            sink.awaitFinalize(Duration.ofSeconds(5));
            List<JsonNode> events = assertWellFormedEvents(sink);
            assertEquals(1, events.get(0).path("sequence").asInt(), "the first event got through after retries");
            assertNotNull(sink.finalizeBody().orElse(null));
        }
    }

    @Test
    void closedSinkStopsTheRunWithoutFinalize() throws Exception {
        try (SinkRecorder sink = SinkRecorder.start();
             ScriptedModelServer model = ScriptedModelServer.builder().delay(Duration.ofMillis(500))
                     .turns(Turn.toolCall("bash", Map.of("command", "true")), Turn.toolCall("bash", Map.of("command", "true")),
                             Turn.toolCall("bash", Map.of("command", "true")), Turn.toolCall("bash", Map.of("command", "true")))
                     .start()) {
            sink.closeSink();

            RunnerProcess.Result r = run(env("openai-completions", model.baseUrl(), sink));

            assertEquals(1, r.exitCode(), r.stderr());
            assertTrue(sink.finalizeBody().isEmpty());
            // unstopped, the script would take 5 model calls (4 bash turns + the final answer)
            assertTrue(model.requestCount() <= 3, "stops once the server said 410: " + model.requestCount());
        }
    }
}
