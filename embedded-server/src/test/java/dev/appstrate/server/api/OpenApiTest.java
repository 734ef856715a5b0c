package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.Route;
import dev.appstrate.server.openapi.OpenApiDocument;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document describes every served route, is cacheable by ETag, and has a docs page. */
class OpenApiTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void everyServedRouteIsInTheDocument() {
        HttpResponse<String> r = server.raw("GET", "/api/openapi.json", null, Map.of());
        assertEquals(200, r.statusCode());
        JsonNode doc = TestServer.json(r);
        assertEquals("3.1.0", doc.get("openapi").asText());
        List<String> missing = new ArrayList<>();
        for (Route route : server.server().router().routes()) {
            JsonNode op = doc.path("paths").path(route.pattern()).path(route.method().toLowerCase());
            if (op.isMissingNode()) {
                missing.add(route.method() + " " + route.pattern());
                continue;
            }
            assertTrue(op.has("operationId") && op.has("responses") && op.has("tags"), route.pattern());
            if (route.isPublic()) {
                assertTrue(op.get("security").isEmpty(), route.pattern() + " is public");
            }
            if (route.rateLimitPerMinute() > 0) {
                assertEquals(route.rateLimitPerMinute(), op.get("x-ratelimit").get("limit").asInt());
                assertTrue(op.get("responses").has("429"));
            }
            if (route.permission() != null) {
                assertEquals(route.permission(), op.get("x-appstrate-permission").asText());
            }
            TreeSet<String> pathParams = new TreeSet<>();
            for (JsonNode prm : op.path("parameters")) {
                JsonNode resolved = prm.has("$ref") ? doc.at(prm.get("$ref").asText().substring(1)) : prm;
                if (resolved.path("in").asText().equals("path")) {
                    pathParams.add(resolved.get("name").asText());
                }
            }
            for (String seg : route.pattern().split("/")) {
                if (seg.startsWith("{")) {
                    assertTrue(pathParams.contains(seg.substring(1, seg.length() - 1)), route.pattern() + " lacks " + seg);
                }
            }
        }
        assertEquals(List.of(), missing, "served routes missing from /api/openapi.json");
        // every documented operation is served: the document never promises a route we do not have
        int documented = 0;
        for (var p = doc.get("paths").fields(); p.hasNext(); ) {
            documented += p.next().getValue().size();
        }
        assertEquals(server.server().router().routes().size(), documented);
        assertFalse(r.body().contains("\"$ref\":\"http"), "no remote $ref: the document is self-contained");
        // the copied operations of the original must all still be served
        TreeSet<String> served = new TreeSet<>();
        server.server().router().routes().forEach(rt -> served.add(rt.method() + " " + rt.pattern()));
        OpenApiDocument.reference().get("operations").fieldNames().forEachRemaining(
                k -> assertTrue(served.contains(k), "reference.json describes " + k + " which is not served"));
    }

    @Test
    void etagRevalidationAndCacheHeaders() throws Exception {
        HttpResponse<String> r = server.raw("GET", "/api/openapi.json", null, Map.of());
        String etag = r.headers().firstValue("ETag").orElseThrow();
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body().getBytes(StandardCharsets.UTF_8)));
        assertEquals("\"" + hex.substring(0, 32) + "\"", etag);
        assertEquals("public, max-age=0, must-revalidate", r.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<String> again = server.raw("GET", "/api/openapi.json", null, Map.of("If-None-Match", etag));
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(etag, again.headers().firstValue("ETag").orElse(""));
        assertEquals(200, server.raw("GET", "/api/openapi.json", null, Map.of("If-None-Match", "\"stale\"")).statusCode());
    }

    @Test
    void docsPageListsOperationsWithoutRemoteAssets() {
        HttpResponse<String> r = server.raw("GET", "/api/docs", null, Map.of());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        for (Route route : server.server().router().routes()) {
            assertTrue(r.body().contains("<code>" + route.pattern().replace("&", "&amp;") + "</code>"), route.pattern());
        }
        assertFalse(r.body().contains("http://") || r.body().contains("https://") || r.body().contains("<script"),
                "the docs page loads nothing from elsewhere");
    }
}
