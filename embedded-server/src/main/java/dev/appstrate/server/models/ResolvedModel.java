package dev.appstrate.server.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.config.SystemProviderKeys;
import java.util.List;

/**
 * The model a run will call: its API shape, upstream base URL and real key. The key stays in the
 * server (the LLM sidecar uses it); the runner only ever sees a placeholder.
 */
public record ResolvedModel(String id, String label, String providerId, String apiShape, String modelId, String baseUrl,
                            String apiKey, JsonNode cost, String source) {

    @Override
    public String toString() {
        return "ResolvedModel[" + id + ", " + providerId + ", " + modelId + ", " + baseUrl + "]";
    }

    /** The models {@code SYSTEM_PROVIDER_KEYS} configures, as runs resolve them. */
    public static List<ResolvedModel> ofSystemKeys(List<SystemProviderKeys.Entry> entries) {
        return entries.stream().map(e -> new ResolvedModel(e.keyId() + ":" + e.modelId(), e.modelId(), e.providerId(),
                apiShapeOf(e.providerId()), e.modelId(),
                e.baseUrlOverride() != null ? e.baseUrlOverride() : defaultBaseUrl(e.providerId()), e.apiKey(), e.cost(),
                e.isDefault() ? "system-default" : "system")).toList();
    }

    /** {@code openai-completions} or {@code anthropic-messages}, as the original names the shapes. */
    public static String apiShapeOf(String providerId) {
        return "anthropic".equals(providerId) ? "anthropic-messages" : "openai-completions";
    }

    public static String defaultBaseUrl(String providerId) {
        return "anthropic".equals(providerId) ? "https://api.anthropic.com" : "https://api.openai.com/v1";
    }
}
