package dev.appstrate.desktop.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A run as the API returns it (the original's Run DTO and ours; unknown fields ignored). {@code input}, {@code result}
 * and {@code error} stay JSON: they are what the agent and its caller made them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Run(String id, String status,
                  @JsonProperty("agent_scope") String agentScope,
                  @JsonProperty("agent_name") String agentName,
                  String packageId,
                  @JsonProperty("started_at") String startedAt,
                  Long duration,
                  Double cost,
                  @JsonProperty("token_usage") TokenUsage tokenUsage,
                  @JsonProperty("model_label") String modelLabel,
                  @JsonProperty("model_source") String modelSource,
                  JsonNode input,
                  JsonNode result,
                  JsonNode error,
                  @JsonProperty("inline_manifest") JsonNode inlineManifest,
                  @JsonProperty("inline_prompt") String inlinePrompt) {

    public Run {
        id = id == null ? "" : id;
        status = status == null ? "" : status; // "" while unknown: screens and sets never meet null
    }

    /** Tokens used; the original names them input_tokens/output_tokens, older servers input/output. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TokenUsage(@JsonProperty("input_tokens") Long inputTokens, @JsonProperty("output_tokens") Long outputTokens,
                             Long input, Long output) {
        public long in() {
            return inputTokens != null ? inputTokens : input != null ? input : 0;
        }

        public long out() {
            return outputTokens != null ? outputTokens : output != null ? output : 0;
        }
    }

    public static Run of(JsonNode run) {
        return DesktopJson.MAPPER.convertValue(run, Run.class);
    }

    /** "@scope/name" (from the agent's scope and name, or the package id). */
    public String agent() {
        String name = agentName == null ? "" : agentName;
        if (!name.isEmpty()) {
            String scope = agentScope == null ? "" : agentScope;
            return (scope.startsWith("@") ? scope : "@" + scope) + "/" + name;
        }
        return packageId == null ? "" : packageId;
    }

    /**
     * The body that starts this inline run again ({@code POST /api/runs/inline}: its manifest, prompt and input as
     * they were sent), or null for a run of an installed agent. An inline run has no package to run by name.
     */
    public ObjectNode inlineBody() {
        if (inlineManifest == null || !inlineManifest.isObject() || inlinePrompt == null) {
            return null;
        }
        ObjectNode body = DesktopJson.object();
        body.set("manifest", inlineManifest.deepCopy());
        body.put("prompt", inlinePrompt);
        if (input != null && input.isObject()) {
            body.set("input", input.deepCopy());
        }
        return body;
    }

    /** The duration in milliseconds, -1 while unknown. */
    public long durationMs() {
        return duration == null ? -1 : duration;
    }

    /** The error's message ("" for none): the API sends an object with a message, older servers a string. */
    public String errorMessage() {
        if (error == null || error.isNull()) {
            return "";
        }
        return error.isObject() ? error.path("message").asText() : error.asText();
    }

    /** The input when it is an object with fields, else null. */
    public JsonNode inputObject() {
        return input != null && input.isObject() && !input.isEmpty() ? input : null;
    }

    /** What the agent produced: the result's {@code output}, or the result itself; null for none. */
    public JsonNode output() {
        if (result == null || result.isNull()) {
            return null;
        }
        return result.has("output") ? result.get("output") : result;
    }

    public long tokensIn() {
        return tokenUsage == null ? 0 : tokenUsage.in();
    }

    public long tokensOut() {
        return tokenUsage == null ? 0 : tokenUsage.out();
    }
}
