package dev.appstrate.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.AppstrateHandler;
import dev.appstrate.server.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The original's event body: {@code {id, object:"event", type, apiVersion, created, data:{object:{…}}}}. In
 * {@code summary} mode the run's {@code result} and {@code input} are dropped; over 256 KB they are dropped in
 * that order with {@code resultTruncated}/{@code inputTruncated} flags.
 */
final class EventEnvelope {
    static final int MAX_BYTES = 256 * 1024;

    private EventEnvelope() {
    }

    static String build(String eventId, String type, Instant created, JsonNode object, String payloadMode) {
        ObjectNode data = object.isObject() ? ((ObjectNode) object).deepCopy() : Json.object();
        if ("summary".equals(payloadMode)) {
            data.remove("result");
            data.remove("input");
        }
        String body = render(eventId, type, created, data);
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES && data.has("result")) {
            data.remove("result");
            data.put("resultTruncated", true);
            body = render(eventId, type, created, data);
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES && data.has("input")) {
            data.remove("input");
            data.put("inputTruncated", true);
            body = render(eventId, type, created, data);
        }
        return body;
    }

    private static String render(String eventId, String type, Instant created, ObjectNode object) {
        ObjectNode n = Json.object();
        n.put("id", eventId);
        n.put("object", "event");
        n.put("type", type);
        n.put("apiVersion", AppstrateHandler.API_VERSION);
        n.put("created", created.getEpochSecond());
        n.putObject("data").set("object", object);
        return Json.string(n);
    }
}
