package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /api/model-provider-credentials} and {@code /api/models}, read into typed records. */
public final class ModelsApi {
    /** The last connection test of a provider: {@code ok}, {@code failed} or {@code untested}. */
    public record Health(String status, long latencyMs, String error) {
        public static final Health UNTESTED = new Health("untested", 0, "");

        static Health of(JsonNode h) {
            return h == null || h.isMissingNode() || h.isNull() ? UNTESTED
                    : new Health(h.path("status").asText("untested"), h.path("latency_ms").asLong(), DesktopJson.text(h, "error"));
        }

        public boolean failed() {
            return "failed".equals(status);
        }
    }

    /** A provider credential (its key never comes back). */
    public record Provider(String id, String label, String providerId, String baseUrl, Health health, List<String> modelIds) {
        static Provider of(JsonNode c) {
            return new Provider(DesktopJson.text(c, "id"), DesktopJson.text(c, "label"), DesktopJson.text(c, "providerId"),
                    DesktopJson.text(c, "baseUrl"), Health.of(c.get("health")), texts(c.path("available_model_ids")));
        }
    }

    /** A model runs may use; {@code credentialId} is empty for one configured in the server's environment. */
    public record Model(String id, String label, String modelId, String providerId, String baseUrl, String credentialId,
                        boolean isDefault, Health health) {
        static Model of(JsonNode m) {
            return new Model(DesktopJson.text(m, "id"), DesktopJson.text(m, "label"), DesktopJson.text(m, "modelId"),
                    DesktopJson.text(m, "providerId"), DesktopJson.text(m, "baseUrl"), DesktopJson.text(m, "credentialId"),
                    m.path("is_default").asBoolean(), Health.of(m.get("health")));
        }

        public boolean fromEnvironment() {
            return credentialId.isEmpty();
        }
    }

    /** A connection test: did the provider answer, how fast, with which models; {@code error} is a sentence. */
    public record TestResult(boolean ok, long latencyMs, String error, List<String> modelIds) {
        static TestResult of(JsonNode r) {
            // the original's TestResult: error is a code, message the sentence
            String said = DesktopJson.text(r, "message").isEmpty() ? DesktopJson.text(r, "error") : DesktopJson.text(r, "message");
            return new TestResult(r.path("ok").asBoolean(), r.path("latency").asLong(r.path("latency_ms").asLong()), said,
                    texts(r.path("available_model_ids")));
        }
    }

    private final AppstrateClient client;

    public ModelsApi(AppstrateClient client) {
        this.client = client;
    }

    public List<Model> models() {
        List<Model> out = new ArrayList<>();
        client.get("/api/models", Map.of()).path("data").forEach(m -> out.add(Model.of(m)));
        return out;
    }

    public List<Provider> providers() {
        List<Provider> out = new ArrayList<>();
        client.get("/api/model-provider-credentials", Map.of()).path("data").forEach(c -> out.add(Provider.of(c)));
        return out;
    }

    /** Asks a provider for its models before anything is saved. */
    public TestResult probe(String providerId, String baseUrl, String apiKey) {
        return TestResult.of(client.send("POST", "/api/model-provider-credentials/probe", body(providerId, null, apiKey, baseUrl)));
    }

    public Provider createProvider(String providerId, String label, String apiKey, String baseUrl) {
        return Provider.of(client.send("POST", "/api/model-provider-credentials", body(providerId, label, apiKey, baseUrl)));
    }

    /** Changes the label and base URL; a blank key keeps the stored one. */
    public Provider updateProvider(String id, String label, String apiKey, String baseUrl) {
        return Provider.of(client.send("PUT", "/api/model-provider-credentials/" + id, body(null, label, apiKey, baseUrl)));
    }

    public void deleteProvider(String id) {
        client.send("DELETE", "/api/model-provider-credentials/" + id, Map.of(), null);
    }

    public TestResult test(String credentialId) {
        if (credentialId == null || credentialId.isBlank()) {
            throw new IllegalArgumentException("This model comes from the server's environment: it has no provider to test here.");
        }
        return TestResult.of(client.send("POST", "/api/model-provider-credentials/" + credentialId + "/test", DesktopJson.object()));
    }

    public Model createModel(String credentialId, String modelId, String label) {
        ObjectNode b = DesktopJson.object().put("credentialId", credentialId).put("modelId", modelId);
        if (label != null && !label.isBlank()) {
            b.put("label", label);
        }
        return Model.of(client.send("POST", "/api/models", b));
    }

    public Model updateModel(String id, String modelId, String label) {
        ObjectNode b = DesktopJson.object().put("modelId", modelId);
        if (label != null && !label.isBlank()) {
            b.put("label", label);
        }
        return Model.of(client.send("PUT", "/api/models/" + id, b));
    }

    public void deleteModel(String id) {
        client.send("DELETE", "/api/models/" + id, Map.of(), null);
    }

    public Model setDefault(String id) {
        return Model.of(client.send("PUT", "/api/models/default", DesktopJson.object().put("modelId", id)));
    }

    private static ObjectNode body(String providerId, String label, String apiKey, String baseUrl) {
        ObjectNode b = DesktopJson.object();
        if (providerId != null) {
            b.put("providerId", providerId);
        }
        if (label != null && !label.isBlank()) {
            b.put("label", label);
        }
        if (apiKey != null && !apiKey.isBlank()) {
            b.put("apiKey", apiKey);
        }
        if (baseUrl != null && !baseUrl.isBlank() && !"anthropic".equals(providerId)) {
            b.put("baseUrlOverride", baseUrl.trim());
        }
        return b;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
