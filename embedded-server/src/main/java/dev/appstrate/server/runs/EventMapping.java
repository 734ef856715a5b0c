package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
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
        return new RunRepository.NewLog(log.type(), log.level(), log.event(), r.redact(log.message()), r.redact(log.data()));
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
