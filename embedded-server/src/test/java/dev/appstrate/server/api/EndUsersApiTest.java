package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.testing.ConcurrentRequests;
import dev.appstrate.server.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-users as a client sees them, the same on SQLite and PostgreSQL: unique email/externalId under concurrent creates, search. */
class EndUsersApiTest {
    @TempDir
    Path dir;

    @Test
    void ofConcurrentCreatesWithOneEmailOrExternalIdExactlyOneWinsAndTheOthersGetTheUsual409() {
        try (TestServer s = TestServer.start(dir)) {
            Map<Integer, Integer> byStatus = ConcurrentRequests.race(8, i -> s.post("/api/end-users",
                    "{\"name\":\"twin " + i + "\",\"email\":\"twin@example.com\"}"), "email_taken");
            assertEquals(Map.of(201, 1, 409, 7), byStatus);
            Map<Integer, Integer> byExternalId = ConcurrentRequests.race(8, i -> s.post("/api/end-users",
                    "{\"name\":\"ext " + i + "\",\"externalId\":\"crm-42\"}"), "external_id_taken");
            assertEquals(Map.of(201, 1, 409, 7), byExternalId);
            JsonNode list = TestServer.json(s.get("/api/end-users?limit=100")).get("data");
            assertEquals(2, list.size(), "one end-user per email and per externalId: " + list);

            String lateId = TestServer.json(s.post("/api/end-users", "{\"name\":\"late\"}")).get("id").asText();
            HttpResponse<String> patch = s.send("PATCH", "/api/end-users/" + lateId, "{\"email\":\"twin@example.com\"}");
            assertEquals(409, patch.statusCode(), patch.body());
            assertEquals("email_taken", TestServer.json(patch).get("code").asText());
            assertEquals("late", TestServer.json(s.get("/api/end-users/" + lateId)).get("name").asText());
            assertEquals("null", TestServer.json(s.get("/api/end-users/" + lateId)).get("email").toString(),
                    "a refused update changes nothing");
        }
    }

    @Test
    void searchIgnoresAsciiCaseAndTakesWildcardCharactersLiterally() {
        try (TestServer s = TestServer.start(dir)) {
            s.post("/api/end-users", "{\"name\":\"Ada Lovelace\",\"email\":\"ADA@Example.com\",\"externalId\":\"crm_1\"}");
            s.post("/api/end-users", "{\"name\":\"Grace Hopper\",\"email\":\"grace@example.com\",\"externalId\":\"crmX1\"}");
            s.post("/api/end-users", "{\"name\":\"Full 100% sure\",\"email\":\"sure@example.com\"}");
            assertEquals(List.of("Ada Lovelace"), names(s, "ada"));
            assertEquals(List.of("Ada Lovelace"), names(s, "LOVELACE"));
            assertEquals(List.of("Ada Lovelace"), names(s, "ada@example"));
            assertEquals(List.of("Ada Lovelace", "Full 100% sure", "Grace Hopper"), names(s, "E"));
            assertEquals(List.of("Ada Lovelace"), names(s, "crm_"), "_ is a character, not any character");
            assertEquals(List.of("Full 100% sure"), names(s, "100%"), "% is a character, not any run");
            assertEquals(List.of(), names(s, "0%s"));
            assertEquals(List.of(), names(s, "\\"));
        }
    }

    private static List<String> names(TestServer s, String search) {
        List<String> out = new ArrayList<>();
        HttpResponse<String> r = s.get("/api/end-users?search=" + URLEncoder.encode(search, StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        TestServer.json(r).get("data").forEach(n -> out.add(n.get("name").asText()));
        out.sort(null); // rows created in the same millisecond come in id order
        return out;
    }
}
