package dev.appstrate.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.logging.Redactor;
import dev.appstrate.server.store.StoreBusyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** RFC 9457 bodies with the original's fields, in the original's order. */
public final class ProblemJson {
    public static final String CONTENT_TYPE = "application/problem+json";

    private static final Logger LOG = LoggerFactory.getLogger(AppstrateHandler.class);

    private ProblemJson() {
    }

    public static ObjectNode body(ApiException e, String requestId) {
        ObjectNode n = Json.object();
        n.put("type", "https://docs.appstrate.dev/errors/" + e.code().replace('_', '-'));
        n.put("title", e.title());
        n.put("status", e.status());
        // safety net: a known secret value never reaches an error body
        n.put("detail", Redactor.global().redact(e.detail()));
        n.put("instance", "urn:appstrate:request:" + requestId);
        n.put("code", e.code());
        n.put("requestId", requestId);
        if (e.param() != null) {
            n.put("param", e.param());
        }
        if (e.retryAfterSeconds() != null) {
            n.put("retryAfter", e.retryAfterSeconds());
        }
        if (e.errors() != null) {
            ArrayNode arr = n.putArray("errors");
            for (ApiException.FieldError fe : e.errors()) {
                arr.addObject().put("field", fe.field()).put("code", fe.code()).put("title", title(fe.code()))
                        .put("message", Redactor.global().redact(fe.message()));
            }
        }
        return n;
    }

    /** The original's field-error title: its code in words, "invalid_manifest" → "Invalid Manifest". */
    static String title(String code) {
        StringBuilder sb = new StringBuilder();
        for (String w : code.split("_")) {
            if (!w.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : " ").append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
            }
        }
        return sb.toString();
    }

    public static ApiResponse response(ApiException e, String requestId) {
        ApiResponse r = ApiResponse.bytes(e.status(), CONTENT_TYPE, Json.bytes(body(e, requestId)));
        e.headers().forEach(r::header);
        if (e.retryAfterSeconds() != null) {
            r.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        return r;
    }

    /** The answer to what a route threw: its own problem, 503 when the store or the server is busy or stopping, else 500. */
    static ApiResponse failure(Exception e, String method, String path, String requestId) {
        if (e instanceof ApiException api) {
            return response(api, requestId);
        }
        if (e instanceof StoreBusyException busy) {
            // every database connection is taken (a burst of readers): a retry soon succeeds, so it is not an internal error
            LOG.warn("Database busy method={} path={} requestId={} reason={}", method, path, requestId, busy.getMessage());
            return response(new ApiException(503, "database_busy", "Service Unavailable",
                    "Every database connection is busy; nothing was done, retry in a moment.").header("Retry-After", "1"), requestId);
        }
        if (e instanceof InterruptedException) {
            // Jetty interrupts what is still running when a stop's grace ends (a model call in flight on Quit): not a fault.
            // Not re-interrupted: for a later() answer this thread is the one completing it (the log writer)
            LOG.warn("Request interrupted by the server's stop method={} path={} requestId={}", method, path, requestId);
            return response(new ApiException(503, "shutting_down", "Service Unavailable", "Server is shutting down"), requestId);
        }
        LOG.error("Unhandled error method={} path={} requestId={}", method, path, requestId, e);
        return response(new ApiException(500, "internal_error", "An internal error occurred"), requestId);
    }
}
