// Over 400 lines on purpose: the fuzz property and the request generator it draws from are read together, schema by schema.
package dev.appstrate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.packages.SchemaValidator;
import dev.appstrate.server.testing.TestServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Schema-driven fuzz lane (issue 16): for every operation of our own OpenAPI document, jqwik generates
 * requests from the operation's request schema, valid and deliberately invalid, and sends them to a real
 * server. Every answer must be non-5xx, declared for the operation, valid against the declared body schema
 * (the same validation ContractTest uses), and invalid input must be refused with a 4xx.
 * Findings are collected over all tries and reported together; target/fuzz.md has the counts.
 */
class OpenApiFuzzTest {
    /** Operations the lane does not send, with the reason. */
    static final Map<String, String> SKIPPED = Map.of(
            "GET /api/realtime/runs", "text/event-stream that stays open: a request would hang the lane (RunStreamingTest covers it)",
            "GET /api/realtime/runs/{id}", "text/event-stream that stays open (RunStreamingTest covers it)",
            "POST /api/docker/cleanup", "removes containers and images on the Docker engine the whole machine shares");

    /** Operations that answer 2xx for an id that names nothing, on purpose, with the reason. */
    static final Map<String, String> IDEMPOTENT = Map.of(
            "DELETE /api/me/connections/{connectionId}", "idempotent delete: the original declares only 204 and 401 here",
            "GET /api/schedules/{id}/runs", "the original's list: it declares only 200 and 401; an unknown schedule started no runs");

    static final int TRIES = 1500;

    enum Kind { VALID, WRONG_TYPE, MISSING_REQUIRED, UNKNOWN_FIELD, OUT_OF_RANGE, OVER_LONG, NOT_AN_OBJECT, MALFORMED_JSON, BAD_PATH_ID }

    record Op(String method, String template, JsonNode operation, JsonNode bodySchema, List<String> pathParams) {
        String key() {
            return method + " " + template;
        }
    }

    record Req(Op op, Kind kind, String path, String body) {
        /** Input the server must refuse; a random path id never names anything, so it is refused too. */
        boolean invalid() {
            return kind != Kind.VALID || !op.pathParams().isEmpty();
        }

        @Override
        public String toString() {
            return op.method() + " " + path + " [" + kind + "] " + (body == null ? "" : abbreviate(body));
        }
    }

    static TestServer server;
    static ReferenceContract own;
    static JsonNode doc;
    static List<Op> ops;
    static Path dir;
    /** "METHOD template status reason" → first request that showed it. */
    static final Map<String, String> FINDINGS = new ConcurrentHashMap<>();
    static final Map<String, int[]> COUNTS = new TreeMap<>();
    static final Map<Kind, Integer> KIND_COUNTS = new TreeMap<>();

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("fuzz");
        server = TestServer.start(dir);
        String text = server.raw("GET", "/api/openapi.json", null, Map.of()).body();
        own = ReferenceContract.own(text);
        doc = own.document();
        ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (String m : List.of("get", "post", "put", "patch", "delete")) {
                JsonNode op = p.getValue().get(m);
                if (op == null || SKIPPED.containsKey(m.toUpperCase() + " " + p.getKey())) {
                    continue;
                }
                JsonNode body = op.path("requestBody").path("content").path("application/json").path("schema");
                List<String> params = new ArrayList<>();
                java.util.regex.Matcher pm = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(p.getKey());
                while (pm.find()) {
                    params.add(pm.group(1));
                }
                ops.add(new Op(m.toUpperCase(), p.getKey(), op, body.isMissingNode() ? null : resolve(body), params));
            }
        }
    }

    @AfterContainer
    static void stop() throws IOException {
        try {
            writeReport();
        } finally {
            if (server != null) {
                server.stop();
            }
        }
        List<String> missed = ops.stream().map(Op::key).filter(k -> !COUNTS.containsKey(k)).toList();
        if (!FINDINGS.isEmpty() || !missed.isEmpty()) {
            StringBuilder sb = new StringBuilder("fuzz lane findings:\n");
            new TreeMap<>(FINDINGS).forEach((k, v) -> sb.append(k).append("\n    e.g. ").append(v).append('\n'));
            if (!missed.isEmpty()) {
                sb.append("operations never generated (raise TRIES or change the seed): ").append(missed);
            }
            throw new AssertionError(sb.toString());
        }
    }

    @Property(tries = TRIES, seed = "16016", shrinking = ShrinkingMode.OFF)
    void everyAnswerIsDeclaredValidAndRefusesBadInput(@ForAll("requests") Req req) {
        HttpResponse<String> r = server.send(req.op().method(), req.path(), req.body());
        int status = r.statusCode();
        synchronized (COUNTS) {
            COUNTS.computeIfAbsent(req.op().key(), k -> new int[2])[req.invalid() ? 1 : 0]++;
            KIND_COUNTS.merge(req.kind(), 1, Integer::sum);
        }
        String op = req.op().key();
        String example = req + " -> " + status + " " + abbreviate(r.body());
        // a declared outage answer (Docker unavailable, upstream down) is allowed; anything else 5xx is a bug
        if (status >= 500 && !(status >= 502 && own.declares(req.op().method(), req.op().template(), status))) {
            FINDINGS.putIfAbsent(op + " " + status + ": server error", example);
            return;
        }
        if (!own.declares(req.op().method(), req.op().template(), status)) {
            FINDINGS.putIfAbsent(op + " " + status + ": status not declared", example);
        }
        if (req.invalid() && status / 100 == 2 && !(req.kind() == Kind.BAD_PATH_ID && IDEMPOTENT.containsKey(op))) {
            FINDINGS.putIfAbsent(op + " " + status + ": accepted invalid input (" + req.kind() + ")", example);
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/json") || type.startsWith("application/problem+json")) {
            Optional<JsonNode> schema = own.responseSchema(req.op().method(), req.op().template(), status);
            if (schema.isEmpty() && status / 100 == 2) {
                FINDINGS.putIfAbsent(op + " " + status + ": JSON success body without a declared schema", example);
            } else if (schema.isPresent()) {
                List<SchemaValidator.SchemaError> errors = own.validate(schema.get(), TestServer.json(r));
                if (!errors.isEmpty()) {
                    FINDINGS.putIfAbsent(op + " " + status + ": body invalid " + abbreviate(errors.toString()), example);
                }
            }
        }
    }

    @Provide
    Arbitrary<Req> requests() {
        return Arbitraries.of(ops).flatMap(OpenApiFuzzTest::requestsFor);
    }

    private static final Map<String, Arbitrary<Req>> PER_OP = new ConcurrentHashMap<>();

    static Arbitrary<Req> requestsFor(Op op) {
        return PER_OP.computeIfAbsent(op.key(), k -> build(op));
    }

    private static Arbitrary<Req> build(Op op) {
        Arbitrary<String> path = pathFor(op);
        Arbitrary<JsonNode> valid = op.bodySchema() == null ? Arbitraries.just(JsonNodeFactory.instance.missingNode()) : gen(op.bodySchema(), 0);
        Arbitrary<Kind> kinds = op.bodySchema() == null
                ? Arbitraries.of(Kind.VALID)
                : Arbitraries.of(Kind.VALID, Kind.VALID, Kind.VALID, Kind.WRONG_TYPE, Kind.MISSING_REQUIRED, Kind.UNKNOWN_FIELD,
                        Kind.OUT_OF_RANGE, Kind.OVER_LONG, Kind.NOT_AN_OBJECT, Kind.MALFORMED_JSON);
        return Combinators.combine(kinds, path, valid, Arbitraries.integers().between(0, 1_000_000)).as((kind, p, body, pick) -> {
            Kind k = kind;
            String text = body.isMissingNode() ? null : body.toString();
            if (!body.isMissingNode() && kind != Kind.VALID) {
                Mutated m = mutate(op.bodySchema(), body.deepCopy(), kind, pick);
                k = m.kind();
                text = m.text();
            }
            if (k == Kind.VALID && !op.pathParams().isEmpty()) {
                k = Kind.BAD_PATH_ID;
            }
            return new Req(op, k, p, text);
        });
    }

    record Mutated(Kind kind, String text) {
    }

    /** Applies the invalid-input kind to a valid body; falls back to NOT_AN_OBJECT when the schema gives no hold for it. */
    static Mutated mutate(JsonNode schema, JsonNode body, Kind kind, int pick) {
        if (kind == Kind.MALFORMED_JSON) {
            String t = body.toString();
            return new Mutated(kind, t.substring(0, Math.max(1, t.length() / 2)));
        }
        if (kind == Kind.NOT_AN_OBJECT || !body.isObject() || !schema.has("properties")) {
            return new Mutated(Kind.NOT_AN_OBJECT, List.of("[]", "\"text\"", "42", "null").get(pick % 4));
        }
        ObjectNode o = (ObjectNode) body;
        JsonNode props = schema.get("properties");
        List<String> names = new ArrayList<>();
        props.fieldNames().forEachRemaining(names::add);
        switch (kind) {
            case MISSING_REQUIRED -> {
                List<String> req = new ArrayList<>();
                schema.path("required").forEach(n -> req.add(n.asText()));
                if (!req.isEmpty()) {
                    o.remove(req.get(pick % req.size()));
                    return new Mutated(kind, o.toString());
                }
            }
            case UNKNOWN_FIELD -> {
                if (schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean()) {
                    o.put("zzUnknown" + pick % 97, pick);
                    return new Mutated(kind, o.toString());
                }
            }
            case WRONG_TYPE -> {
                List<String> typed = names.stream().filter(n -> typeOf(resolve(props.get(n))) != null).toList();
                if (!typed.isEmpty()) {
                    String n = typed.get(pick % typed.size());
                    String t = typeOf(resolve(props.get(n)));
                    o.set(n, t.equals("string") ? JsonNodeFactory.instance.numberNode(pick)
                            : t.equals("object") || t.equals("array") ? JsonNodeFactory.instance.textNode("x" + pick)
                            : JsonNodeFactory.instance.objectNode().put("x", pick));
                    return new Mutated(kind, o.toString());
                }
            }
            case OUT_OF_RANGE -> {
                for (String n : rotate(names, pick)) {
                    JsonNode s = resolve(props.get(n));
                    if (s.has("maximum")) {
                        o.put(n, s.get("maximum").asLong() + 1 + pick % 1000);
                        return new Mutated(kind, o.toString());
                    }
                    if (s.has("minimum")) {
                        o.put(n, s.get("minimum").asLong() - 1 - pick % 1000);
                        return new Mutated(kind, o.toString());
                    }
                }
            }
            case OVER_LONG -> {
                for (String n : rotate(names, pick)) {
                    JsonNode s = resolve(props.get(n));
                    if (s.has("maxLength")) {
                        o.put(n, "y".repeat(s.get("maxLength").asInt() + 1 + pick % 50));
                        return new Mutated(kind, o.toString());
                    }
                }
            }
            default -> {
            }
        }
        return new Mutated(Kind.NOT_AN_OBJECT, List.of("[]", "\"text\"", "42", "null").get(pick % 4));
    }

    private static List<String> rotate(List<String> names, int pick) {
        if (names.isEmpty()) {
            return names;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(names.get((i + pick) % names.size()));
        }
        return out;
    }

    /** Path ids that name nothing: plausible ids, wrong prefixes, numbers, over-long and odd characters. */
    static Arbitrary<String> pathFor(Op op) {
        if (op.pathParams().isEmpty()) {
            return Arbitraries.just(op.template());
        }
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(24).map(s -> "fz" + s),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(s -> "@fz" + s.toLowerCase()),
                Arbitraries.of("app_missing", "run_missing", "-1", "0", "00000000-0000-0000-0000-000000000000", "a b", "é", "x.y"),
                Arbitraries.integers().between(1, 600).map(n -> "z".repeat(n)));
        return id.list().ofSize(op.pathParams().size()).map(ids -> {
            String p = op.template();
            for (int i = 0; i < ids.size(); i++) {
                String v = ids.get(i);
                String enc = URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
                p = p.replace("{" + op.pathParams().get(i) + "}", enc);
            }
            return p;
        });
    }

    /** A generator of JSON values that satisfy the schema (as far as enum, type, bounds and required go). */
    static Arbitrary<JsonNode> gen(JsonNode schema, int depth) {
        JsonNode s = resolve(schema);
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (s.has("const")) {
            return Arbitraries.just(s.get("const"));
        }
        if (s.has("enum")) {
            List<JsonNode> values = new ArrayList<>();
            s.get("enum").forEach(values::add);
            return Arbitraries.of(values);
        }
        for (String alt : List.of("oneOf", "anyOf")) {
            if (s.has(alt)) {
                List<Arbitrary<JsonNode>> as = new ArrayList<>();
                s.get(alt).forEach(a -> {
                    if (!"null".equals(typeOf(resolve(a)))) {
                        as.add(gen(a, depth + 1));
                    }
                });
                if (!as.isEmpty()) {
                    return Arbitraries.oneOf(as);
                }
            }
        }
        if (s.has("allOf")) {
            ObjectNode merged = f.objectNode().put("type", "object");
            ObjectNode props = merged.putObject("properties");
            ArrayNode required = merged.putArray("required");
            s.get("allOf").forEach(a -> {
                JsonNode r = resolve(a);
                if (r.has("properties")) {
                    props.setAll((ObjectNode) r.get("properties"));
                }
                r.path("required").forEach(required::add);
            });
            return gen(merged, depth + 1);
        }
        String type = typeOf(s);
        if (type == null) {
            type = s.has("properties") ? "object" : "string";
        }
        switch (type) {
            case "object" -> {
                if (depth > 4 || !s.has("properties")) {
                    return Arbitraries.just(f.objectNode());
                }
                List<String> required = new ArrayList<>();
                s.path("required").forEach(n -> required.add(n.asText()));
                List<Arbitrary<Map.Entry<String, JsonNode>>> fields = new ArrayList<>();
                s.get("properties").fields().forEachRemaining(e -> {
                    Arbitrary<JsonNode> v = gen(e.getValue(), depth + 1);
                    Arbitrary<Map.Entry<String, JsonNode>> entry = v.map(x -> Map.entry(e.getKey(), x));
                    fields.add(required.contains(e.getKey()) ? entry
                            : Arbitraries.oneOf(entry, Arbitraries.just(Map.entry(e.getKey(), f.missingNode()))));
                });
                if (fields.isEmpty()) {
                    return Arbitraries.just(f.objectNode());
                }
                return Combinators.combine(fields).as(list -> {
                    ObjectNode o = f.objectNode();
                    list.forEach(e -> {
                        if (!e.getValue().isMissingNode()) {
                            o.set(e.getKey(), e.getValue());
                        }
                    });
                    return o;
                });
            }
            case "array" -> {
                int min = s.path("minItems").asInt(0);
                int max = Math.max(min, Math.min(s.path("maxItems").asInt(3), 3));
                return gen(s.path("items"), depth + 1).list().ofMinSize(min).ofMaxSize(max).map(l -> {
                    ArrayNode a = f.arrayNode();
                    l.forEach(a::add);
                    return a;
                });
            }
            case "integer" -> {
                long min = s.has("minimum") ? s.get("minimum").asLong() : -5;
                long max = s.has("maximum") ? s.get("maximum").asLong() : 1000;
                return Arbitraries.longs().between(min, Math.max(min, max)).map(f::numberNode);
            }
            case "number" -> {
                double min = s.has("minimum") ? s.get("minimum").asDouble() : -5;
                double max = s.has("maximum") ? s.get("maximum").asDouble() : 1000;
                return Arbitraries.doubles().between(min, Math.max(min, max)).map(f::numberNode);
            }
            case "boolean" -> {
                return Arbitraries.of(true, false).map(f::booleanNode);
            }
            default -> {
                String format = s.path("format").asText("");
                switch (format) {
                    case "email" -> {
                        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(x -> f.textNode(x.toLowerCase() + "@example.com"));
                    }
                    case "uri", "url" -> {
                        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(x -> f.textNode("https://example.com/" + x));
                    }
                    case "date-time" -> {
                        return Arbitraries.just(f.textNode("2026-12-06T12:00:00Z"));
                    }
                    default -> {
                    }
                }
                int min = s.path("minLength").asInt(0);
                int max = Math.max(min, Math.min(s.path("maxLength").asInt(20), 40));
                return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars(' ', '-', 'é')
                        .ofMinLength(min).ofMaxLength(max).map(f::textNode);
            }
        }
    }

    /** The schema's single non-null type, or null when it has none. */
    static String typeOf(JsonNode s) {
        JsonNode t = s.get("type");
        if (t == null) {
            return null;
        }
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (!x.asText().equals("null")) {
                    return x.asText();
                }
            }
            return null;
        }
        return t.asText();
    }

    /** Follows local refs (#/components/...) of our document. */
    static JsonNode resolve(JsonNode s) {
        int guard = 0;
        while (s != null && s.has("$ref") && guard++ < 10) {
            String ref = s.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                return JsonNodeFactory.instance.objectNode();
            }
            s = doc.at(ref.substring(1));
        }
        return s == null || s.isMissingNode() ? JsonNodeFactory.instance.objectNode() : s;
    }

    static void writeReport() throws IOException {
        int valid = 0;
        int invalid = 0;
        for (int[] c : COUNTS.values()) {
            valid += c[0];
            invalid += c[1];
        }
        StringBuilder md = new StringBuilder("# Fuzz lane\n\n").append(COUNTS.size()).append(" operations of ").append(ops.size())
                .append(" generated, ").append(valid + invalid).append(" requests (").append(valid).append(" valid, ").append(invalid)
                .append(" invalid), seed 16016; findings: ").append(FINDINGS.size()).append("\n\nBy kind: ").append(KIND_COUNTS)
                .append("\n\nSkipped: ").append(SKIPPED.keySet()).append("\n\n");
        Map<String, String> sorted = new LinkedHashMap<>(new TreeMap<>(FINDINGS));
        sorted.forEach((k, v) -> md.append("- ").append(k).append(" — ").append(v.replace("\n", " ")).append('\n'));
        Path out = Path.of("target", "fuzz.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
    }

    static String abbreviate(String s) {
        return s.length() > 240 ? s.substring(0, 240) + "…" : s;
    }
}
