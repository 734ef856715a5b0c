package dev.appstrate.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ProblemJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RedactorTest {
    @Test
    void masksKnownValuesAndTheirCommonEncodings() {
        Redactor r = new Redactor();
        String secret = "sk-live \"quoted\" & spaced/9f8e7d";
        r.add(secret);
        assertEquals("key=" + Redactor.MASK + ".", r.redact("key=" + secret + "."));
        assertEquals("q=" + Redactor.MASK, r.redact("q=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)));
        assertEquals("{\"k\":\"" + Redactor.MASK + "\"}", r.redact("{\"k\":\"sk-live \\\"quoted\\\" & spaced/9f8e7d\"}"));
        assertEquals("nothing here", r.redact("nothing here"));
    }

    @Test
    void basicPairsAreMaskedInTheirHeaderForm() {
        Redactor r = new Redactor();
        r.addBasicPair("ada", "correct-horse-battery");
        String header = "Basic " + Base64.getEncoder().encodeToString("ada:correct-horse-battery".getBytes(StandardCharsets.UTF_8));
        assertEquals("Basic " + Redactor.MASK, r.redact(header));
        assertFalse(r.redact("pw correct-horse-battery").contains("correct-horse"));
    }

    @Test
    void shortValuesAreNotLearnedAndLongestMatchWins() {
        Redactor r = new Redactor();
        r.add("abc");
        assertEquals("abc", r.redact("abc"));
        r.add("token-123456");
        r.add("token-123456-extended");
        assertEquals(Redactor.MASK, r.redact("token-123456-extended"));
    }

    @Test
    void problemBodiesNeverCarryAKnownValue() {
        String secret = "leaky-value-0123456789";
        Redactor.global().add(secret);
        String body = ProblemJson.body(ApiException.invalidRequest("bad thing with " + secret, null), "req_1").toString();
        assertFalse(body.contains(secret), body);
        assertTrue(body.contains(Redactor.MASK));
    }

    @Test
    void aCutOffSecretsKeptBeginningIsMaskedAtTheEndOfACutText() {
        Redactor r = new Redactor();
        r.add("token-123456");
        assertEquals("log " + Redactor.MASK, r.redactCutEnd("log token-12"));
        assertEquals("log " + Redactor.MASK + " then " + Redactor.MASK, r.redactCutEnd("log token-123456 then tok"));
        assertEquals("log to", r.redactCutEnd("log to"), "two characters say next to nothing and mask ordinary words");
        assertEquals("token-12 is mid-text", r.redactCutEnd("token-12 is mid-text"), "only the cut end is a cut-off secret");
    }
}
