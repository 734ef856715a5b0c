package dev.appstrate.server.inline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiException.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /api/runs/inline} and {@code /validate}, the original's closed shape: an
 * unknown field (e.g. {@code dependency_overrides}) is a 400, never a silently dropped value.
 */
public record InlineRunRequest(JsonNode manifest, String prompt, JsonNode input, String modelId) {
    /** The body as sent: trees, so every shape problem below is reported at once with the original's texts. */
    public record Body(JsonNode manifest, JsonNode prompt, JsonNode input, JsonNode context_documents,
                       JsonNode connection_overrides, JsonNode modelId, JsonNode proxyId, JsonNode generation) {
    }

    /** Every shape problem at once, as field errors; what this server cannot honour is refused, not ignored. */
    public static InlineRunRequest parse(Body body) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode manifest = body.manifest();
        if (manifest == null || manifest.isNull()) {
            errors.add(new FieldError("manifest", "required", "Required"));
        } else if (!manifest.isObject()) {
            errors.add(new FieldError("manifest", "invalid_type", "Invalid input: expected object"));
        }
        JsonNode prompt = body.prompt();
        if (prompt == null || prompt.isNull()) {
            errors.add(new FieldError("prompt", "required", "Required"));
        } else if (!prompt.isTextual()) {
            errors.add(new FieldError("prompt", "invalid_type", "Invalid input: expected string"));
        } else if (prompt.asText().isBlank()) {
            errors.add(new FieldError("prompt", "too_small", "The prompt (prompt.md) is empty"));
        }
        JsonNode input = body.input();
        if (input != null && !input.isNull() && !input.isObject()) {
            errors.add(new FieldError("input", "invalid_type", "Invalid input: expected object"));
        }
        JsonNode model = body.modelId();
        if (model != null && !model.isNull() && !model.isTextual()) {
            errors.add(new FieldError("modelId", "invalid_type", "Invalid input: expected string or null"));
        }
        JsonNode docs = body.context_documents();
        if (docs != null && !docs.isNull()) {
            if (!docs.isArray()) {
                errors.add(new FieldError("context_documents", "invalid_type", "Invalid input: expected array"));
            } else if (!docs.isEmpty()) {
                errors.add(new FieldError("context_documents", "unsupported", "Documents are not supported by this server"));
            }
        }
        JsonNode overrides = body.connection_overrides();
        if (overrides != null && !overrides.isNull()) {
            if (!overrides.isObject()) {
                errors.add(new FieldError("connection_overrides", "invalid_type", "Invalid input: expected object"));
            } else if (!overrides.isEmpty()) {
                errors.add(new FieldError("connection_overrides", "unsupported",
                        "Per-run connection picks are not supported by this server; the application's connection is used"));
            }
        }
        JsonNode proxy = body.proxyId();
        if (proxy != null && !proxy.isNull()) {
            errors.add(new FieldError("proxyId", "unsupported", "Proxies are not supported by this server"));
        }
        JsonNode generation = body.generation();
        if (generation != null && !generation.isNull() && !(generation.isObject() && generation.isEmpty())) {
            errors.add(new FieldError("generation", "unsupported",
                    "Per-run generation settings are not supported by this server; set them on the model"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new InlineRunRequest(manifest, prompt.asText(), input == null || input.isNull() ? null : input,
                model == null || model.isNull() ? null : model.asText());
    }
}
