package dev.appstrate.server.config;

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

    /** One model of one provider key; {@code baseUrlOverride} is null when the provider's default applies. */
    public record Entry(String keyId, String providerId, String baseUrlOverride, String apiKey, String modelId,
                        JsonNode cost, boolean isDefault) {
        @Override
        public String toString() {
            return "SystemProviderKeys.Entry[" + keyId + ", " + providerId + ", " + modelId + "]";
        }
    }

    public static List<Entry> parse(String json) {
        List<Entry> out = new ArrayList<>();
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
            String base = p.hasNonNull("baseUrlOverride") ? p.get("baseUrlOverride").asText() : null;
            String key = p.path("apiKey").asText("");
            for (JsonNode m : p.path("models")) {
                String modelId = m.path("modelId").asText("");
                if (modelId.isEmpty()) {
                    throw new IllegalArgumentException("SYSTEM_PROVIDER_KEYS: every model needs a modelId");
                }
                out.add(new Entry(id, providerId, base, key, modelId, m.get("cost"), m.path("isDefault").asBoolean(false)));
            }
        }
        return out;
    }
}
