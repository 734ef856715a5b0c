package dev.appstrate.server.webhooks;

import java.security.SecureRandom;
import java.util.Base64;

/** Standard Webhooks secrets: {@code whsec_<base64url(32 random bytes)>}; the HMAC key is the decoded part. */
final class WebhookSecret {
    static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecret() {
    }

    static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** The signing key: base64url-decoded after {@code whsec_} (plain base64 secrets from elsewhere decode too). */
    static byte[] key(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        String url = encoded.replace('+', '-').replace('/', '_');
        return Base64.getUrlDecoder().decode(url);
    }
}
