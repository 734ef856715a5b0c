package dev.appstrate.server.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.egress.EgressGuard;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.secrets.KeyRing;
import dev.appstrate.server.secrets.SecretBox;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.TestTenant;
import dev.appstrate.server.timers.ManualTime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliveries over real HTTP to a loopback consumer that checks signatures its own way, with a real SQLite file
 * and a manual clock: retries are observed at their exact instants without sleeping.
 */
class WebhookDeliveryTest {
    private static final Instant T0 = Instant.parse("2025-06-02T10:00:00Z");
    private static final Webhooks.Caller OWNER = new Webhooks.Caller(TestTenant.ORG, TestTenant.APP, false);

    @TempDir
    Path dir;

    private ManualTime time;
    private Database db;
    private WebhookRepository store;
    private DeliveryWorker worker;
    private Webhooks webhooks;
    private WebhookEvents events;
    private SignatureCheckingReceiver receiver;

    @BeforeEach
    void boot() throws Exception {
        time = new ManualTime(T0);
        receiver = new SignatureCheckingReceiver(() -> time);
        start();
    }

    private void start() {
        start(List.of("127.0.0.1"));
    }

    private void start(List<String> allowInternalHosts) {
        db = TestTenant.open(dir.resolve("appstrate.db"), time);
        store = new WebhookRepository(db, new SecretBox(KeyRing.of("k1", new byte[32], Map.of())));
        EgressGuard egress = new EgressGuard(allowInternalHosts);
        // attempts run on the thread that advances the clock, so each one is finished when advance() returns
        worker = new DeliveryWorker(store, new WebhookSender("test"), egress, time, time, Runnable::run, 10);
        webhooks = new Webhooks(store, TestTenant.tenancy(db, time), worker, egress, time);
        events = new WebhookEvents(store, worker, time);
        worker.start();
    }

    /** The server goes down: timers die, the database file stays. */
    private void shutDown() {
        worker.close();
        time.forgetTimers();
        db.close();
    }

    @AfterEach
    void stop() {
        worker.close();
        db.close();
        receiver.close();
    }

    private Webhooks.Created hook(String events) {
        Webhooks.Created c = webhooks.create(OWNER, createBody("{\"url\":\"" + receiver.url() + "\",\"events\":" + events + "}"));
        receiver.trust(c.secret());
        return c;
    }

    private static Webhooks.CreateBody createBody(String s) {
        return Json.MAPPER.convertValue(json(s), Webhooks.CreateBody.class);
    }

    private static Webhooks.UpdateBody updateBody(String s) {
        return Json.MAPPER.convertValue(json(s), Webhooks.UpdateBody.class);
    }

    private static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private String runSucceeded(String packageId) {
        return events.runStatusChanged(TestTenant.ORG, TestTenant.APP, packageId, "success",
                json("{\"id\":\"run_1\",\"packageId\":\"" + packageId + "\",\"status\":\"success\",\"result\":{\"ok\":true},"
                        + "\"duration\":1200}"));
    }

    private Delivery onlyDelivery(String webhookId) {
        List<Delivery> l = store.deliveries(webhookId, 10);
        assertEquals(1, l.size());
        return l.get(0);
    }

    @Test
    void aRunEventReachesTheReceiverSignedTheStandardWebhooksWay() {
        Webhooks.Created all = hook("[\"run.success\",\"run.failed\"]");
        Webhooks.Created startedOnly = webhooks.create(OWNER, createBody("{\"url\":\"" + receiver.url()
                + "\",\"events\":[\"run.started\"]}"));
        Webhooks.Created otherAgent = webhooks.create(OWNER, createBody("{\"url\":\"" + receiver.url()
                + "\",\"events\":[\"run.success\"],\"packageId\":\"@acme/other\"}"));

        String eventId = runSucceeded("@acme/digest");

        assertEquals(1, receiver.received.size(), "only the matching webhook is called");
        SignatureCheckingReceiver.Received r = receiver.received.get(0);
        assertTrue(r.verified(), "signature verifies with the secret shown at creation");
        assertEquals(eventId, r.id());
        assertEquals(T0.getEpochSecond(), r.timestamp());
        assertEquals("1", r.attempt());
        JsonNode body = json(r.body());
        assertEquals("event", body.get("object").asText());
        assertEquals("run.success", body.get("type").asText());
        assertEquals("run", body.at("/data/object/object").asText());
        assertEquals("run_1", body.at("/data/object/id").asText());
        assertTrue(body.at("/data/object/result/ok").asBoolean());

        Delivery d = onlyDelivery(all.webhook().id());
        assertEquals("success", d.status());
        assertEquals(1, d.attempts());
        assertEquals(200, d.statusCode());
        assertNotNull(d.latencyMs());
        assertTrue(store.deliveries(startedOnly.webhook().id(), 10).isEmpty());
        assertTrue(store.deliveries(otherAgent.webhook().id(), 10).isEmpty());
        assertNull(time.nextTimer(), "nothing left to send");
    }

    @Test
    void aSecretTheReceiverDoesNotKnowDoesNotVerify() {
        hook("[\"run.success\"]");
        receiver.trust(WebhookSecret.generate());
        runSucceeded("@acme/digest");
        assertFalse(receiver.received.get(0).verified());
    }

    @Test
    void failuresAreRetriedOnTheOriginalScheduleUpToEightAttempts() {
        Webhooks.Created c = hook("[\"run.success\"]");
        receiver.alwaysReply(500);
        runSucceeded("@acme/digest");

        List<Duration> expectedGaps = List.of(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(4));
        Instant expected = T0;
        for (Duration gap : expectedGaps) {
            expected = expected.plus(gap);
            assertEquals(expected, time.nextTimer(), "next attempt " + gap + " after the previous one");
            time.advanceTo(expected.minusSeconds(1));
            int before = receiver.received.size();
            time.advanceTo(expected);
            assertEquals(before + 1, receiver.received.size());
        }
        assertEquals(8, receiver.received.size());
        for (int i = 0; i < 8; i++) {
            assertEquals(String.valueOf(i + 1), receiver.received.get(i).attempt());
            assertEquals(receiver.received.get(0).id(), receiver.received.get(i).id(), "same webhook-id on every retry");
            assertTrue(receiver.received.get(i).verified());
        }
        Delivery d = onlyDelivery(c.webhook().id());
        assertEquals("failed", d.status());
        assertEquals(8, d.attempts());
        assertEquals(500, d.statusCode());
        assertEquals(List.of("retry", "retry", "retry", "retry", "retry", "retry", "retry", "failed"),
                store.attempts(d.id()).stream().map(DeliveryAttempt::outcome).toList());
        assertNull(time.nextTimer());
        time.advance(Duration.ofDays(2));
        assertEquals(8, receiver.received.size(), "no ninth attempt");
    }

    @Test
    void aRetryPendingAtShutdownIsSentAfterARestart() {
        Webhooks.Created c = hook("[\"run.success\"]");
        receiver.reply(503, Map.of());
        receiver.reply(503, Map.of());
        runSucceeded("@acme/digest");
        assertEquals(1, receiver.received.size());

        shutDown();
        time.jumpTo(T0.plus(Duration.ofMinutes(10)));
        start();

        // the 30 s retry was overdue at boot, so it went out at once; the next waits 5 min after it
        assertEquals(2, receiver.received.size());
        assertEquals(T0.plus(Duration.ofMinutes(15)), time.nextTimer());
        time.advanceTo(T0.plus(Duration.ofMinutes(15)));
        assertEquals(3, receiver.received.size());
        Delivery d = onlyDelivery(c.webhook().id());
        assertEquals("success", d.status());
        assertEquals(3, d.attempts());
        assertEquals(List.of("1", "2", "3"), receiver.received.stream().map(SignatureCheckingReceiver.Received::attempt).toList());
    }

    @Test
    void clientErrorsAreNotRetriedExceptTimeoutAndTooManyRequests() {
        Webhooks.Created c = hook("[\"run.success\"]");
        receiver.reply(400, Map.of());
        runSucceeded("@acme/digest");
        Delivery d = onlyDelivery(c.webhook().id());
        assertEquals("failed", d.status());
        assertEquals(1, d.attempts());
        assertEquals(400, d.statusCode());
        assertNull(time.nextTimer(), "a 400 is final");

        Webhooks.Created c2 = hook("[\"run.failed\"]");
        receiver.reply(408, Map.of());
        events.runStatusChanged(TestTenant.ORG, TestTenant.APP, "@acme/digest", "failed",
                json("{\"id\":\"run_2\",\"status\":\"failed\",\"error\":\"boom\"}"));
        assertEquals("pending", onlyDelivery(c2.webhook().id()).status());
        assertEquals(T0.plusSeconds(30), time.nextTimer(), "a 408 is retried");
        time.advanceTo(T0.plusSeconds(30));
        assertEquals("success", onlyDelivery(c2.webhook().id()).status());
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheReceiversRetryAfter() {
        Webhooks.Created c = hook("[\"run.success\"]");
        receiver.reply(429, Map.of("Retry-After", "120"));
        runSucceeded("@acme/digest");
        assertEquals(T0.plusSeconds(120), time.nextTimer(), "Retry-After: 120 replaces the 30 s step");
        time.advanceTo(T0.plusSeconds(119));
        assertEquals(1, receiver.received.size());
        time.advanceTo(T0.plusSeconds(120));
        assertEquals(2, receiver.received.size());
        Delivery d = onlyDelivery(c.webhook().id());
        assertEquals("success", d.status());
        assertEquals(429, store.attempts(d.id()).get(0).statusCode());
    }

    @Test
    void duringARotationWindowBothSecretsSignThenOnlyTheNewOne() {
        Webhooks.Created c = hook("[\"run.success\"]");
        String oldSecret = c.secret();
        String newSecret = webhooks.rotate(OWNER, c.webhook().id(), null).get("secret").asText();
        receiver.trust(oldSecret, newSecret);

        runSucceeded("@acme/digest");
        SignatureCheckingReceiver.Received during = receiver.received.get(0);
        assertEquals(2, during.signature().split(" ").length, "two signatures, space-separated");
        assertEquals(List.of(oldSecret, newSecret), during.verifiedWith(), "a consumer on either secret accepts it");

        time.advanceTo(T0.plus(Duration.ofDays(7)).minusSeconds(1));
        runSucceeded("@acme/digest");
        assertEquals(2, receiver.received.get(1).verifiedWith().size(), "still both just before the window ends");

        time.advanceTo(T0.plus(Duration.ofDays(7)).plusSeconds(1));
        runSucceeded("@acme/digest");
        SignatureCheckingReceiver.Received after = receiver.received.get(2);
        assertEquals(1, after.signature().split(" ").length);
        assertEquals(List.of(newSecret), after.verifiedWith(), "the old secret no longer signs");
        Webhook promoted = store.find(c.webhook().id()).orElseThrow();
        assertEquals(newSecret, promoted.secret());
        assertNull(promoted.secretNext());
    }

    @Test
    void theTestEndpointReallyDeliversASignedPingAndItIsListed() {
        Webhooks.Created c = hook("[\"run.success\"]");
        Delivery ping = webhooks.test(OWNER, c.webhook().id());
        assertEquals("success", ping.status());
        assertEquals(1, receiver.received.size());
        assertTrue(receiver.received.get(0).verified());
        assertEquals("test.ping", json(receiver.received.get(0).body()).get("type").asText());
        assertEquals(List.of(ping.id()), webhooks.deliveries(OWNER, c.webhook().id(), 20).stream().map(Delivery::id).toList());
    }

    @Test
    void redeliverSendsTheSameEventAgainAsANewDelivery() {
        Webhooks.Created c = hook("[\"run.success\"]");
        receiver.reply(400, Map.of());
        runSucceeded("@acme/digest");
        Delivery failed = onlyDelivery(c.webhook().id());
        assertEquals("failed", failed.status());

        Delivery again = webhooks.redeliver(OWNER, c.webhook().id(), failed.id());
        assertEquals(2, receiver.received.size());
        assertEquals(receiver.received.get(0).id(), receiver.received.get(1).id(), "same event id");
        assertEquals(receiver.received.get(0).body(), receiver.received.get(1).body(), "same body");
        assertEquals("success", store.delivery(again.id()).orElseThrow().status());
        assertEquals(2, store.deliveries(c.webhook().id(), 10).size());
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        try (SignatureCheckingReceiver elsewhere = new SignatureCheckingReceiver(() -> time)) {
            Webhooks.Created c = hook("[\"run.success\"]");
            receiver.reply(307, Map.of("Location", elsewhere.url()));
            runSucceeded("@acme/digest");
            Delivery d = onlyDelivery(c.webhook().id());
            assertEquals("failed", d.status());
            assertEquals(307, d.statusCode());
            assertTrue(d.error().contains("redirects are not followed"));
            assertTrue(elsewhere.received.isEmpty());
        }
    }

    @Test
    void aDisabledWebhookReceivesNothing() {
        Webhooks.Created c = hook("[\"run.success\"]");
        webhooks.update(OWNER, c.webhook().id(), updateBody("{\"enabled\":false}"));
        runSucceeded("@acme/digest");
        assertTrue(receiver.received.isEmpty());
        assertTrue(store.deliveries(c.webhook().id(), 10).isEmpty());
    }

    @Test
    void atMostTwentyWebhooksPerScope() {
        for (int i = 0; i < Webhooks.MAX_PER_SCOPE; i++) {
            webhooks.create(OWNER, createBody("{\"url\":\"https://93.184.215.14/h" + i + "\",\"events\":[\"run.success\"]}"));
        }
        ApiException full = assertThrows(ApiException.class, () -> webhooks.create(OWNER,
                createBody("{\"url\":\"https://93.184.215.14/h\",\"events\":[\"run.success\"]}")));
        assertEquals(400, full.status());
        assertEquals("webhook_limit_reached", full.code());
        webhooks.create(OWNER, createBody("{\"level\":\"org\",\"url\":\"https://93.184.215.14/org\",\"events\":[\"run.success\"]}"));
        assertEquals(21, webhooks.list(OWNER, null, true).size(), "the org level is another scope");
    }

    @Test
    void apiKeysOnlyManageTheirOwnApplicationsWebhooks() {
        Webhooks.Caller key = new Webhooks.Caller(TestTenant.ORG, TestTenant.APP, true);
        ApiException org = assertThrows(ApiException.class, () -> webhooks.create(key,
                createBody("{\"level\":\"org\",\"url\":\"https://93.184.215.14/org\",\"events\":[\"run.success\"]}")));
        assertEquals(403, org.status());
        Webhooks.Created orgHook = webhooks.create(OWNER,
                createBody("{\"level\":\"org\",\"url\":\"https://93.184.215.14/org\",\"events\":[\"run.success\"]}"));
        Webhooks.Created appHook = webhooks.create(key,
                createBody("{\"url\":\"https://93.184.215.14/app\",\"events\":[\"run.success\"]}"));
        assertEquals(List.of(appHook.webhook().id()), webhooks.list(key, null, false).stream().map(Webhook::id).toList());
        assertEquals(404, assertThrows(ApiException.class, () -> webhooks.get(key, orgHook.webhook().id())).status());
        assertEquals(2, webhooks.list(OWNER, null, false).size(), "the owner sees both levels");
    }

    @Test
    void theEgressGuardIsCheckedAgainOnEveryAttempt() {
        Webhooks.Created c = hook("[\"run.success\"]");
        receiver.reply(500, Map.of());
        runSucceeded("@acme/digest");
        assertEquals("pending", onlyDelivery(c.webhook().id()).status());

        // the operator removes 127.0.0.1 from EGRESS_ALLOW_INTERNAL_HOSTS and restarts
        shutDown();
        start(List.of());
        time.advanceTo(T0.plusSeconds(30));
        Delivery d = onlyDelivery(c.webhook().id());
        assertEquals("failed", d.status(), "a blocked target is final");
        assertTrue(d.error().startsWith("Blocked by the egress guard"), d.error());
        assertEquals(1, receiver.received.size(), "nothing more reached the loopback receiver");
        assertNull(time.nextTimer());
    }
}
