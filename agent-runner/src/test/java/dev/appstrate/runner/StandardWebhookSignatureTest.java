package dev.appstrate.runner;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardWebhookSignatureTest {
    private static final String SECRET = "test-secret-0123456789";
    private static final String BODY = "{\"type\":\"log.written\"}";
    private static final long TS = 1_700_000_000L;
    private final StandardWebhookSignature sig = new StandardWebhookSignature(SECRET);

    @Test
    void signsWithTheRawSecretStringAsHmacKey() {
        // known answer computed independently (Python hmac/sha256 over "msg_2Xk.1700000000.<body>")
        assertEquals("v1,eK3esqsjJILDR8CTScT9fWJdrmJLra07I8kCTFinlpY=", sig.sign("msg_2Xk", TS, BODY));
    }

    /** The Standard Webhooks specification's test vector (secret whsec_MfKQ…, its key base64-decoded). */
    @Test
    void matchesTheStandardWebhooksTestVector() {
        StandardWebhookSignature spec = StandardWebhookSignature.ofKey(
                java.util.Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        String expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        String body = "{\"test\": 2432232314}";
        assertEquals(expected, spec.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body));
        assertEquals(expected, spec.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "bytes and text sign alike");
        assertEquals(StandardWebhookSignature.Verdict.VALID, spec.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                "v1,bad " + expected, body, 1614265330, 300));
    }

    @Test
    void headersCarryIdTimestampAndSignature() {
        Map<String, String> h = sig.headers("msg_2Xk", TS, BODY);
        assertEquals("msg_2Xk", h.get("webhook-id"));
        assertEquals("1700000000", h.get("webhook-timestamp"));
        assertEquals(sig.sign("msg_2Xk", TS, BODY), h.get("webhook-signature"));
    }

    @Test
    void verifiesWhatItSigned() {
        Map<String, String> h = sig.headers(BODY);
        assertEquals(StandardWebhookSignature.Verdict.VALID,
                sig.verify(h.get("webhook-id"), h.get("webhook-timestamp"), h.get("webhook-signature"), BODY));
    }

    @Test
    void detectsTampering() {
        String s = sig.sign("msg_1", TS, BODY);
        assertEquals(StandardWebhookSignature.Verdict.INVALID_SIGNATURE,
                sig.verify("msg_1", "1700000000", s, BODY.replace("log", "lag"), TS, 300), "body changed");
        assertEquals(StandardWebhookSignature.Verdict.INVALID_SIGNATURE,
                sig.verify("msg_2", "1700000000", s, BODY, TS, 300), "id changed");
        assertEquals(StandardWebhookSignature.Verdict.INVALID_SIGNATURE,
                sig.verify("msg_1", "1700000001", s, BODY, TS, 300), "timestamp changed");
        assertEquals(StandardWebhookSignature.Verdict.INVALID_SIGNATURE,
                new StandardWebhookSignature(SECRET + "x").verify("msg_1", "1700000000", s, BODY, TS, 300), "other secret");
        String flipped = s.substring(0, 10) + (s.charAt(10) == 'A' ? 'B' : 'A') + s.substring(11);
        assertEquals(StandardWebhookSignature.Verdict.INVALID_SIGNATURE,
                sig.verify("msg_1", "1700000000", flipped, BODY, TS, 300), "signature changed");
    }

    @Test
    void enforcesTimestampToleranceAndFormat() {
        String s = sig.sign("msg_1", TS, BODY);
        assertEquals(StandardWebhookSignature.Verdict.VALID, sig.verify("msg_1", "1700000000", s, BODY, TS + 300, 300));
        assertEquals(StandardWebhookSignature.Verdict.TIMESTAMP_OUT_OF_TOLERANCE,
                sig.verify("msg_1", "1700000000", s, BODY, TS + 301, 300));
        assertEquals(StandardWebhookSignature.Verdict.INVALID_TIMESTAMP, sig.verify("msg_1", "soon", s, BODY, TS, 300));
        assertEquals(StandardWebhookSignature.Verdict.MISSING_HEADERS, sig.verify(null, "1700000000", s, BODY, TS, 300));
        assertEquals(StandardWebhookSignature.Verdict.MISSING_HEADERS, sig.verify("msg_1", "1700000000", " ", BODY, TS, 300));
    }

    @Test
    void acceptsASignatureListAndSkipsUnknownVersions() {
        String good = sig.sign("msg_1", TS, BODY);
        String list = "v2,somethingelse v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + good;
        assertEquals(StandardWebhookSignature.Verdict.VALID, sig.verify("msg_1", "1700000000", list, BODY, TS, 300));
        assertEquals(StandardWebhookSignature.Verdict.INVALID_SIGNATURE,
                sig.verify("msg_1", "1700000000", good.replace("v1,", "v2,"), BODY, TS, 300));
    }

    @Test
    void refusesAnEmptySecret() {
        assertThrows(IllegalArgumentException.class, () -> new StandardWebhookSignature(""));
        assertTrue(StandardWebhookSignature.Verdict.INVALID_SIGNATURE.reason.equals("invalid_signature"));
    }
}
