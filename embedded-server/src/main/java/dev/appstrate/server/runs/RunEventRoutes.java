package dev.appstrate.server.runs;


import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import java.nio.charset.StandardCharsets;

/** The runner's side of the protocol: signed CloudEvents, heartbeats and the final RunResult (no user auth). */
public final class RunEventRoutes {
    private final EventIngestion ingestion;
    private final RunFinalizer finalizer;

    public RunEventRoutes(EventIngestion ingestion, RunFinalizer finalizer) {
        this.ingestion = ingestion;
        this.finalizer = finalizer;
    }

    public void register(Router r) {
        // the batched content type is ours; a single CloudEvent is the original's protocol, unchanged
        r.post("/api/runs/{id}/events", this::event).publicRoute().extension(CloudEventBatch.EXTENSION)
                .doc("Runner", "Post a signed CloudEvent of a run (Standard Webhooks HMAC), or several as "
                        + CloudEventBatch.CONTENT_TYPE + " (extension " + CloudEventBatch.EXTENSION + ")");
        r.post("/api/runs/{id}/events/finalize", this::finalizeRun).publicRoute()
                .doc("Runner", "Post the run's final RunResult (signed; idempotent)");
        r.post("/api/runs/{id}/events/heartbeat", this::heartbeat).publicRoute()
                .doc("Runner", "Signed liveness ping of a run");
    }

    private EventIngestion.Verified verify(ApiRequest req) {
        String body = new String(req.body(), StandardCharsets.UTF_8);
        return new EventIngestion.Verified(ingestion.verify(req, body), body);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (!n.isObject()) {
                throw ApiException.validation("body", "invalid_type", "Expected a JSON object");
            }
            return n;
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw ApiException.invalidRequest("Request body is not valid JSON", null);
        }
    }

    /** Answered once committed, by the log writer's thread: no request thread waits for the commit. */
    private ApiResponse event(ApiRequest req) {
        EventIngestion.Verified v = verify(req);
        if (CloudEventBatch.isBatch(req.header("Content-Type"))) {
            return ApiResponse.later(ingestion.ingestBatchLater(v.run(), CloudEventBatch.parse(v.body())).thenApply(ApiResponse::ok));
        }
        return ApiResponse.later(ingestion.ingestLater(v.run(), parse(v.body())).thenApply(ApiResponse::ok));
    }

    private ApiResponse finalizeRun(ApiRequest req) {
        EventIngestion.Verified v = verify(req);
        finalizer.finalizeFromRunner(v.run(), runResult(parse(v.body())));
        return ApiResponse.ok(Json.object().put("ok", true));
    }

    /**
     * A RunResult's typed fields checked before anything changes, as the original's RunResultSchema does: a string error
     * closed the run as failed with no reason, a string usage or cost was recorded as nothing.
     */
    static JsonNode runResult(JsonNode result) {
        JsonNode error = result.get("error");
        if (error != null && !error.isNull() && (!error.isObject() || !error.path("message").isTextual())) {
            throw ApiException.validation("error", "invalid_type", "error is an object with a string message");
        }
        for (String field : new String[] {"status", "usage", "cost", "durationMs"}) {
            JsonNode n = result.get(field);
            boolean ok = n == null || n.isNull() || switch (field) {
                case "status" -> n.isTextual();
                case "usage" -> n.isObject();
                default -> n.isNumber();
            };
            if (!ok) {
                throw ApiException.validation(field, "invalid_type", field + " has the wrong type");
            }
        }
        return result;
    }

    private ApiResponse heartbeat(ApiRequest req) {
        EventIngestion.Verified v = verify(req);
        ingestion.heartbeat(v.run());
        return ApiResponse.ok(Json.object().put("ok", true));
    }
}
