package dev.appstrate.runner;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringTokenizer;
import java.util.UUID;

/**
 * Standard Webhooks signing, the one implementation: run-sink requests (runner → server, as the original runtime
 * does it) and the server's outgoing webhooks.
 *
 * <p>Headers {@code webhook-id}, {@code webhook-timestamp} (unix seconds) and
 * {@code webhook-signature: v1,<base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))>}.
 * The run sink's key is the UTF-8 bytes of the per-run secret string, used as is; a webhook's key is its
 * {@code whsec_} secret base64-decoded ({@link #ofKey}). Verification accepts a space-separated list of
 * signatures, skips unknown versions, checks the timestamp tolerance and compares in constant time.
 *
 * <p>Dependency-free (JDK only): the server uses it from this module.
 */
public final class StandardWebhookSignature {
    public static final String HEADER_ID = "webhook-id";
    public static final String HEADER_TIMESTAMP = "webhook-timestamp";
    public static final String HEADER_SIGNATURE = "webhook-signature";
    /** Default allowed clock skew, as in the original. */
    public static final long DEFAULT_TOLERANCE_SECONDS = 300;

    /** Outcome of {@link #verify}; {@code reason} names the failure in the original's vocabulary. */
    public enum Verdict {
        VALID("ok"),
        MISSING_HEADERS("missing_signature_headers"),
        INVALID_TIMESTAMP("invalid_timestamp"),
        TIMESTAMP_OUT_OF_TOLERANCE("timestamp_out_of_tolerance"),
        INVALID_SIGNATURE("invalid_signature");

        public final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        public boolean ok() {
            return this == VALID;
        }
    }

    private final byte[] key;
    /** Keyed once and cloned per message: getInstance + init per request was a measurable share of each event's CPU. */
    private final Mac keyed;

    /** The run sink's signer: the key is the secret string's UTF-8 bytes. */
    public StandardWebhookSignature(String secret) {
        this(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8));
    }

    private StandardWebhookSignature(byte[] key) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("signing secret must not be empty");
        }
        this.key = key.clone();
        this.keyed = keyedMac(this.key);
    }

    /** A signer over raw key bytes (a webhook's {@code whsec_} secret, base64-decoded). */
    public static StandardWebhookSignature ofKey(byte[] key) {
        return new StandardWebhookSignature(key);
    }

    /** Returns {@code v1,<base64 signature>} for one message. */
    public String sign(String msgId, long timestampSeconds, String body) {
        return sign(msgId, timestampSeconds, body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code v1,<base64 signature>} over a body kept as bytes (sent exactly as signed). */
    public String sign(String msgId, long timestampSeconds, byte[] body) {
        Mac mac = mac();
        mac.update((msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    /** A copy of the keyed Mac (a clone copies its digest state: no provider lookup, no key schedule). */
    private Mac mac() {
        try {
            return (Mac) keyed.clone();
        } catch (CloneNotSupportedException e) {
            return keyedMac(key); // a provider whose Mac cannot be cloned: key a fresh one
        }
    }

    private static Mac keyedMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The three signature headers for one request body (insertion-ordered). */
    public Map<String, String> headers(String msgId, long timestampSeconds, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(HEADER_ID, msgId);
        h.put(HEADER_TIMESTAMP, Long.toString(timestampSeconds));
        h.put(HEADER_SIGNATURE, sign(msgId, timestampSeconds, body));
        return h;
    }

    /** Headers with a fresh random message id and the current time. */
    public Map<String, String> headers(String body) {
        return headers(UUID.randomUUID().toString(), System.currentTimeMillis() / 1000, body);
    }

    /**
     * Verifies a received request.
     *
     * @param signatureHeader the {@code webhook-signature} value, possibly several space-separated entries
     * @param nowSeconds      the verifier's current unix time
     */
    public Verdict verify(String msgId, String timestampHeader, String signatureHeader, String body,
                          long nowSeconds, long toleranceSeconds) {
        if (isBlank(msgId) || isBlank(timestampHeader) || isBlank(signatureHeader)) {
            return Verdict.MISSING_HEADERS;
        }
        long ts;
        try {
            ts = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return Verdict.INVALID_TIMESTAMP;
        }
        if (Math.abs(nowSeconds - ts) > toleranceSeconds) {
            return Verdict.TIMESTAMP_OUT_OF_TOLERANCE;
        }
        byte[] expected = sign(msgId, ts, body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
        // whitespace-separated like split("\\s+"), without a regex per request
        for (StringTokenizer parts = new StringTokenizer(signatureHeader, " \t\n\r\f\u000B"); parts.hasMoreTokens(); ) {
            String part = parts.nextToken();
            if (!part.startsWith("v1,")) {
                continue;
            }
            if (MessageDigest.isEqual(expected, part.getBytes(StandardCharsets.UTF_8))) {
                return Verdict.VALID;
            }
        }
        return Verdict.INVALID_SIGNATURE;
    }

    /** {@link #verify(String, String, String, String, long, long)} against the wall clock, 300 s tolerance. */
    public Verdict verify(String msgId, String timestampHeader, String signatureHeader, String body) {
        return verify(msgId, timestampHeader, signatureHeader, body, System.currentTimeMillis() / 1000,
                DEFAULT_TOLERANCE_SECONDS);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
