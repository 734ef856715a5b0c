package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.secrets.Connections;
import dev.appstrate.server.secrets.CredentialInjector;
import dev.appstrate.server.logging.Redactor;
import dev.appstrate.server.secrets.ResolvedConnection;
import dev.appstrate.server.secrets.RunConnections;
import dev.appstrate.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connections API on a real server: values go in once and never come back out, anywhere. */
class ConnectionsApiTest {
    static final String SECRET = "acme_live_Zq7mS2xV9pL4kT8wR1nB";
    static final String SECRET2 = "acme_live_Hh3jK5lM7nP9qR2sT4vW";
    static final String END_USER_SECRET = "acme_enduser_Yy6uI8oP0aS2dF4gH6jK";
    static final String PASSWORD = "pw_Very$ecret-Passw0rd!";
    static final List<String> ALL = List.of(SECRET, SECRET2, END_USER_SECRET, PASSWORD);

    @TempDir
    Path dataDir;
    TestServer server;
    HttpServer upstream;
    String upstreamBase;
    final AtomicReference<String> upstreamSawAuth = new AtomicReference<>();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream realOut;
    PrintStream realErr;
    Level realLevel;

    @BeforeEach
    void start() throws Exception {
        realOut = System.out;
        realErr = System.err;
        System.setOut(new PrintStream(tee(realOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(realErr), true, StandardCharsets.UTF_8));
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        realLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", ex -> {
            upstreamSawAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        upstream.start();
        upstreamBase = "http://127.0.0.1:" + upstream.getAddress().getPort();
        server = TestServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        upstream.stop(0);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(realLevel);
        System.setOut(realOut);
        System.setErr(realErr);
    }

    private OutputStream tee(PrintStream real) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                real.write(b);
                synchronized (console) {
                    console.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                real.write(b, off, len);
                synchronized (console) {
                    console.write(b, off, len);
                }
            }
        };
    }

    String manifest() {
        return """
                {"manifest":{"name":"@acme/crm","version":"1.0.0","type":"integration","display_name":"Acme CRM",
                  "auths":{
                    "primary":{"type":"api_key","authorized_uris":["%s/v1/**"],
                      "delivery":{"http":{"in":"header","name":"Authorization","prefix":"Bearer ","value":"{$credential.api_key}"}}},
                    "login":{"type":"basic","authorized_uris":["%s/v1/**"]}}}}""".formatted(upstreamBase, upstreamBase);
    }

    /** Every response body the test saw, to check none carried a value. */
    final List<String> bodies = new ArrayList<>();

    HttpResponse<String> call(String method, String path, String body, String... headers) {
        HttpResponse<String> r = server.send(method, path, body, headers);
        bodies.add(r.body());
        return r;
    }

    String connect(String body, String... headers) {
        HttpResponse<String> r = call("POST", "/api/integrations/@acme/crm/auths/primary/connect/fields", body, headers);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r).get("id").asText();
    }

    @Test
    void valuesGoInOnceAndNeverComeBackOut() throws Exception {
        assertEquals(201, call("POST", "/api/integrations", manifest()).statusCode());
        assertEquals(200, call("POST", "/api/integrations", manifest()).statusCode(), "re-posting replaces");

        // create → masked hint only
        HttpResponse<String> created = call("POST", "/api/integrations/@acme/crm/auths/primary/connect/fields",
                "{\"credentials\":{\"api_key\":\"" + SECRET + "\"},\"label\":\"work\"}");
        assertEquals(200, created.statusCode(), created.body());
        JsonNode c = TestServer.json(created);
        String id = c.get("id").asText();
        assertEquals("@acme/crm", c.get("packageId").asText());
        assertEquals("primary", c.get("auth_key").asText());
        assertEquals("user", c.get("owner_type").asText());
        assertEquals("work", c.get("label").asText());
        assertEquals("••••" + SECRET.substring(SECRET.length() - 4), c.get("credential_hints").get("api_key").asText());

        // list / get / detail / me: metadata and hint, never the value
        JsonNode list = TestServer.json(call("GET", "/api/integrations/@acme/crm/connections", null));
        assertEquals("list", list.get("object").asText());
        assertEquals(1, list.get("data").size());
        assertEquals(id, TestServer.json(call("GET", "/api/connections", null)).get("data").get(0).get("id").asText());
        assertEquals(id, TestServer.json(call("GET", "/api/connections/" + id, null)).get("id").asText());
        JsonNode detail = TestServer.json(call("GET", "/api/integrations/@acme/crm", null));
        assertTrue(detail.get("auths").get(0).get("ready").asBoolean());
        assertFalse(detail.get("auths").get(1).get("ready").asBoolean());
        JsonNode mine = TestServer.json(call("GET", "/api/me/connections", null));
        assertEquals(1, mine.get("data").get(0).get("total_connections").asInt());
        assertEquals(1, TestServer.json(call("GET", "/api/integrations", null)).get("data").size());

        // update replaces the value, same connection
        String same = connect("{\"credentials\":{\"api_key\":\"" + SECRET2 + "\"},\"connection_id\":\"" + id + "\"}");
        assertEquals(id, same);
        assertEquals("••••" + SECRET2.substring(SECRET2.length() - 4),
                TestServer.json(call("GET", "/api/connections/" + id, null)).get("credential_hints").get("api_key").asText());
        assertEquals(SECRET2, server.server().components().connections().open(id).credentials().get("api_key"));

        // basic auth on the second auth
        HttpResponse<String> basic = call("POST", "/api/integrations/@acme/crm/auths/login/connect/fields",
                "{\"credentials\":{\"username\":\"ada\",\"password\":\"" + PASSWORD + "\"}}");
        assertEquals(200, basic.statusCode(), basic.body());

        // bad input: 4xx, value not echoed, nothing changed
        int before = TestServer.json(call("GET", "/api/connections", null)).get("data").size();
        HttpResponse<String> missing = call("POST", "/api/integrations/@acme/crm/auths/login/connect/fields",
                "{\"credentials\":{\"username\":\"ada\"}}");
        assertEquals(400, missing.statusCode());
        assertEquals("credentials.password", TestServer.json(missing).get("errors").get(0).get("field").asText());
        HttpResponse<String> unknown = call("POST", "/api/integrations/@acme/crm/auths/primary/connect/fields",
                "{\"credentials\":{\"api_key\":\"x\",\"apikey2\":\"" + SECRET + "\"}}");
        assertEquals(400, unknown.statusCode());
        assertEquals("validation_failed", TestServer.json(unknown).get("code").asText());
        assertEquals(400, call("POST", "/api/integrations/@acme/crm/auths/primary/connect/fields",
                "{\"credentials\":{\"api_key\":42}}").statusCode());
        assertEquals(400, call("POST", "/api/integrations/@acme/crm/auths/primary/connect/fields",
                "{\"credentials\":{}}").statusCode());
        assertEquals(404, call("POST", "/api/integrations/@acme/crm/auths/nope/connect/fields",
                "{\"credentials\":{\"api_key\":\"" + SECRET + "\"}}").statusCode());
        assertEquals(404, call("POST", "/api/integrations/@acme/crm/auths/primary/connect/fields",
                "{\"credentials\":{\"api_key\":\"" + SECRET + "\"},\"connection_id\":\"00000000-0000-4000-8000-000000000000\"}").statusCode());
        assertEquals(before, TestServer.json(call("GET", "/api/connections", null)).get("data").size());

        // a run that declares the integration gets the connection; the sidecar injects it into an authorized URL
        RunConnections runs = server.server().components().runConnections();
        String orgId = server.server().components().tenancy().orgId();
        JsonNode agent = Json.MAPPER.readTree("""
                {"name":"@me/agent","dependencies":{"integrations":{"@acme/crm":"^1"}},
                 "integrations_configuration":{"@acme/crm":{"auth_key":"primary"}}}""");
        RunConnections.Verdict verdict = runs.resolve(orgId, server.defaultAppId(), null, agent);
        assertTrue(verdict.ready(), verdict.toString());
        List<ResolvedConnection> opened = runs.open(verdict.orThrow());
        var forward = assertInstanceOf(CredentialInjector.Forward.class, CredentialInjector.inject(opened.get(0),
                CredentialInjector.OutgoingRequest.of("GET", upstreamBase + "/v1/contacts", Map.of())));
        HttpRequest.Builder b = HttpRequest.newBuilder(forward.uri()).GET();
        forward.headers().forEach(b::header);
        assertEquals(200, HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals("Bearer " + SECRET2, upstreamSawAuth.get());
        LoggerFactory.getLogger("test.leak").error("sidecar forwarded {} with Authorization: Bearer {}", forward, SECRET2,
                new IllegalStateException("upstream said no to " + SECRET2));

        // a run that needs a connection that is missing fails before start, naming it
        JsonNode needsMore = Json.MAPPER.readTree("""
                {"name":"@me/agent","dependencies":{"integrations":{"@acme/crm":"^1","@acme/billing":"^1"}}}""");
        ApiException e = assertThrows(ApiException.class, () -> runs.resolve(orgId, server.defaultAppId(), null, needsMore).orThrow());
        assertEquals(412, e.status());
        assertEquals("missing_integration_connection", e.code());
        assertTrue(e.getMessage().contains("@acme/billing"), e.getMessage());

        // encryption status: which kid encrypts how many values
        JsonNode status = TestServer.json(call("GET", "/api/secrets/status", null));
        assertEquals("k1", status.get("active_kid").asText());
        assertEquals(2, status.get("values_by_kid").get("k1").asInt());

        // delete
        assertEquals(204, call("DELETE", "/api/connections/" + id, null).statusCode());
        assertEquals(404, call("GET", "/api/connections/" + id, null).statusCode());

        server.stop();
        server = null;
        assertNoValueAnywhere();
        synchronized (console) {
            assertTrue(console.toString(StandardCharsets.UTF_8).contains("Authorization: Bearer " + Redactor.MASK),
                    "the logging safety net masked the value logged on purpose");
        }
    }

    @Test
    void endUsersHaveTheirOwnConnectionsThroughApiKeys() throws Exception {
        assertEquals(201, call("POST", "/api/integrations", manifest()).statusCode());
        HttpResponse<String> key = call("POST", "/api/api-keys", "{\"name\":\"backend\"}");
        assertEquals(201, key.statusCode(), key.body());
        String apiKey = TestServer.json(key).get("key").asText();
        HttpResponse<String> eu = call("POST", "/api/end-users", "{\"name\":\"Grace\",\"externalId\":\"g-1\"}");
        assertEquals(201, eu.statusCode(), eu.body());
        String endUser = TestServer.json(eu).get("id").asText();

        String[] asEndUser = {"Authorization", "Bearer " + apiKey, "X-App-Id", null, "Appstrate-User", endUser};
        String euConn = connect("{\"credentials\":{\"api_key\":\"" + END_USER_SECRET + "\"}}", asEndUser);
        JsonNode got = TestServer.json(call("GET", "/api/connections/" + euConn, null, asEndUser));
        assertEquals("end_user", got.get("owner_type").asText());
        assertEquals(endUser, got.get("owner_id").asText());
        assertEquals("Grace", got.get("owner_name").asText());

        String ownerConn = connect("{\"credentials\":{\"api_key\":\"" + SECRET + "\"}}");
        JsonNode euList = TestServer.json(call("GET", "/api/integrations/@acme/crm/connections", null, asEndUser));
        assertEquals(1, euList.get("data").size());
        assertEquals(euConn, euList.get("data").get(0).get("id").asText());
        JsonNode ownerList = TestServer.json(call("GET", "/api/connections", null));
        assertEquals(1, ownerList.get("data").size());
        assertEquals(ownerConn, ownerList.get("data").get(0).get("id").asText());
        assertEquals(404, call("GET", "/api/connections/" + ownerConn, null, asEndUser).statusCode());

        // the end-user's run gets the end-user's connection
        RunConnections runs = server.server().components().runConnections();
        String orgId = server.server().components().tenancy().orgId();
        JsonNode agent = Json.MAPPER.readTree("{\"dependencies\":{\"integrations\":{\"@acme/crm\":\"*\"}}}");
        assertEquals(euConn, runs.resolve(orgId, server.defaultAppId(), endUser, agent).orThrow().get(0).connectionId());

        HttpResponse<String> ownerWithHeader = call("GET", "/api/connections", null, "Appstrate-User", endUser);
        assertEquals(400, ownerWithHeader.statusCode());
        assertEquals("header_not_allowed", TestServer.json(ownerWithHeader).get("code").asText());
        HttpResponse<String> stranger = call("GET", "/api/connections", null,
                "Authorization", "Bearer " + apiKey, "X-App-Id", null, "Appstrate-User", "eu_00000000-0000-4000-8000-000000000000");
        assertEquals(403, stranger.statusCode());
        assertEquals("invalid_end_user", TestServer.json(stranger).get("code").asText());
        assertEquals(403, call("GET", "/api/secrets/status", null, "Authorization", "Bearer " + apiKey, "X-App-Id", null).statusCode());

        assertEquals(204, call("DELETE", "/api/me/connections/" + euConn, null, asEndUser).statusCode());
        assertEquals(404, call("GET", "/api/connections/" + euConn, null, asEndUser).statusCode());

        // removing the integration removes its connections
        assertEquals(204, call("DELETE", "/api/integrations/@acme/crm", null).statusCode());
        assertEquals(0, TestServer.json(call("GET", "/api/connections", null)).get("data").size());
        assertEquals(404, call("GET", "/api/integrations/@acme/crm", null).statusCode());
        server.stop();
        server = null;
        assertNoValueAnywhere();
    }

    private void assertNoValueAnywhere() throws Exception {
        for (String body : bodies) {
            for (String s : ALL) {
                assertFalse(body != null && body.contains(s), "an API response carried a secret value: " + body);
            }
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String s : ALL) {
                    assertFalse(bytes.contains(s), "a secret value is stored in plaintext in " + f);
                }
            }
        }
        String logs;
        synchronized (console) {
            logs = console.toString(StandardCharsets.UTF_8);
        }
        for (String s : ALL) {
            assertFalse(logs.contains(s), "a secret value reached the log");
        }
    }
}
