package dev.appstrate.desktop.ui.logs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text of a log line whose {@code message} is null: the original writes {@code output}, {@code result},
 * {@code document} and {@code run_completed} rows without one, and its live stream strips {@code data} too, so the
 * line is said from its event type and whatever payload fields came along (as live, so when reopened).
 * JSON stays JsonNode here: a log line's payload is free-form (whatever the agent and runner wrote).
 */
final class EventText {
    private static final int MAX_JSON = 2000;

    private EventText() {
    }

    static String of(String event, LogLevel level, JsonNode data) {
        boolean has = data != null && !data.isNull() && !data.isMissingNode();
        if (has && data.isTextual()) {
            // "[payload too large]": the server kept the row but not its payload
            return said(event, level) + " " + data.asText();
        }
        return switch (event) {
            case "output" -> has ? "output " + json(data) : "structured output emitted";
            case "result" -> "run succeeded";
            case "run_completed" -> has && data.hasNonNull("status")
                    ? ended(data.get("status").asText()) + (data.hasNonNull("error") ? ": " + data.get("error").asText() : "")
                    : said(event, level);
            case "document" -> has ? "document published: " + data.path("name").asText(data.path("uri").asText("")) + size(data)
                    : "document published";
            default -> has ? json(data) : said(event, level);
        };
    }

    /** What the event type alone says. */
    private static String said(String event, LogLevel level) {
        return switch (event) {
            case "output" -> "structured output emitted";
            case "result" -> "run succeeded";
            case "run_completed" -> level == LogLevel.ERROR ? "run finished without success" : "run completed";
            case "document" -> "document published";
            case "output_validation" -> "the output did not match the agent's output schema";
            case "adapter_error" -> "runtime error";
            case "integration_dropped" -> "a declared integration was not started";
            default -> event.isEmpty() ? "" : event.replace('_', ' ');
        };
    }

    private static String ended(String status) {
        return switch (status) {
            case "success" -> "run succeeded";
            case "timeout" -> "run timed out";
            default -> "run " + status;
        };
    }

    private static String size(JsonNode d) {
        String mime = d.path("mime").asText("");
        long bytes = d.path("size").asLong(-1);
        String inner = (mime.isEmpty() ? "" : mime) + (bytes < 0 ? "" : (mime.isEmpty() ? "" : ", ") + bytes + " bytes");
        return inner.isEmpty() ? "" : " (" + inner + ")";
    }

    private static String json(JsonNode d) {
        String s = d.toString();
        return s.length() > MAX_JSON ? s.substring(0, MAX_JSON) + "…" : s;
    }
}
