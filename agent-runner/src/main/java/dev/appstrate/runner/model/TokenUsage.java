package dev.appstrate.runner.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.Json;

/**
 * Token counters in the original's snake_case {@code TokenUsage} shape
 * ({@code input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens}).
 * {@code input} excludes cache reads, as Anthropic reports it.
 */
public record TokenUsage(long input, long output, long cacheRead, long cacheWrite) {
    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0);

    public TokenUsage plus(TokenUsage o) {
        return new TokenUsage(input + o.input, output + o.output, cacheRead + o.cacheRead, cacheWrite + o.cacheWrite);
    }

    /** Prompt size the model saw: fresh input plus cached input. */
    public long contextTokens() {
        return input + cacheRead + cacheWrite;
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("input_tokens", input);
        n.put("output_tokens", output);
        n.put("cache_creation_input_tokens", cacheWrite);
        n.put("cache_read_input_tokens", cacheRead);
        return n;
    }
}
