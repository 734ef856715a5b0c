package dev.appstrate.desktop.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /api/model-provider-credentials} and {@code /api/models}, read into typed records. */
public final class ModelsApi {
    /** The last connection test of a provider: {@code ok}, {@code failed} or {@code untested}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Health(String status, @JsonProperty("latency_ms") long latencyMs, String error) {
        public static final Health UNTESTED = new Health("untested", 0, "");

        public Health {
            status = status == null ? "untested" : status;
            error = error == null ? "" : error;
        }

        public boolean failed() {
            return "failed".equals(status);
        }
    }

    /** A provider credential (its key never comes back). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Provider(String id, String label, String providerId, String baseUrl, Health health,
                           @JsonProperty("available_model_ids") List<String> modelIds) {
        public Provider {
            id = blank(id);
            label = blank(label);
            providerId = blank(providerId);
            baseUrl = blank(baseUrl);
            health = health == null ? Health.UNTESTED : health;
            modelIds = modelIds == null ? List.of() : List.copyOf(modelIds);
        }
    }

    /** A model runs may use; {@code credentialId} is empty for one configured in the server's environment. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Model(String id, String label, String modelId, String providerId, String baseUrl, String credentialId,
                        @JsonProperty("is_default") boolean isDefault, Health health) {
        public Model {
            id = blank(id);
            label = blank(label);
            modelId = blank(modelId);
            providerId = blank(providerId);
            baseUrl = blank(baseUrl);
            credentialId = blank(credentialId);
            health = health == null ? Health.UNTESTED : health;
        }

        public boolean fromEnvironment() {
            return credentialId.isEmpty();
        }
    }

    /** A connection test: did the provider answer, how fast, with which models; {@code error} is a sentence. */
    public record TestResult(boolean ok, long latencyMs, String error, List<String> modelIds) {
    }

    /** A test answer as sent: the original's TestResult has {@code latency}, {@code error} a code and {@code message} the sentence; ours {@code latency_ms} and {@code error}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record TestAnswer(boolean ok, Long latency, @JsonProperty("latency_ms") Long latencyMs, String message, String error,
                              @JsonProperty("available_model_ids") List<String> modelIds) {
        TestResult result() {
            String said = message == null || message.isEmpty() ? blank(error) : message;
            return new TestResult(ok, latency != null ? latency : latencyMs != null ? latencyMs : 0, said,
                    modelIds == null ? List.of() : List.copyOf(modelIds));
        }
    }

    private final AppstrateClient client;

    public ModelsApi(AppstrateClient client) {
        this.client = client;
    }

    public List<Model> models() {
        return list(client.get("/api/models", Map.of()), Model.class);
    }

    public List<Provider> providers() {
        return list(client.get("/api/model-provider-credentials", Map.of()), Provider.class);
    }

    /** Asks a provider for its models before anything is saved. */
    public TestResult probe(String providerId, String baseUrl, String apiKey) {
        return test(client.send("POST", "/api/model-provider-credentials/probe", body(providerId, null, apiKey, baseUrl)));
    }

    public Provider createProvider(String providerId, String label, String apiKey, String baseUrl) {
        return read(Provider.class, client.send("POST", "/api/model-provider-credentials", body(providerId, label, apiKey, baseUrl)));
    }

    /** Changes the label and base URL; a blank key keeps the stored one. */
    public Provider updateProvider(String id, String label, String apiKey, String baseUrl) {
        return read(Provider.class, client.send("PUT", "/api/model-provider-credentials/" + id, body(null, label, apiKey, baseUrl)));
    }

    public void deleteProvider(String id) {
        client.send("DELETE", "/api/model-provider-credentials/" + id, Map.of(), null);
    }

    public TestResult test(String credentialId) {
        if (credentialId == null || credentialId.isBlank()) {
            throw new IllegalArgumentException("This model comes from the server's environment: it has no provider to test here.");
        }
        return test(client.send("POST", "/api/model-provider-credentials/" + credentialId + "/test", DesktopJson.object()));
    }

    public Model createModel(String credentialId, String modelId, String label) {
        ObjectNode b = DesktopJson.object().put("credentialId", credentialId).put("modelId", modelId);
        if (label != null && !label.isBlank()) {
            b.put("label", label);
        }
        return read(Model.class, client.send("POST", "/api/models", b));
    }

    public Model updateModel(String id, String modelId, String label) {
        ObjectNode b = DesktopJson.object().put("modelId", modelId);
        if (label != null && !label.isBlank()) {
            b.put("label", label);
        }
        return read(Model.class, client.send("PUT", "/api/models/" + id, b));
    }

    public void deleteModel(String id) {
        client.send("DELETE", "/api/models/" + id, Map.of(), null);
    }

    public Model setDefault(String id) {
        return read(Model.class, client.send("PUT", "/api/models/default", DesktopJson.object().put("modelId", id)));
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

    private static TestResult test(JsonNode answer) {
        return read(TestAnswer.class, answer).result();
    }

    private static <T> T read(Class<T> type, JsonNode json) {
        return DesktopJson.MAPPER.convertValue(json, type);
    }

    private static <T> List<T> list(JsonNode page, Class<T> type) {
        List<T> out = new ArrayList<>();
        page.path("data").forEach(n -> out.add(read(type, n)));
        return out;
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }
}
