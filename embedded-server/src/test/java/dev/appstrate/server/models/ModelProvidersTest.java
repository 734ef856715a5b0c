package dev.appstrate.server.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model providers as a user manages them: test with latency, the provider's model list, health, edit, delete, default. */
class ModelProvidersTest {
    private static final String KEY = "sk-provider-test-key-0000";
    @TempDir
    Path dataDir;

    private static String credential(TestServer s, String label, String baseUrl) {
        HttpResponse<String> r = s.post("/api/model-provider-credentials", Json.object().put("providerId", "openai-compatible")
                .put("apiKey", KEY).put("baseUrlOverride", baseUrl).put("label", label).toString());
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).get("id").asText();
    }

    private static JsonNode model(TestServer s, String credId, String modelId) {
        HttpResponse<String> r = s.post("/api/models", Json.object().put("modelId", modelId).put("credentialId", credId).toString());
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void testingAProviderReportsLatencyItsModelsAndHealth() {
        try (ScriptedModelServer provider = ScriptedModelServer.instant(Map.of("answer", 1));
             TestServer s = TestServer.start(dataDir)) {
            String credId = credential(s, "Scripted", provider.baseUrl());
            JsonNode listed = TestServer.json(s.get("/api/model-provider-credentials")).get("data").get(0);
            assertEquals("untested", listed.at("/health/status").asText());

            HttpResponse<String> r = s.post("/api/model-provider-credentials/" + credId + "/test", null);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode test = TestServer.json(r);
            assertTrue(test.get("ok").asBoolean(), r.body());
            assertTrue(test.get("latency").asLong() >= 0);
            assertEquals(List.of("scripted-model", "scripted-model-large"), texts(test.get("available_model_ids")));

            listed = TestServer.json(s.get("/api/model-provider-credentials")).get("data").get(0);
            assertEquals("ok", listed.at("/health/status").asText());
            assertTrue(texts(listed.get("available_model_ids")).contains("scripted-model"));

            JsonNode m = model(s, credId, "scripted-model");
            assertEquals(credId, m.get("credentialId").asText(), "the model names its credential, so Test model reaches it");
            assertTrue(m.get("is_default").asBoolean(), "a first model on a provider that answered becomes the default");
            assertEquals("ok", m.at("/health/status").asText());
            assertEquals(0, provider.requestCount(), "listing models is not a model call");
        }
    }

    @Test
    void aProviderThatFailsItsTestIsNeverMadeTheDefault() {
        try (ScriptedModelServer good = ScriptedModelServer.instant(Map.of("answer", 1));
             TestServer s = TestServer.start(dataDir)) {
            String badUrl = ScriptedModelServer.unreachableBaseUrl();
            String bad = credential(s, "Closed port", badUrl);
            JsonNode test = TestServer.json(s.post("/api/model-provider-credentials/" + bad + "/test", null));
            assertFalse(test.get("ok").asBoolean());
            String hostPort = badUrl.substring("http://".length(), badUrl.indexOf("/v1"));
            assertEquals("unreachable", test.get("error").asText());
            assertEquals("The provider at " + hostPort + " is unreachable (connection refused)", test.get("message").asText());

            JsonNode badModel = model(s, bad, "nowhere");
            assertFalse(badModel.get("is_default").asBoolean(), "a failing provider is not made the default");
            assertEquals("failed", badModel.at("/health/status").asText());

            // never tested before: creating its model tests it, and the untested-but-working one becomes the default
            JsonNode goodModel = model(s, credential(s, "Scripted", good.baseUrl()), "scripted-model");
            assertTrue(goodModel.get("is_default").asBoolean(), goodModel.toString());
            JsonNode models = TestServer.json(s.get("/api/models")).get("data");
            assertEquals(1, models.findValues("is_default").stream().filter(JsonNode::asBoolean).count());
            assertFalse(s.get("/api/models").body().contains(KEY));
        }
    }

    @Test
    void aProviderIsProbedBeforeSavingEditedAndDeleted() {
        try (ScriptedModelServer provider = ScriptedModelServer.instant(Map.of("answer", 1));
             TestServer s = TestServer.start(dataDir)) {
            HttpResponse<String> probe = s.post("/api/model-provider-credentials/probe", Json.object()
                    .put("providerId", "openai-compatible").put("apiKey", KEY).put("baseUrlOverride", provider.baseUrl()).toString());
            assertEquals(200, probe.statusCode(), probe.body());
            assertTrue(texts(TestServer.json(probe).get("available_model_ids")).contains("scripted-model-large"));
            assertEquals(0, TestServer.json(s.get("/api/model-provider-credentials")).get("data").size(), "a probe saves nothing");
            HttpResponse<String> badProbe = s.post("/api/model-provider-credentials/probe",
                    Json.object().put("providerId", "openai-compatible").put("baseUrlOverride", "ftp://x").toString());
            assertEquals(400, badProbe.statusCode(), badProbe.body());

            String credId = credential(s, "Scripted", ScriptedModelServer.unreachableBaseUrl());
            assertFalse(TestServer.json(s.post("/api/model-provider-credentials/" + credId + "/test", null)).get("ok").asBoolean());
            HttpResponse<String> edited = s.send("PUT", "/api/model-provider-credentials/" + credId,
                    Json.object().put("label", "Fixed").put("baseUrlOverride", provider.baseUrl()).toString());
            assertEquals(200, edited.statusCode(), edited.body());
            assertEquals("untested", TestServer.json(edited).at("/health/status").asText(), "an edit forgets the old result");
            assertTrue(TestServer.json(s.post("/api/model-provider-credentials/" + credId + "/test", null)).get("ok").asBoolean());

            String modelId = model(s, credId, "scripted-model").get("id").asText();
            HttpResponse<String> renamed = s.send("PUT", "/api/models/" + modelId,
                    Json.object().put("modelId", "scripted-model-large").put("label", "Large").toString());
            assertEquals("scripted-model-large", TestServer.json(renamed).get("modelId").asText());
            assertEquals(204, s.delete("/api/models/" + modelId).statusCode());
            assertEquals(0, TestServer.json(s.get("/api/models")).get("data").size());
            assertEquals(204, s.delete("/api/model-provider-credentials/" + credId).statusCode());
            assertEquals(0, TestServer.json(s.get("/api/model-provider-credentials")).get("data").size());
        }
    }
}
