package dev.appstrate.server.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.ConcurrentRequests;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhooks API over HTTP on a real server, delivering to a loopback receiver. */
class WebhooksApiTest {
    @TempDir
    Path dir;

    @Test
    void loopbackReceiversAreRefusedUnlessListedInEgressAllowInternalHosts() throws Exception {
        try (SignatureCheckingReceiver receiver = new SignatureCheckingReceiver(Clock::systemUTC);
             TestServer server = TestServer.start(dir, Map.of())) {
            HttpResponse<String> refused = server.post("/api/webhooks",
                    "{\"url\":\"" + receiver.url() + "\",\"events\":[\"run.success\"]}");
            assertEquals(400, refused.statusCode());
            assertEquals("url", TestServer.json(refused).get("param").asText());
            HttpResponse<String> https = server.post("/api/webhooks",
                    "{\"url\":\"https://127.0.0.1/hook\",\"events\":[\"run.success\"]}");
            assertEquals(400, https.statusCode());
            assertTrue(TestServer.json(https).get("detail").asText().contains("EGRESS_ALLOW_INTERNAL_HOSTS"));
            assertEquals(0, TestServer.json(server.get("/api/webhooks")).get("data").size(), "nothing was created");
        }
    }

    @Test
    void concurrentCreatesNeverPassTheCapAndTheLosersGetTheUsualRefusal() {
        try (TestServer server = TestServer.start(dir, Map.of())) {
            // POST /api/webhooks allows 10 a minute per caller: fill 18 of the 20 places with two API keys
            List<String> keys = IntStream.range(0, 3).mapToObj(i -> TestServer.json(server.post("/api/api-keys",
                    "{\"name\":\"filler " + i + "\"}")).get("key").asText()).toList();
            for (int i = 0; i < 18; i++) {
                HttpResponse<String> r = server.send("POST", "/api/webhooks", hook("fill" + i), "Authorization",
                        "Bearer " + keys.get(i / 9));
                assertEquals(201, r.statusCode(), r.body());
            }
            Map<Integer, Integer> byStatus = ConcurrentRequests.race(8, i -> server.send("POST", "/api/webhooks", hook("race" + i),
                    "Authorization", i % 2 == 0 ? "Bearer " + keys.get(2) : "Bearer " + TestServer.OWNER_TOKEN), "webhook_limit_reached");
            assertEquals(Map.of(201, 2, 400, 6), byStatus);
            assertEquals(Webhooks.MAX_PER_SCOPE, TestServer.json(server.get("/api/webhooks")).get("data").size());
        }
    }

    private static String hook(String path) {
        return "{\"url\":\"https://93.184.215.14/" + path + "\",\"events\":[\"run.success\"]}";
    }

    @Test
    void createShowsTheSecretOnceAndTestDeliversASignedPingThatIsListed() throws Exception {
        try (SignatureCheckingReceiver receiver = new SignatureCheckingReceiver(Clock::systemUTC);
             TestServer server = TestServer.start(dir, Map.of("EGRESS_ALLOW_INTERNAL_HOSTS", "127.0.0.1"))) {
            HttpResponse<String> r = server.post("/api/webhooks",
                    "{\"url\":\"" + receiver.url() + "\",\"events\":[\"run.success\",\"run.failed\"]}");
            assertEquals(201, r.statusCode(), r.body());
            JsonNode created = TestServer.json(r);
            String id = created.get("id").asText();
            String secret = created.get("secret").asText();
            assertTrue(id.startsWith("wh_"));
            assertTrue(secret.matches("whsec_[A-Za-z0-9_-]{43}"), secret);
            assertEquals("webhook", created.get("object").asText());
            assertEquals("application", created.get("level").asText());
            assertEquals(server.defaultAppId(), created.get("applicationId").asText());
            assertFalse(server.get("/api/webhooks/" + id).body().contains(secret), "the secret is shown only once");
            assertFalse(server.get("/api/webhooks").body().contains("whsec_"));
            receiver.trust(secret);

            HttpResponse<String> test = server.post("/api/webhooks/" + id + "/test", "{}");
            assertEquals(200, test.statusCode(), test.body());
            JsonNode t = TestServer.json(test);
            assertEquals("test.ping", t.at("/payload/type").asText());
            assertEquals("success", t.at("/delivery/status").asText());
            assertEquals(1, receiver.received.size());
            assertTrue(receiver.received.get(0).verified(), "signed with the secret from creation");
            assertEquals(t.get("eventId").asText(), receiver.received.get(0).id());

            JsonNode deliveries = TestServer.json(server.get("/api/webhooks/" + id + "/deliveries"));
            assertEquals(1, deliveries.get("data").size());
            JsonNode d = deliveries.get("data").get(0);
            assertEquals("test.ping", d.get("eventType").asText());
            assertEquals("success", d.get("status").asText());
            assertEquals(200, d.get("statusCode").asInt());
            assertEquals(1, d.get("attempt").asInt());
            assertTrue(d.get("latency").isInt());
            JsonNode detail = TestServer.json(server.get("/api/webhooks/" + id + "/deliveries/" + d.get("id").asText()));
            assertEquals(1, detail.get("attempts").size());
            assertEquals("test.ping", detail.at("/payload/type").asText());

            // a real run event, from the entry point the run pipeline calls, delivered by the worker threads
            server.server().components().webhookEvents().runStatusChanged(
                    server.server().components().tenancy().orgId(),
                    server.defaultAppId(), "@acme/digest", "failed",
                    Json.MAPPER.readTree("{\"id\":\"run_x\",\"packageId\":\"@acme/digest\",\"status\":\"failed\",\"error\":\"boom\"}"));
            Instant giveUp = Instant.now().plusSeconds(20);
            while (receiver.received.size() < 2 && Instant.now().isBefore(giveUp)) {
                Thread.sleep(20);
            }
            assertEquals(2, receiver.received.size());
            assertTrue(receiver.received.get(1).verified());
            assertEquals("run.failed", Json.MAPPER.readTree(receiver.received.get(1).body()).get("type").asText());

            HttpResponse<String> rotated = server.post("/api/webhooks/" + id + "/rotate", "{\"windowSeconds\":3600}");
            assertEquals(200, rotated.statusCode(), rotated.body());
            String next = TestServer.json(rotated).get("secret").asText();
            Instant ends = Instant.parse(TestServer.json(rotated).get("rotationWindowEndsAt").asText());
            assertTrue(Duration.between(Instant.now(), ends).toMinutes() >= 58);
            assertEquals(ends.toString(), Instant.parse(TestServer.json(server.get("/api/webhooks/" + id))
                    .get("rotationWindowEndsAt").asText()).toString());
            receiver.trust(next);
            server.post("/api/webhooks/" + id + "/test", "{}");
            assertTrue(receiver.received.get(2).verified(), "the new secret verifies during the window");

            HttpResponse<String> bad = server.post("/api/webhooks/" + id + "/rotate", "{\"windowSeconds\":99999999}");
            assertEquals(400, bad.statusCode());
            assertEquals(204, server.delete("/api/webhooks/" + id).statusCode());
            assertEquals(404, server.get("/api/webhooks/" + id + "/deliveries").statusCode());
        }
    }

    @Test
    void badBodiesAreRejectedWithTheField() {
        try (TestServer server = TestServer.start(dir, Map.of("EGRESS_ALLOW_INTERNAL_HOSTS", "127.0.0.1"))) {
            assertEquals("events", TestServer.json(server.post("/api/webhooks",
                    "{\"url\":\"https://example.com/h\",\"events\":[\"run.exploded\"]}")).get("param").asText());
            assertEquals("events", TestServer.json(server.post("/api/webhooks",
                    "{\"url\":\"https://example.com/h\",\"events\":[]}")).get("param").asText());
            assertEquals("url", TestServer.json(server.post("/api/webhooks",
                    "{\"url\":\"http://example.com/h\",\"events\":[\"run.success\"]}")).get("param").asText(),
                    "plain http only for listed hosts");
            assertEquals("url", TestServer.json(server.post("/api/webhooks",
                    "{\"url\":\"ftp://example.com/h\",\"events\":[\"run.success\"]}")).get("param").asText());
            assertEquals(0, TestServer.json(server.get("/api/webhooks")).get("data").size());
        }
    }
}
