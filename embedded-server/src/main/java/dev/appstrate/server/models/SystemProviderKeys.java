package dev.appstrate.server.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code SYSTEM_PROVIDER_KEYS}: models from the environment, in the original's format
 * {@code [{"id","providerId","baseUrlOverride","apiKey","models":[{"modelId","isDefault"}]}]}.
 */
public final class SystemProviderKeys {
    private SystemProviderKeys() {
    }

    public static List<ResolvedModel> parse(String json) {
        List<ResolvedModel> out = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode arr;
        try {
            arr = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("SYSTEM_PROVIDER_KEYS must be valid JSON (an array of provider keys)");
        }
        if (!arr.isArray()) {
            throw new IllegalArgumentException("SYSTEM_PROVIDER_KEYS must be a JSON array");
        }
        for (JsonNode p : arr) {
            String id = p.path("id").asText("");
            String providerId = p.path("providerId").asText("");
            if (id.isEmpty() || !(providerId.equals("openai-compatible") || providerId.equals("anthropic"))) {
                throw new IllegalArgumentException("SYSTEM_PROVIDER_KEYS: each entry needs an id and a providerId of "
                        + "openai-compatible or anthropic");
            }
            String base = p.hasNonNull("baseUrlOverride") ? p.get("baseUrlOverride").asText()
                    : ResolvedModel.defaultBaseUrl(providerId);
            String key = p.path("apiKey").asText("");
            for (JsonNode m : p.path("models")) {
                String modelId = m.path("modelId").asText("");
                if (modelId.isEmpty()) {
                    throw new IllegalArgumentException("SYSTEM_PROVIDER_KEYS: every model needs a modelId");
                }
                out.add(new ResolvedModel(id + ":" + modelId, modelId, providerId, ResolvedModel.apiShapeOf(providerId),
                        modelId, base, key, m.get("cost"), m.path("isDefault").asBoolean(false) ? "system-default" : "system"));
            }
        }
        return out;
    }
}
