package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Inline runs (a manifest + prompt run without installing a package) and a run's transcript:
 * {@code POST /api/runs/inline}, {@code POST /api/runs/inline/validate}, {@code GET /api/runs/{id}/transcript}.
 */
public final class InlineRunsApi {
    private final AppstrateClient client;

    public InlineRunsApi(AppstrateClient client) {
        this.client = client;
    }

    /** Starts an inline run; answers the created Run (201). A bad manifest or input throws a 400 {@link ApiProblem} with field errors. */
    public JsonNode run(ObjectNode body) {
        return client.send("POST", "/api/runs/inline", body);
    }

    /** The same checks without running: returns normally when valid, throws the 400 problem otherwise. */
    public void validate(ObjectNode body) {
        client.send("POST", "/api/runs/inline/validate", body);
    }

    /** Every model turn and tool call of a run; {@code turns} is empty for a run without one. */
    public JsonNode transcript(String runId) {
        return client.get("/api/runs/" + runId + "/transcript", java.util.Map.of());
    }

    /** A tool call's whole (masked) result, for results the transcript shows truncated. */
    public String toolCallResult(String runId, String callId) {
        return client.getText("/api/runs/" + runId + "/transcript/tool-calls/" + callId);
    }
}
