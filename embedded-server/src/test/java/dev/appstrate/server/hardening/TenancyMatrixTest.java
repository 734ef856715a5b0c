package dev.appstrate.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.Route;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.tenancy.Scopes;
import dev.appstrate.server.testing.PackageZips;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15.1: an API key of application B, made without naming scopes (so holding every scope a key may hold except
 * org:write, as a user's key does), sends
 * every write route the router has against application A's objects and the organization's shared
 * ones: each answer is 403 or 404 and the database is byte-for-byte what it was. The route list comes
 * from the router, so a new write route fails this test until it is listed here.
 */
class TenancyMatrixTest {
    /** Write routes that act only in the caller's own application (they create there): not attacks on A. */
    private static final Map<String, String> OWN_APPLICATION = Map.ofEntries(
            Map.entry("POST /api/webhooks", "creates a webhook in the key's application"),
            Map.entry("POST /api/end-users", "creates an end-user in the key's application"),
            Map.entry("POST /api/api-keys", "creates a key in the key's application (scopes checked by the key service)"),
            Map.entry("POST /api/packages/agents", "creates a new agent in the key's application; an existing name is refused"),
            Map.entry("POST /api/schedules/preview", "computes next occurrences, changes nothing"),
            Map.entry("POST /api/runs/inline", "runs a manifest sent in the body, in the key's application"),
            Map.entry("POST /api/runs/inline/validate", "validates a manifest, changes nothing"),
            Map.entry("POST /api/models/test", "tests a model, changes nothing"),
            Map.entry("POST /api/model-provider-credentials/probe", "probes a provider, changes nothing"),
            Map.entry("POST /api/model-provider-credentials/{id}/test", "tests a credential, changes nothing"));

    @TempDir
    Path dataDir;

    @Test
    void everyWriteRouteRefusesAnotherApplicationsKeyAndChangesNothing() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            Map<String, String> ids = arrangeApplicationA(s);
            String appB = TestServer.json(s.post("/api/applications", "{\"name\":\"B\"}")).get("id").asText();
            // the key a user gets: no scopes named, so every scope a key may hold except org:write
            HttpResponse<String> k = s.send("POST", "/api/api-keys", "{\"name\":\"b\"}", "X-App-Id", appB);
            assertEquals(201, k.statusCode(), k.body());
            assertEquals(Scopes.API_KEY_ALLOWED.size() - 1, TestServer.json(k).get("scopes").size(), k.body());
            String keyB = TestServer.json(k).get("key").asText();

            Map<String, String> before = snapshot(s);
            List<String> missing = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            for (Route r : s.server().router().routes()) {
                if (!Set.of("POST", "PUT", "PATCH", "DELETE").contains(r.method()) || r.isPublic()) {
                    continue;
                }
                String key = r.method() + " " + r.pattern();
                if (OWN_APPLICATION.containsKey(key)) {
                    continue;
                }
                Attack a = attack(r, ids);
                if (a == null) {
                    missing.add(key);
                    continue;
                }
                HttpResponse<String> resp = a.multipart
                        ? s.raw(r.method(), a.path, a.bytes, Map.of("Authorization", "Bearer " + keyB, "Content-Type", a.contentType))
                        : s.send(r.method(), a.path, a.body, "Authorization", "Bearer " + keyB, "X-App-Id", null);
                // DELETE /api/me/connections answers 204 whether or not it deleted (as the original): the snapshot judges it
                boolean quiet = key.equals("DELETE /api/me/connections/{connectionId}") && resp.statusCode() == 204;
                boolean refused = quiet || (r.isOrgWide() ? resp.statusCode() == 403 : resp.statusCode() == 403 || resp.statusCode() == 404);
                if (!refused) {
                    wrong.add(key + " -> " + resp.statusCode() + " " + resp.body());
                }
            }
            assertEquals(List.of(), missing, "write routes with no attack in this matrix: add one (or list it as own-application)");
            assertEquals(List.of(), wrong, "an application's key changed what belongs to another or to all");
            Map<String, String> after = snapshot(s);
            for (String table : before.keySet()) {
                assertEquals(before.get(table), after.get(table), "table " + table + " changed");
            }
        }
    }

    @Test
    void webhooksRevokedKeysAndDeletedApplications() {
        try (TestServer s = TestServer.start(dataDir)) {
            String appA = s.defaultAppId();
            String appB = TestServer.json(s.post("/api/applications", "{\"name\":\"B\"}")).get("id").asText();
            String hook = TestServer.json(s.post("/api/webhooks", "{\"url\":\"https://93.184.215.14/a\",\"events\":[\"run.success\"]}"))
                    .get("id").asText();
            // the owner credential acting in application B sees nothing of A's webhook
            assertEquals(404, s.send("GET", "/api/webhooks/" + hook, null, "X-App-Id", appB).statusCode());
            assertEquals(404, s.send("DELETE", "/api/webhooks/" + hook, null, "X-App-Id", appB).statusCode());
            assertEquals(200, s.send("GET", "/api/webhooks/" + hook, null, "X-App-Id", appA).statusCode());

            // a revoked key is refused on the very next request
            JsonNode revoked = TestServer.json(s.post("/api/api-keys", "{\"name\":\"r\",\"scopes\":[\"agents:read\"]}"));
            String raw = revoked.get("key").asText();
            assertEquals(200, s.send("GET", "/api/agents", null, "Authorization", "Bearer " + raw, "X-App-Id", null).statusCode());
            assertEquals(204, s.delete("/api/api-keys/" + revoked.get("id").asText()).statusCode());
            assertEquals(401, s.send("GET", "/api/agents", null, "Authorization", "Bearer " + raw, "X-App-Id", null).statusCode());

            // a deleted application's key is refused on the very next request
            String keyB = TestServer.json(s.send("POST", "/api/api-keys", "{\"name\":\"b\",\"scopes\":[\"agents:read\"]}",
                    "X-App-Id", appB)).get("key").asText();
            assertEquals(200, s.send("GET", "/api/agents", null, "Authorization", "Bearer " + keyB, "X-App-Id", null).statusCode());
            assertEquals(204, s.delete("/api/applications/" + appB).statusCode());
            assertEquals(401, s.send("GET", "/api/agents", null, "Authorization", "Bearer " + keyB, "X-App-Id", null).statusCode());
        }
    }

    private record Attack(String path, String body, boolean multipart, String contentType, byte[] bytes) {
        static Attack json(String path, String body) {
            return new Attack(path, body, false, null, null);
        }
    }

    /** What application B's key tries on this route: A's objects by id, or the organization's shared ones. */
    private static Attack attack(Route r, Map<String, String> ids) {
        String path = r.pattern().replace("{scope}", "@local").replace("{name}", "hello")
                .replace("{applicationId}", ids.get("app")).replace("{authKey}", "primary")
                .replace("{connectionId}", ids.get("connection")).replace("{deliveryId}", "00000000-0000-0000-0000-000000000000")
                .replace("{version}", "1.0.0").replace("{runId}", "run_00000000-0000-0000-0000-000000000000");
        if (r.pattern().startsWith("/api/integrations/")) {
            path = path.replace("/@local/hello", "/@acme/crm");
        }
        String id = r.pattern().startsWith("/api/webhooks") ? ids.get("webhook") : r.pattern().startsWith("/api/schedules") ? ids.get("schedule")
                : r.pattern().startsWith("/api/end-users") ? ids.get("endUser") : r.pattern().startsWith("/api/api-keys") ? ids.get("apiKey")
                : r.pattern().startsWith("/api/applications") ? ids.get("app") : r.pattern().startsWith("/api/runs") ? ids.get("run")
                : r.pattern().startsWith("/api/documents") ? ids.get("document")
                : "00000000-0000-0000-0000-000000000000";
        path = path.replace("{id}", id);
        String key = r.method() + " " + r.pattern();
        switch (key) {
            case "POST /api/packages/import": {
                Object[] mp = PackageZips.multipart("file", "hello.afps", PackageZips.agent("@local/hello", "9.9.9", "evil"));
                return new Attack(path + "?force=true", null, true, (String) mp[0], (byte[]) mp[1]);
            }
            case "POST /api/integrations":
                return Attack.json(path, "{\"manifest\":{\"name\":\"@acme/crm\",\"version\":\"1.0.1\",\"type\":\"integration\","
                        + "\"display_name\":\"Evil\",\"auths\":{\"primary\":{\"type\":\"api_key\",\"authorized_uris\":"
                        + "[\"https://evil.example/**\"],\"delivery\":{\"env\":{\"name\":\"X\",\"value\":\"{$credential.api_key}\"}}}}}}");
            case "POST /api/integrations/{scope}/{name}/auths/{authKey}/connect/fields":
                return Attack.json(path, "{\"credentials\":{\"api_key\":\"evil-key-123\"},\"connection_id\":\"" + ids.get("connection") + "\"}");
            case "PATCH /api/integrations/{scope}/{name}/connections/{connectionId}":
                return Attack.json(path, "{\"label\":\"evil\"}");
            case "POST /api/applications":
                return Attack.json(path, "{\"name\":\"Evil\"}");
            case "PATCH /api/applications/{id}":
                return Attack.json(path, "{\"name\":\"Evil\"}");
            case "POST /api/applications/{applicationId}/packages":
                return Attack.json(path, "{\"packageId\":\"@local/hello\"}");
            case "POST /api/models":
                return Attack.json(path, "{\"credentialId\":\"x\",\"modelId\":\"evil\"}");
            case "PUT /api/models/default":
                return Attack.json(path, "{\"id\":\"x\"}");
            case "PUT /api/models/{id}":
            case "PUT /api/model-provider-credentials/{id}":
            case "POST /api/model-provider-credentials":
                return Attack.json(path, "{\"label\":\"evil\"}");
            case "POST /api/agents/{scope}/{name}/schedules":
                return Attack.json(path, "{\"cron_expression\":\"0 9 * * *\"}");
            case "PUT /api/schedules/{id}":
                return Attack.json(path, "{\"cron_expression\":\"0 10 * * *\"}");
            case "POST /api/agents/{scope}/{name}/run":
                return Attack.json(path, "{\"input\":{}}");
            case "PUT /api/webhooks/{id}":
                return Attack.json(path, "{\"url\":\"https://93.184.215.14/evil\"}");
            case "POST /api/webhooks/{id}/rotate":
            case "POST /api/webhooks/{id}/test":
            case "POST /api/webhooks/{id}/deliveries/{deliveryId}/redeliver":
            case "POST /api/schedules/{id}/run":
            case "POST /api/runs/{id}/cancel":
            case "POST /api/docker/cleanup":
                return Attack.json(path, "{}");
            case "PATCH /api/end-users/{id}":
                return Attack.json(path, "{\"name\":\"Evil\"}");
            default:
                return r.method().equals("DELETE") ? Attack.json(path, null) : null;
        }
    }

    /** In application A (the default one), as the owner: an integration with a connection, a package, a webhook, a schedule, an end-user, a key. */
    private static Map<String, String> arrangeApplicationA(TestServer s) {
        Map<String, String> ids = new HashMap<>();
        ids.put("app", s.defaultAppId());
        assertEquals(201, s.post("/api/integrations", "{\"manifest\":{\"name\":\"@acme/crm\",\"version\":\"1.0.0\",\"type\":\"integration\","
                + "\"display_name\":\"Acme CRM\",\"auths\":{\"primary\":{\"type\":\"api_key\",\"authorized_uris\":"
                + "[\"https://api.acme.example/v1/**\"],\"delivery\":{\"http\":{\"in\":\"header\",\"name\":\"Authorization\","
                + "\"prefix\":\"Bearer \",\"value\":\"{$credential.api_key}\"}}}}}}").statusCode());
        HttpResponse<String> c = s.post("/api/integrations/@acme/crm/auths/primary/connect/fields",
                "{\"credentials\":{\"api_key\":\"a-real-key-123\"}}");
        assertEquals(200, c.statusCode(), c.body());
        ids.put("connection", TestServer.json(c).get("id").asText());
        Object[] mp = PackageZips.multipart("file", "hello.afps", PackageZips.agent("@local/hello", "1.0.0", "hello"));
        HttpResponse<String> imp = s.raw("POST", "/api/packages/import", (byte[]) mp[1], Map.of("Authorization",
                "Bearer " + s.ownerToken(), "X-App-Id", s.defaultAppId(), "Content-Type", (String) mp[0]));
        assertEquals(201, imp.statusCode(), imp.body());
        ids.put("webhook", created(s.post("/api/webhooks", "{\"url\":\"https://93.184.215.14/a\",\"events\":[\"run.success\"]}")));
        ids.put("schedule", created(s.post("/api/agents/@local/hello/schedules", "{\"cron_expression\":\"0 9 * * *\"}")));
        ids.put("endUser", created(s.post("/api/end-users", "{\"name\":\"Ada\"}")));
        ids.put("apiKey", created(s.post("/api/api-keys", "{\"name\":\"a\",\"scopes\":[\"agents:read\"]}")));
        ids.put("run", "run_00000000-0000-0000-0000-000000000000");
        // a well-formed document id (a malformed one is refused as 400 before any lookup), like the run's
        ids.put("document", "doc_" + "0".repeat(32));
        return ids;
    }

    private static String created(HttpResponse<String> r) {
        assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.body());
        return TestServer.json(r).get("id").asText();
    }

    /** Every table's rows as text (the key's last-used time, written in the background, left out). */
    private static Map<String, String> snapshot(TestServer s) {
        return s.server().database().read(c -> {
            Map<String, String> out = new TreeMap<>();
            for (String t : Rows.tables(c)) {
                List<String> rows = new java.util.ArrayList<>();
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            String col = rs.getMetaData().getColumnName(i);
                            if (!col.equals("last_used_at")) {
                                Object v = rs.getObject(i);
                                row.append(col).append('=').append(v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : v).append(';');
                            }
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null); // compared as a set of rows: both engines, no rowid
                StringBuilder sb = new StringBuilder();
                rows.forEach(r -> sb.append(r).append('\n'));
                out.put(t, sb.toString());
            }
            return out;
        });
    }
}
