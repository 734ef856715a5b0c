package dev.appstrate.server.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outgoing webhooks sign as the Standard Webhooks specification's test vector says, one signature per secret. */
class WebhookSignatureVectorTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theSpecificationsVector() {
        assertEquals(EXPECTED, WebhookSender.signatures(List.of(SECRET), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY));
    }

    @Test
    void duringARotationBothSecretsSign() {
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
        String header = WebhookSender.signatures(List.of(SECRET, other), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY);
        assertEquals(2, header.split(" ").length);
        assertEquals(EXPECTED, header.split(" ")[0]);
    }
}
