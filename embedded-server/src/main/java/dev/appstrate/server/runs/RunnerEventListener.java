package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;

/** Told of a runner event once it is persisted in sequence order (the transcript feature stores its own events). */
public interface RunnerEventListener {
    void onEvent(String runId, int sequence, String type, JsonNode data);
}
