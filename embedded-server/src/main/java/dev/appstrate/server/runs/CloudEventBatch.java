package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CloudEvents HTTP binding's batched content mode ({@code application/cloudevents-batch+json}: a JSON array of
 * CloudEvents, each with its own {@code sequence}), our extension {@value #EXTENSION} of the runner's events route.
 * Every element is checked before anything is queued.
 */
final class CloudEventBatch {
    static final String CONTENT_TYPE = "application/cloudevents-batch+json";
    static final String EXTENSION = "run_event_batches";
    /** Events per request: a runner's burst in one commit, well inside the default body limit. */
    static final int MAX_EVENTS = 1000;

    private CloudEventBatch() {
    }

    /** Whether the request's {@code Content-Type} is the batched mode (parameters such as charset ignored). */
    static boolean isBatch(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).trim().startsWith(CONTENT_TYPE);
    }

    /** The batch's CloudEvents in request order; 400 for anything but a non-empty array of CloudEvent objects, 413 over the cap. */
    static List<JsonNode> parse(String body) {
        JsonNode array;
        try {
            array = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw ApiException.invalidRequest("Request body is not valid JSON", null);
        }
        if (array == null || !array.isArray()) {
            throw ApiException.validation("body", "invalid_type", "A batch of CloudEvents is a JSON array");
        }
        if (array.isEmpty()) {
            throw ApiException.validation("body", "too_small", "A batch holds at least one CloudEvent");
        }
        if (array.size() > MAX_EVENTS) {
            throw new ApiException(413, "too_many_events", "Payload Too Large", "A batch holds at most " + MAX_EVENTS
                    + " CloudEvents; this one has " + array.size());
        }
        List<JsonNode> events = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode e = array.get(i);
            if (!e.isObject()) {
                throw ApiException.validation("[" + i + "]", "invalid_type", "Element " + i + " is not a CloudEvent object");
            }
            EventIngestion.sequenceOf(e, "[" + i + "].");
            events.add(e);
        }
        return events;
    }
}
