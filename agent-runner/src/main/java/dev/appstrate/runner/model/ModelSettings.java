package dev.appstrate.runner.model;

import java.net.URI;

/**
 * What every request carries.
 *
 * @param maxTokens   {@code null} = provider default (Anthropic requires one: 16384 then)
 * @param temperature {@code null} = provider default
 */
public record ModelSettings(URI endpoint, String modelId, String apiKey, boolean stream, Integer maxTokens,
                            Double temperature) {

    @Override
    public String toString() {
        return "ModelSettings[endpoint=" + endpoint + ", modelId=" + modelId + ", stream=" + stream + "]";
    }
}
