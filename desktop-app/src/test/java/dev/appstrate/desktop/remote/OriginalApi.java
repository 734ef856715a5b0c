package dev.appstrate.desktop.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.packages.SchemaValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The original's OpenAPI document ({@code appstrate-openapi.json}): which operation a concrete request is, and whether
 * a JSON body is valid against that operation's request schema. Loaded once per JVM (it is 594 KB).
 */
public final class OriginalApi {
    /** One operation: its method, path template and the document node. */
    public record Operation(String method, String template, JsonNode node) {
        /** The JSON request schema, or a missing node when the operation takes no JSON body. */
        public JsonNode jsonBodySchema() {
            return node.path("requestBody").path("content").path("application/json").path("schema");
        }

        public boolean takesMultipart() {
            return node.path("requestBody").path("content").has("multipart/form-data");
        }

        /** The example the document gives for a response status, or a missing node. */
        public JsonNode example(int status) {
            JsonNode content = node.path("responses").path(String.valueOf(status)).path("content").path("application/json");
            if (content.has("example")) {
                return content.get("example");
            }
            Iterator<JsonNode> examples = content.path("examples").elements();
            return examples.hasNext() ? examples.next().path("value") : content.path("example");
        }
    }

    private record Matcher(Pattern pattern, Operation op, int params) {
    }

    private static final String DOC_ID = "https://reference.appstrate.invalid/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile OriginalApi instance;
    private final JsonNode doc;
    private final List<Matcher> matchers = new ArrayList<>();
    private final SchemaValidator validator;

    private OriginalApi(String text) throws IOException {
        this.doc = JSON.readTree(text);
        this.validator = new SchemaValidator(Map.of(DOC_ID, text));
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (List.of("get", "post", "put", "patch", "delete").contains(m.getKey())) {
                String template = p.getKey();
                int params = template.split("\\{", -1).length - 1;
                matchers.add(new Matcher(Pattern.compile(regex(template)),
                        new Operation(m.getKey().toUpperCase(), template, m.getValue()), params));
            }
        }));
        // a literal segment wins over a parameter (/api/schedules/preview would otherwise be {id})
        matchers.sort(Comparator.comparingInt(Matcher::params));
    }

    public static OriginalApi get() {
        if (instance == null) {
            synchronized (OriginalApi.class) {
                if (instance == null) {
                    try {
                        instance = new OriginalApi(Files.readString(Reference.file("appstrate-openapi.json")));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return instance;
    }

    public JsonNode document() {
        return doc;
    }

    /** The operation a concrete request path is ({@code /api/agents/@acme/x/run}), if the original has one. */
    public Optional<Operation> find(String method, String path) {
        for (Matcher m : matchers) {
            if (m.op().method().equals(method) && m.pattern().matcher(path).matches()) {
                return Optional.of(m.op());
            }
        }
        return Optional.empty();
    }

    /** Whether a template (as written in the document) exists for this method. */
    public Optional<Operation> operation(String method, String template) {
        return matchers.stream().map(Matcher::op)
                .filter(o -> o.method().equals(method) && o.template().equals(template)).findFirst();
    }

    /** "field: message" for each way {@code body} breaks the operation's JSON request schema; empty when valid. */
    public List<String> bodyErrors(Operation op, JsonNode body) {
        JsonNode schema = op.jsonBodySchema();
        if (schema.isMissingNode()) {
            return body == null || body.isEmpty() ? List.of() : List.of("$: the operation takes no JSON body");
        }
        JsonNode s = schema.deepCopy();
        absolutize(s);
        List<String> out = new ArrayList<>();
        for (SchemaValidator.SchemaError e : validator.validate(s, body == null ? JSON.nullNode() : body)) {
            out.add((e.path().equals("$") ? "" : e.path().replaceFirst("^\\$\\.", "") + ": ") + e.message());
        }
        return out;
    }

    private static String regex(String template) {
        StringBuilder r = new StringBuilder();
        for (String seg : template.substring(1).split("/")) {
            r.append('/');
            if (seg.equals("{packageId}") || seg.equals("{agentPackageId}")) {
                r.append("(?:@[^/]+/[^/]+|[^/]+)"); // the original matches @scope/name here, slash and all
            } else if (seg.startsWith("{")) {
                r.append("[^/]+");
            } else {
                r.append(Pattern.quote(seg));
            }
        }
        return r.toString();
    }

    private static void absolutize(JsonNode n) {
        if (n instanceof ObjectNode o) {
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/")) {
                o.put("$ref", DOC_ID + ref.asText());
            }
            o.elements().forEachRemaining(OriginalApi::absolutize);
        } else if (n != null && n.isArray()) {
            n.forEach(OriginalApi::absolutize);
        }
    }
}
