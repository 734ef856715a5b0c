package dev.appstrate.desktop.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** The tail of the last stderr line: duration, tokens and cost when the server reports them. */
final class RunSummary {
    private RunSummary() {
    }

    static String of(JsonNode run) {
        StringBuilder sb = new StringBuilder();
        if (run.path("duration").isNumber()) {
            sb.append(" in ").append(run.path("duration").asLong()).append(" ms");
        }
        JsonNode usage = run.path("token_usage");
        if (usage.isObject()) {
            long tokens = usage.path("input_tokens").asLong(0) + usage.path("output_tokens").asLong(0);
            if (tokens > 0) {
                sb.append(", ").append(tokens).append(" tokens");
            }
        }
        if (run.path("cost").isNumber() && run.path("cost").asDouble() > 0) {
            sb.append(String.format(java.util.Locale.ROOT, ", $%.4f", run.path("cost").asDouble()));
        }
        return sb.toString();
    }
}
