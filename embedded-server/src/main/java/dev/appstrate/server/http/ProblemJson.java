package dev.appstrate.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.logging.Redactor;

/** RFC 9457 bodies with the original's fields, in the original's order. */
public final class ProblemJson {
    public static final String CONTENT_TYPE = "application/problem+json";

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
}
