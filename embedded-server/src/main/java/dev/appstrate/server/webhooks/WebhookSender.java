package dev.appstrate.server.webhooks;

import dev.appstrate.runner.StandardWebhookSignature;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One signed POST of a delivery; never follows redirects. The whole answer, body included, must arrive within the
 * timeout: a receiver that sends its headers and then trickles its body would otherwise hold a sender (and a test
 * ping's request) for as long as it likes.
 */
public final class WebhookSender {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** What came back: a status code (and Retry-After), or a transport error. */
    record Response(Integer statusCode, String retryAfter, long latencyMs, String error) {
    }

    private final String userAgent;
    private final Duration timeout;

    public WebhookSender(String version) {
        this(version, TIMEOUT);
    }

    WebhookSender(String version, Duration timeout) {
        this.userAgent = "Appstrate-Webhooks/" + version;
        this.timeout = timeout;
    }

    Response post(URI url, String messageId, long timestampSeconds, byte[] body, List<String> secrets, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", userAgent)
                .header("webhook-id", messageId)
                .header("webhook-timestamp", Long.toString(timestampSeconds))
                .header("webhook-signature", signatures(secrets, messageId, timestampSeconds, body))
                .header("webhook-attempt", Integer.toString(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long t0 = System.nanoTime();
        // the request's own timeout ends once the headers are in; the deadline below also bounds the body
        CompletableFuture<HttpResponse<Void>> answer = dev.appstrate.server.http.OutboundHttp.client()
                .sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            HttpResponse<Void> r = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Response(r.statusCode(), r.headers().firstValue("retry-after").orElse(null), millisSince(t0), null);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new Response(null, null, millisSince(t0), "No response within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                return new Response(null, null, millisSince(t0), "Connection timed out after " + timeout.toSeconds() + " s");
            }
            if (cause instanceof HttpTimeoutException) {
                return new Response(null, null, millisSince(t0), "No response within " + timeout.toSeconds() + " s");
            }
            return new Response(null, null, millisSince(t0), describe(url, cause));
        } catch (InterruptedException e) {
            answer.cancel(true);
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

    /**
     * A transport error as a person fixing the receiver reads it: the JDK's ConnectException has no message, so this
     * said "Request failed: java.net.ConnectException" (a class name, and nothing about what to do).
     */
    static String describe(URI url, Throwable e) {
        String where = url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "Connection refused by " + where + ": is the receiver running and listening there?";
            }
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return "Unknown host " + url.getHost() + ": check the webhook's URL";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS with " + where + " failed" + (t.getMessage() == null ? "" : ": " + t.getMessage());
            }
        }
        String m = e.getMessage();
        if (m == null && e.getCause() != null) {
            m = e.getCause().getMessage() == null ? e.getCause().getClass().getSimpleName() : e.getCause().getMessage();
        }
        return "Request to " + where + " failed: " + (m == null ? e.getClass().getSimpleName() : m);
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
