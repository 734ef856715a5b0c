package dev.appstrate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Checks shared by the services that read a request body as a JSON tree rather than a record. */
public final class JsonBody {
    private JsonBody() {
    }

    public static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.validation("body", "invalid_type", "Expected a JSON object");
        }
    }

    /** The first field not in {@code allowed} is a 400 unknown_field. */
    public static void rejectUnknown(JsonNode body, Set<String> allowed) {
        List<ApiException.FieldError> unknown = unknownFields(body, allowed);
        if (!unknown.isEmpty()) {
            throw ApiException.validation(unknown.subList(0, 1));
        }
    }

    /** Every field not in {@code allowed}, in body order. */
    public static List<ApiException.FieldError> unknownFields(JsonNode body, Set<String> allowed) {
        List<ApiException.FieldError> unknown = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                unknown.add(new ApiException.FieldError(f, "unknown_field", "Unknown field '" + f + "'"));
            }
        }
        return unknown;
    }

    public static boolean bool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isBoolean()) {
            throw ApiException.validation(field, "invalid_type", "Expected a boolean");
        }
        return v.asBoolean();
    }
}
