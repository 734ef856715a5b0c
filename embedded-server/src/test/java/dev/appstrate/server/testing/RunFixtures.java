package dev.appstrate.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.json.Json;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Arranges what a run needs through the public API: a model provider, a model and an agent. */
public final class RunFixtures {
    public static final String REAL_MODEL_KEY = "sk-real-provider-key-DO-NOT-LEAK-7f3a9c";

    private RunFixtures() {
    }

    /** An openai-compatible (or anthropic) credential pointing at the scripted model, and a default model on it. */
    public static String addModel(OwnerClient s, String providerId, String baseUrl) {
        ObjectNode cred = Json.object().put("providerId", providerId).put("apiKey", REAL_MODEL_KEY)
                .put("baseUrlOverride", baseUrl).put("label", "Scripted");
        HttpResponse<String> c = s.post("/api/model-provider-credentials", cred.toString());
        assertEquals(201, c.statusCode(), c.body());
        String credId = TestServer.json(c).get("id").asText();
        HttpResponse<String> m = s.post("/api/models", Json.object().put("modelId", "scripted-model").put("credentialId", credId)
                .put("isDefault", true).toString());
        assertEquals(201, m.statusCode(), m.body());
        return TestServer.json(m).get("id").asText();
    }

    /** Imports an agent @local/{name} with an output schema requiring a non-negative integer "answer". */
    public static void addAgent(OwnerClient s, String name, Integer timeoutSeconds) {
        addAgent(s, name, timeoutSeconds, m -> { });
    }

    /** The same agent, with the manifest adjusted first (e.g. declared integrations). */
    public static void addAgent(OwnerClient s, String name, Integer timeoutSeconds, Consumer<ObjectNode> adjust) {
        ObjectNode manifest = Json.object();
        manifest.put("name", "@local/" + name);
        manifest.put("version", "1.0.0");
        manifest.put("type", "agent");
        manifest.put("schema_version", "0.1");
        manifest.put("display_name", "Test " + name);
        manifest.put("author", "tests");
        manifest.set("dependencies", Json.object());
        if (timeoutSeconds != null) {
            manifest.put("timeout", timeoutSeconds);
        }
        manifest.set("runtime_tools", Json.MAPPER.createArrayNode().add("output").add("log"));
        manifest.set("output", Json.object().set("schema", Json.MAPPER.valueToTree(Map.of(
                "type", "object",
                "properties", Map.of("answer", Map.of("type", "integer", "minimum", 0)),
                "required", List.of("answer")))));
        adjust.accept(manifest);
        ObjectNode body = Json.object();
        body.set("manifest", manifest);
        body.put("content", "You are a test agent. Run the command you are asked to run, then report the answer.");
        HttpResponse<String> r = s.post("/api/packages/agents", body.toString());
        assertEquals(201, r.statusCode(), r.body());
    }

    public static JsonNode startRun(OwnerClient s, String name, String bodyJson) {
        HttpResponse<String> r = s.post("/api/agents/@local/" + name + "/run", bodyJson);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    /** Long-polls until the run is terminal (the server's own ?wait). */
    public static JsonNode awaitTerminal(TestServer s, String runId) {
        for (int i = 0; i < 6; i++) {
            JsonNode run = TestServer.json(s.get("/api/runs/" + runId + "?wait=30"));
            String st = run.get("status").asText();
            if (!st.equals("pending") && !st.equals("running")) {
                return run;
            }
        }
        throw new AssertionError("run " + runId + " never finished");
    }

    /** A model that writes {@code outputs/<file>} and then answers 7: the runner publishes that file as the run's document. */
    public static ScriptedModelServer writesOutput(String file, String content) {
        return ScriptedModelServer.builder()
                .turn(ScriptedModelServer.Turn.toolCall("write",
                        Map.of("path", "outputs/" + file, "content", content)))
                .turn(new ScriptedModelServer.Turn("", List.of(
                        ScriptedModelServer.outputCall(Map.of("answer", 7))), 5, 5))
                .start();
    }

    /** The documents a run published, as {@code GET /api/documents?run_id=} lists them. */
    public static JsonNode documentsOf(TestServer s, String runId) {
        HttpResponse<String> r = s.get("/api/documents?run_id=" + runId);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r).get("data");
    }
}
