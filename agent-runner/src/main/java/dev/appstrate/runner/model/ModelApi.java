package dev.appstrate.runner.model;

import java.util.Locale;
import java.util.Optional;

/** The two wire shapes the runner speaks; {@code MODEL_API} values map onto them. */
public enum ModelApi {
    /** OpenAI chat completions: {@code POST <base>/chat/completions}. */
    OPENAI_CHAT_COMPLETIONS,
    /** Anthropic messages: {@code POST <base>/messages} (base ending in /v1) else {@code <base>/v1/messages}. */
    ANTHROPIC_MESSAGES;

    public static final String ACCEPTED =
            "openai-completions, openai-compatible, openai-chat, openai, anthropic-messages, anthropic";

    public static Optional<ModelApi> fromEnv(String value) {
        if (value == null) {
            return Optional.empty();
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "openai-completions":
            case "openai-compatible":
            case "openai-chat":
            case "openai":
                return Optional.of(OPENAI_CHAT_COMPLETIONS);
            case "anthropic-messages":
            case "anthropic":
                return Optional.of(ANTHROPIC_MESSAGES);
            default:
                return Optional.empty();
        }
    }

    public String defaultBaseUrl() {
        return this == OPENAI_CHAT_COMPLETIONS ? "https://api.openai.com/v1" : "https://api.anthropic.com";
    }

    /** The endpoint for a base URL (trailing slashes ignored). */
    public String endpoint(String baseUrl) {
        String base = baseUrl.replaceAll("/+$", "");
        if (this == OPENAI_CHAT_COMPLETIONS) {
            return base + "/chat/completions";
        }
        return base.endsWith("/v1") ? base + "/messages" : base + "/v1/messages";
    }
}
