package dev.appstrate.server.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} header of Standard Webhooks: {@code v1,<base64 HMAC-SHA256("id.timestamp.body")>}
 * per active secret, space-separated (two during a rotation window).
 */
final class WebhookSignature {
    private WebhookSignature() {
    }

    static String header(List<String> secrets, String messageId, long timestampSeconds, byte[] body) {
        StringBuilder sb = new StringBuilder();
        for (String secret : secrets) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append("v1,").append(sign(secret, messageId, timestampSeconds, body));
        }
        return sb.toString();
    }

    static String sign(String secret, String messageId, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WebhookSecret.key(secret), "HmacSHA256"));
            mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
