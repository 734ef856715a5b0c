package dev.appstrate.desktop.ui.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.WebhooksApi;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The toast after "Send test" says something whole whether the server answers as the original or as ours. */
class TestPingOutcomeTest {
    private static final WebhookRow HOOK = new WebhookRow("wh_1", "https://example.com/hook", List.of("run.success"), true, "", "");

    @Test
    void theOriginalsAnswerWithoutADeliveryPointsToTheDeliveries() throws Exception {
        WebhooksApi.TestPing ping = WebhooksApi.TestPing.of(DesktopJson.MAPPER.readTree(
                "{\"eventId\":\"evt_test_cm2def456\",\"payload\":{\"type\":\"test.ping\",\"webhookId\":\"wh_1\"}}"));
        assertEquals("Test ping to https://example.com/hook sent (evt_test_cm2def456): its delivery appears below",
                WebhooksViewModel.testOutcome(HOOK, ping));
        assertFalse(WebhooksViewModel.testFailed(ping), "not known to have failed: an info notice");
    }

    @Test
    void oursAlsoSaysHowTheDeliveryWent() throws Exception {
        WebhooksApi.TestPing ping = WebhooksApi.TestPing.of(DesktopJson.MAPPER.readTree(
                "{\"eventId\":\"evt_1\",\"payload\":{},\"delivery\":{\"id\":\"d1\",\"status\":\"failed\",\"statusCode\":500,"
                        + "\"error\":\"HTTP 500\",\"attempt\":1,\"maxAttempts\":5}}"));
        assertEquals("Test ping to https://example.com/hook: failed (HTTP 500) — HTTP 500", WebhooksViewModel.testOutcome(HOOK, ping));
        assertTrue(WebhooksViewModel.testFailed(ping), "a failed ping is told as an error, not as info");
    }
}
