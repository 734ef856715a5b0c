package dev.appstrate.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.appstrate.server.json.Json;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CredentialInjectorTest {
    static final String API_KEY = "acme_live_9f8e7d6c5b4a39281706";

    static IntegrationAuth auth(String manifestJson, String key) throws Exception {
        JsonNode m = Json.MAPPER.readTree(manifestJson);
        return IntegrationManifests.parse(m).auth(key);
    }

    static ResolvedConnection conn(IntegrationAuth auth, Map<String, String> creds) {
        return new ResolvedConnection("c1", "@acme/crm", auth, creds);
    }

    static final String API_KEY_DEFAULT = """
            {"name":"@acme/crm","type":"integration","auths":{"primary":{"type":"api_key",
              "authorized_uris":["https://api.acme.com/v1/**"]}}}""";

    static final String BEARER = """
            {"name":"@acme/crm","type":"integration","auths":{"primary":{"type":"api_key",
              "authorized_uris":["https://api.acme.com/**"],
              "credentials":{"schema":{"type":"object","properties":{"api_key":{"type":"string"},"subdomain":{"type":"string"}},"required":["api_key"]}},
              "delivery":{"http":{"in":"header","name":"Authorization","prefix":"Bearer ","value":"{$credential.api_key}"}}}}}""";

    private static CredentialInjector.Forward forward(CredentialInjector.Outcome o) {
        return assertInstanceOf(CredentialInjector.Forward.class, o, () -> o.toString());
    }

    private static CredentialInjector.Refuse refuse(CredentialInjector.Outcome o) {
        return assertInstanceOf(CredentialInjector.Refuse.class, o, () -> o.toString());
    }

    @Test
    void apiKeyGoesInTheDefaultHeader() throws Exception {
        var out = forward(CredentialInjector.inject(conn(auth(API_KEY_DEFAULT, "primary"), Map.of("api_key", API_KEY)),
                CredentialInjector.OutgoingRequest.of("GET", "https://api.acme.com/v1/contacts?page=2", Map.of("Accept", "application/json"))));
        assertEquals(API_KEY, out.headers().get("X-Api-Key"));
        assertEquals("application/json", out.headers().get("Accept"));
        assertEquals(List.of("X-Api-Key"), out.injectedHeaders());
        assertFalse(out.toString().contains(API_KEY), "Forward.toString prints header names only");
    }

    @Test
    void declaredHeaderWithPrefixReplacesWhatTheAgentSent() throws Exception {
        var headers = new LinkedHashMap<String, String>();
        headers.put("authorization", "Bearer something-the-agent-made-up");
        headers.put("Host", "evil.example");
        headers.put("Connection", "close");
        var out = forward(CredentialInjector.inject(conn(auth(BEARER, "primary"), Map.of("api_key", API_KEY)),
                CredentialInjector.OutgoingRequest.of("POST", "https://api.acme.com/deals", headers)));
        assertEquals("Bearer " + API_KEY, out.headers().get("Authorization"));
        assertNull(out.headers().get("authorization"), "the agent's own credential header is dropped");
        assertFalse(out.headers().containsKey("Host"));
        assertFalse(out.headers().containsKey("Connection"));
    }

    @Test
    void basicAuthIsBuiltFromUsernameAndPassword() throws Exception {
        IntegrationAuth basic = auth("""
                {"name":"@acme/crm","auths":{"login":{"type":"basic","authorized_uris":["https://api.acme.com/**"]}}}""", "login");
        assertEquals(List.of("username", "password"), basic.fields().stream().map(IntegrationAuth.CredentialField::name).toList());
        var out = forward(CredentialInjector.inject(conn(basic, Map.of("username", "ada", "password", "p@ss:wörd-2024")),
                CredentialInjector.OutgoingRequest.of("GET", "https://api.acme.com/me", Map.of())));
        String expected = Base64.getEncoder().encodeToString("ada:p@ss:wörd-2024".getBytes(StandardCharsets.UTF_8));
        assertEquals("Basic " + expected, out.headers().get("Authorization"));
    }

    @Test
    void placeholdersAreSubstitutedInUrlHeadersAndOptedInBody() throws Exception {
        IntegrationAuth custom = auth("""
                {"name":"@acme/crm","auths":{"tenant":{"type":"custom","authorized_uris":["https://*.acme.com/api/**"],
                  "credentials":{"schema":{"type":"object","properties":{"subdomain":{"type":"string"},"token":{"type":"string"}}}}}}}""", "tenant");
        var creds = Map.of("subdomain", "eu1", "token", "tok_1234567890abcdef");
        var headers = Map.of("X-Token", "{{ token }}");
        byte[] body = "{\"auth\":\"{{token}}\"}".getBytes(StandardCharsets.UTF_8);
        var out = forward(CredentialInjector.inject(conn(custom, creds),
                new CredentialInjector.OutgoingRequest("POST", "https://{{subdomain}}.acme.com/api/items", headers, body, true)));
        assertEquals("https://eu1.acme.com/api/items", out.uri().toString());
        assertEquals("tok_1234567890abcdef", out.headers().get("X-Token"));
        assertEquals("{\"auth\":\"tok_1234567890abcdef\"}", new String(out.body(), StandardCharsets.UTF_8));
        assertTrue(out.injectedHeaders().isEmpty(), "custom auth without delivery.http injects nothing itself");

        var untouched = forward(CredentialInjector.inject(conn(custom, creds),
                new CredentialInjector.OutgoingRequest("POST", "https://eu1.acme.com/api/items", Map.of(), body, false)));
        assertEquals("{\"auth\":\"{{token}}\"}", new String(untouched.body(), StandardCharsets.UTF_8));

        var unresolved = refuse(CredentialInjector.inject(conn(custom, creds),
                CredentialInjector.OutgoingRequest.of("GET", "https://eu1.acme.com/api/x", Map.of("X-Other", "{{nope}}"))));
        assertEquals(400, unresolved.status());
        assertTrue(unresolved.reason().contains("{{nope}}") && unresolved.reason().contains("X-Other"), unresolved.reason());
    }

    @Test
    void urlsOutsideAuthorizedUrisAreRefusedWithoutSendingOrNamingTheSecret() throws Exception {
        IntegrationAuth a = auth(API_KEY_DEFAULT, "primary");
        ResolvedConnection c = conn(a, Map.of("api_key", API_KEY));
        for (String url : List.of(
                "https://evil.example/v1/contacts",
                "https://api.acme.com/v2/contacts",
                "https://api.acme.com.evil.example/v1/x",
                "https://api.acme.com@evil.example/v1/x",
                "https://api.acme.com/v1/../admin",
                "https://api.acme.com/v1/%2e%2e/admin",
                "http://api.acme.com/v1/contacts",
                "ftp://api.acme.com/v1/contacts",
                "https://evil.example/v1/?key={{api_key}}")) {
            var r = refuse(CredentialInjector.inject(c, CredentialInjector.OutgoingRequest.of("GET", url, Map.of())));
            assertTrue(r.status() == 403 || r.status() == 400, url + " → " + r);
            assertFalse(r.reason().contains(API_KEY), url + " refusal must not carry the secret");
        }
        var r = refuse(CredentialInjector.inject(c, CredentialInjector.OutgoingRequest.of("GET", "https://evil.example/v1/x", Map.of())));
        assertEquals(403, r.status());
        assertEquals("URL not authorized for integration \"@acme/crm\". Allowed: https://api.acme.com/v1/**", r.reason());
        assertTrue(CredentialInjector.authorizes(a, "https://API.acme.com:443/v1/contacts/42"));
        assertFalse(CredentialInjector.authorizes(a, "https://api.acme.com/v1"));
    }

    @Test
    void anAuthWithoutAuthorizedUrisSendsCredentialsNowhere() throws Exception {
        IntegrationAuth a = auth("""
                {"name":"@acme/crm","auths":{"primary":{"type":"api_key"}}}""", "primary");
        var r = refuse(CredentialInjector.inject(conn(a, Map.of("api_key", API_KEY)),
                CredentialInjector.OutgoingRequest.of("GET", "https://api.acme.com/", Map.of())));
        assertEquals(403, r.status());
    }

    @Test
    void internalAddressesNeedALiteralHostInTheAllowlist() throws Exception {
        IntegrationAuth wildcard = auth("""
                {"name":"@acme/crm","auths":{"primary":{"type":"api_key","authorized_uris":["http://**/**"]}}}""", "primary");
        assertEquals(403, refuse(CredentialInjector.inject(conn(wildcard, Map.of("api_key", API_KEY)),
                CredentialInjector.OutgoingRequest.of("GET", "http://127.0.0.1:8080/x", Map.of()))).status());
        assertEquals(403, refuse(CredentialInjector.inject(conn(wildcard, Map.of("api_key", API_KEY)),
                CredentialInjector.OutgoingRequest.of("GET", "http://192.168.1.1/x", Map.of()))).status());
        IntegrationAuth literal = auth("""
                {"name":"@acme/crm","auths":{"primary":{"type":"api_key","authorized_uris":["http://127.0.0.1:8080/**"]}}}""", "primary");
        forward(CredentialInjector.inject(conn(literal, Map.of("api_key", API_KEY)),
                CredentialInjector.OutgoingRequest.of("GET", "http://127.0.0.1:8080/x", Map.of())));
    }

    @Test
    void envDeliveryOnlyWhereTheIntegrationDeclaresIt() throws Exception {
        assertTrue(CredentialInjector.envDelivery(conn(auth(BEARER, "primary"), Map.of("api_key", API_KEY))).isEmpty());
        IntegrationAuth env = auth("""
                {"name":"@acme/crm","auths":{"primary":{"type":"api_key","authorized_uris":["https://api.acme.com/**"],
                  "delivery":{"env":{"ACME_TOKEN":"{$credential.api_key}"}}}}}""", "primary");
        assertEquals(Map.of("ACME_TOKEN", API_KEY), CredentialInjector.envDelivery(conn(env, Map.of("api_key", API_KEY))));
    }

    @Test
    void theForwardedRequestReachesALoopbackServerWithTheCredential() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", ex -> {
            seen.set(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        upstream.start();
        try {
            String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
            IntegrationAuth a = auth("""
                    {"name":"@acme/crm","auths":{"primary":{"type":"api_key","authorized_uris":["%s/**"],
                      "delivery":{"http":{"name":"Authorization","prefix":"Bearer ","value":"{$credential.api_key}"}}}}}"""
                    .formatted(base), "primary");
            var out = forward(CredentialInjector.inject(conn(a, Map.of("api_key", API_KEY)),
                    CredentialInjector.OutgoingRequest.of("GET", base + "/v1/ping", Map.of("Accept", "application/json"))));
            HttpRequest.Builder b = HttpRequest.newBuilder(out.uri()).GET();
            out.headers().forEach(b::header);
            HttpResponse<String> resp = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, resp.statusCode());
            assertEquals("Bearer " + API_KEY, seen.get());
        } finally {
            upstream.stop(0);
        }
    }
}
