package dev.appstrate.runner;

import dev.appstrate.runner.model.ModelApi;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonAndConfigTest {

    @Test
    void mergePatchFoldsSuccessiveOutputs() {
        var merged = Json.mergePatch(Json.parse("{\"a\":1,\"b\":{\"x\":1,\"y\":2},\"c\":3}"),
                Json.parse("{\"b\":{\"y\":20},\"c\":null,\"d\":4}"));
        assertEquals(Json.parse("{\"a\":1,\"b\":{\"x\":1,\"y\":20},\"d\":4}"), merged);
        assertEquals(Json.parse("{\"z\":1}"), Json.mergePatch(null, Json.parse("{\"z\":1}")));
    }

    @Test
    void endpointRules() {
        assertEquals("http://h:1/v1/chat/completions", ModelApi.OPENAI_CHAT_COMPLETIONS.endpoint("http://h:1/v1/"));
        assertEquals("http://h:1/v1/messages", ModelApi.ANTHROPIC_MESSAGES.endpoint("http://h:1/v1"));
        assertEquals("https://api.anthropic.com/v1/messages", ModelApi.ANTHROPIC_MESSAGES.endpoint("https://api.anthropic.com"));
        assertEquals("http://sidecar:8080/llm/v1/messages", ModelApi.ANTHROPIC_MESSAGES.endpoint("http://sidecar:8080/llm"));
        assertEquals(ModelApi.OPENAI_CHAT_COMPLETIONS, ModelApi.fromEnv("openai-compatible").orElseThrow());
        assertEquals(ModelApi.ANTHROPIC_MESSAGES, ModelApi.fromEnv("anthropic").orElseThrow());
        assertTrue(ModelApi.fromEnv("google-generative-ai").isEmpty());
    }

    @Test
    void configReportsAllProblemsAtOnceAndNeverPrintsSecrets() {
        Map<String, String> env = new HashMap<>();
        env.put("APPSTRATE_SINK_URL", "http://127.0.0.1:9/api/runs/r/events");
        env.put("APPSTRATE_SINK_FINALIZE_URL", "http://127.0.0.1:9/api/runs/r/events/finalize");
        env.put("APPSTRATE_SINK_SECRET", "sink-secret-value-123");
        env.put("MODEL_API", "carrier-pigeon");
        env.put("AGENT_TIMEOUT_SECONDS", "-4");
        RunnerConfig.Invalid e = assertThrows(RunnerConfig.Invalid.class, () -> RunnerConfig.fromEnv(env));
        assertTrue(e.issues.contains("AGENT_RUN_ID: required"));
        assertTrue(e.issues.contains("AGENT_PROMPT: required"));
        assertTrue(e.issues.contains("MODEL_ID: required"));
        assertTrue(e.issues.stream().anyMatch(i -> i.startsWith("MODEL_API: unknown api \"carrier-pigeon\"")));
        assertTrue(e.issues.stream().anyMatch(i -> i.startsWith("AGENT_TIMEOUT_SECONDS")));
        assertTrue(e.sink.isPresent(), "sink still usable to report the failure");
        assertEquals("http://127.0.0.1:9/api/runs/r/events/heartbeat", e.sink.get().heartbeatUrl().toString());

        env.put("AGENT_RUN_ID", "run_1");
        env.put("AGENT_PROMPT", "p");
        env.put("MODEL_ID", "m");
        env.put("MODEL_API", "openai-completions");
        env.put("MODEL_API_KEY", "sk-real-looking-key");
        env.remove("AGENT_TIMEOUT_SECONDS");
        RunnerConfig c = assertDoesNotThrow(env);
        assertEquals(300, c.timeoutSeconds());
        assertEquals(50, c.maxTurns());
        assertEquals("https://api.openai.com/v1", c.modelBaseUrl());
        assertFalse(c.toString().contains("sk-real-looking-key"));
        assertFalse(c.toString().contains("sink-secret-value-123"));
        assertEquals("a [redacted] b [redacted]", c.redactor().scrub("a sk-real-looking-key b sink-secret-value-123"));
    }

    private static RunnerConfig assertDoesNotThrow(Map<String, String> env) {
        try {
            return RunnerConfig.fromEnv(env);
        } catch (RunnerConfig.Invalid e) {
            throw new AssertionError(e.getMessage());
        }
    }
}
