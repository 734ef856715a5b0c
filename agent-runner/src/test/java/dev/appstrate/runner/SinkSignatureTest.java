package dev.appstrate.runner;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SinkSignatureTest {
    private static final String SECRET = "test-secret-0123456789";
    private static final String BODY = "{\"type\":\"log.written\"}";
    private static final long TS = 1_700_000_000L;
    private final SinkSignature sig = new SinkSignature(SECRET);

    @Test
    void signsWithTheRawSecretStringAsHmacKey() {
        // known answer computed independently (Python hmac/sha256 over "msg_2Xk.1700000000.<body>")
        assertEquals("v1,eK3esqsjJILDR8CTScT9fWJdrmJLra07I8kCTFinlpY=", sig.sign("msg_2Xk", TS, BODY));
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
        assertEquals(SinkSignature.Verdict.VALID,
                sig.verify(h.get("webhook-id"), h.get("webhook-timestamp"), h.get("webhook-signature"), BODY));
    }

    @Test
    void detectsTampering() {
        String s = sig.sign("msg_1", TS, BODY);
        assertEquals(SinkSignature.Verdict.INVALID_SIGNATURE,
                sig.verify("msg_1", "1700000000", s, BODY.replace("log", "lag"), TS, 300), "body changed");
        assertEquals(SinkSignature.Verdict.INVALID_SIGNATURE,
                sig.verify("msg_2", "1700000000", s, BODY, TS, 300), "id changed");
        assertEquals(SinkSignature.Verdict.INVALID_SIGNATURE,
                sig.verify("msg_1", "1700000001", s, BODY, TS, 300), "timestamp changed");
        assertEquals(SinkSignature.Verdict.INVALID_SIGNATURE,
                new SinkSignature(SECRET + "x").verify("msg_1", "1700000000", s, BODY, TS, 300), "other secret");
        String flipped = s.substring(0, 10) + (s.charAt(10) == 'A' ? 'B' : 'A') + s.substring(11);
        assertEquals(SinkSignature.Verdict.INVALID_SIGNATURE,
                sig.verify("msg_1", "1700000000", flipped, BODY, TS, 300), "signature changed");
    }

    @Test
    void enforcesTimestampToleranceAndFormat() {
        String s = sig.sign("msg_1", TS, BODY);
        assertEquals(SinkSignature.Verdict.VALID, sig.verify("msg_1", "1700000000", s, BODY, TS + 300, 300));
        assertEquals(SinkSignature.Verdict.TIMESTAMP_OUT_OF_TOLERANCE,
                sig.verify("msg_1", "1700000000", s, BODY, TS + 301, 300));
        assertEquals(SinkSignature.Verdict.INVALID_TIMESTAMP, sig.verify("msg_1", "soon", s, BODY, TS, 300));
        assertEquals(SinkSignature.Verdict.MISSING_HEADERS, sig.verify(null, "1700000000", s, BODY, TS, 300));
        assertEquals(SinkSignature.Verdict.MISSING_HEADERS, sig.verify("msg_1", "1700000000", " ", BODY, TS, 300));
    }

    @Test
    void acceptsASignatureListAndSkipsUnknownVersions() {
        String good = sig.sign("msg_1", TS, BODY);
        String list = "v2,somethingelse v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + good;
        assertEquals(SinkSignature.Verdict.VALID, sig.verify("msg_1", "1700000000", list, BODY, TS, 300));
        assertEquals(SinkSignature.Verdict.INVALID_SIGNATURE,
                sig.verify("msg_1", "1700000000", good.replace("v1,", "v2,"), BODY, TS, 300));
    }

    @Test
    void refusesAnEmptySecret() {
        assertThrows(IllegalArgumentException.class, () -> new SinkSignature(""));
        assertTrue(SinkSignature.Verdict.INVALID_SIGNATURE.reason.equals("invalid_signature"));
    }
}
