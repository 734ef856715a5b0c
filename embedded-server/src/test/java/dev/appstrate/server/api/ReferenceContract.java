package dev.appstrate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.openapi.OpenApiDocument;
import dev.appstrate.server.packages.SchemaValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The original's OpenAPI document, read from ../shared/reference, and validation of our bodies against it. */
final class ReferenceContract {
    static final String DOC_ID = "https://reference.appstrate.invalid/openapi.json";
    static final String OWN_DOC_ID = "https://own.appstrate.invalid/openapi.json";
    private final JsonNode doc;
    private final SchemaValidator validator;
    private final String docId;

    private ReferenceContract(JsonNode doc, String text) {
        this(doc, text, DOC_ID);
    }

    private ReferenceContract(JsonNode doc, String text, String docId) {
        this.doc = doc;
        this.docId = docId;
        this.validator = new SchemaValidator(Map.of(docId, text,
                OpenApiDocument.AFPS_AGENT_SCHEMA_ID, OpenApiDocument.afpsAgentSchema()));
    }

    /** Our own served document (GET /api/openapi.json), checked the same way. */
    static ReferenceContract own(String text) throws IOException {
        return new ReferenceContract(Json.MAPPER.readTree(text), text, OWN_DOC_ID);
    }

    /** Found from the module or the repository root (CI runs in a clone with shared/ beside it). */
    static ReferenceContract load() throws IOException {
        for (String p : List.of("../shared/reference/appstrate-openapi.json", "../../shared/reference/appstrate-openapi.json",
                "/work/shared/reference/appstrate-openapi.json")) {
            Path file = Path.of(p);
            if (Files.exists(file)) {
                String text = Files.readString(file);
                return new ReferenceContract(Json.MAPPER.readTree(text), text);
            }
        }
        throw new IllegalStateException("appstrate-openapi.json not found in ../shared/reference (cwd " + Path.of("").toAbsolutePath() + ")");
    }

    JsonNode document() {
        return doc;
    }

    /** The schema the original declares for this response, with its refs made absolute; empty when it declares none. */
    Optional<JsonNode> responseSchema(String method, String path, int status) {
        JsonNode op = doc.path("paths").path(path).path(method.toLowerCase());
        if (op.isMissingNode()) {
            return Optional.empty();
        }
        JsonNode resp = op.path("responses").path(String.valueOf(status));
        if (resp.has("$ref")) {
            resp = doc.at(resp.get("$ref").asText().substring(1));
        }
        JsonNode content = resp.path("content");
        for (String type : List.of("application/json", "application/problem+json")) {
            if (content.has(type) && content.get(type).has("schema")) {
                JsonNode s = content.get(type).get("schema").deepCopy();
                absolutize(s);
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    boolean hasOperation(String method, String path) {
        return !doc.path("paths").path(path).path(method.toLowerCase()).isMissingNode();
    }

    boolean declares(String method, String path, int status) {
        JsonNode responses = doc.path("paths").path(path).path(method.toLowerCase()).path("responses");
        return responses.has(String.valueOf(status)) || responses.has("default");
    }

    List<SchemaValidator.SchemaError> validate(JsonNode schema, JsonNode body) {
        return validator.validate(schema, body);
    }

    /** The declared response (refs followed), or a missing node. */
    JsonNode response(String method, String path, int status) {
        JsonNode resp = doc.path("paths").path(path).path(method.toLowerCase()).path("responses").path(String.valueOf(status));
        return resp.has("$ref") ? doc.at(resp.get("$ref").asText().substring(1)) : resp;
    }

    private void absolutize(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/")) {
                o.put("$ref", docId + ref.asText());
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
                absolutize(it.next());
            }
        } else if (n.isArray()) {
            n.forEach(this::absolutize);
        }
    }
}
