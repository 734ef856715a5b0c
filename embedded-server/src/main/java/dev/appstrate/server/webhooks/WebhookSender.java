package dev.appstrate.server.webhooks;

import dev.appstrate.runner.StandardWebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/** One signed POST of a delivery; never follows redirects. */
public final class WebhookSender {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** What came back: a status code (and Retry-After), or a transport error. */
    record Response(Integer statusCode, String retryAfter, long latencyMs, String error) {
    }

    private final String userAgent;

    public WebhookSender(String version) {
        this.userAgent = "Appstrate-Webhooks/" + version;
    }

    Response post(URI url, String messageId, long timestampSeconds, byte[] body, List<String> secrets, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("content-type", "application/json")
                .header("user-agent", userAgent)
                .header("webhook-id", messageId)
                .header("webhook-timestamp", Long.toString(timestampSeconds))
                .header("webhook-signature", signatures(secrets, messageId, timestampSeconds, body))
                .header("webhook-attempt", Integer.toString(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<Void> r = dev.appstrate.server.http.OutboundHttp.client().send(request, HttpResponse.BodyHandlers.discarding());
            return new Response(r.statusCode(), r.headers().firstValue("retry-after").orElse(null), millisSince(t0), null);
        } catch (HttpConnectTimeoutException e) {
            return new Response(null, null, millisSince(t0), "Connection timed out after " + TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            return new Response(null, null, millisSince(t0), "No response within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return new Response(null, null, millisSince(t0), "Request failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(null, null, millisSince(t0), "Interrupted (server stopping)");
        }
    }

    /** One {@code v1,} signature per active secret, space-separated (two during a rotation window). */
    static String signatures(List<String> secrets, String messageId, long timestampSeconds, byte[] body) {
        StringBuilder sb = new StringBuilder();
        for (String secret : secrets) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(StandardWebhookSignature.ofKey(WebhookSecret.key(secret)).sign(messageId, timestampSeconds, body));
        }
        return sb.toString();
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (m == null && e.getCause() != null) {
            m = e.getCause().toString();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
