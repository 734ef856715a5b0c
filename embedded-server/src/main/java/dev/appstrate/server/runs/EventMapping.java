package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.LogLimits;
import dev.appstrate.server.logging.Redactor;
import java.util.Set;

/** How runner CloudEvents become run_logs rows, as the original's persistRunEvent maps them. */
final class EventMapping {
    private static final Set<String> LEVELS = Set.of("debug", "info", "warn", "error");

    private EventMapping() {
    }

    /** The log row for an event, or null for events that write none (metrics, memories). */
    static RunRepository.NewLog toLog(String type, JsonNode data) {
        RunRepository.NewLog log = unmasked(type, data);
        if (log == null) {
            return null;
        }
        // the server knows secrets the runner cannot (connection credentials): its redactor masks them here too
        Redactor r = Redactor.global();
        return new RunRepository.NewLog(log.type(), log.level(), log.event(), masked(r, log.message()), masked(r, log.data()));
    }

    /** Masked; a message the runner cut (it does not know the server's secrets) also loses a secret's kept beginning. */
    private static String masked(Redactor r, String message) {
        int cut = LogLimits.cutAt(message);
        return cut < 0 ? r.redact(message) : r.redactCutEnd(message.substring(0, cut)) + r.redact(message.substring(cut));
    }

    /** Masked; a data the runner replaced by its truncation record gets its preview's cut end masked the same way. */
    private static JsonNode masked(Redactor r, JsonNode data) {
        JsonNode clean = r.redact(data);
        if (clean == null || !clean.isObject() || !clean.path("truncated").asBoolean() || !clean.path("preview").isTextual()) {
            return clean;
        }
        String preview = clean.get("preview").asText();
        String cutMasked = r.redactCutEnd(preview);
        return cutMasked.equals(preview) ? clean : ((ObjectNode) clean.deepCopy()).put("preview", cutMasked);
    }

    private static RunRepository.NewLog unmasked(String type, JsonNode data) {
        switch (type) {
            case "output.emitted":
                return new RunRepository.NewLog("result", "info", "output", "Output emitted", data.has("data") ? data.get("data") : data);
            case "log.written":
                return new RunRepository.NewLog("progress", level(data, "info"), "log", data.path("message").asText(""), null);
            case "appstrate.progress":
                return new RunRepository.NewLog("progress", level(data, "debug"), "progress", data.path("message").asText(""),
                        data.get("data"));
            case "appstrate.error":
                return new RunRepository.NewLog("system", "error", "adapter_error", data.path("message").asText(""), data.get("data"));
            case "document.published":
                return new RunRepository.NewLog("result", "info", "document", data.path("name").asText("document"), data);
            default:
                return null;
        }
    }

    private static String level(JsonNode data, String def) {
        String l = data.path("level").asText(def);
        return LEVELS.contains(l) ? l : def;
    }
}
