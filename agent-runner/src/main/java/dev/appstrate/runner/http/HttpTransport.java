package dev.appstrate.runner.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The runner's one outbound HTTP operation: POST bytes, get status, headers and a streamable body.
 *
 * <p>Two JDK-only implementations. {@link #URL_CONNECTION} ({@code HttpURLConnection}) is the default
 * because it is the cheapest for a JVM that lives for one run: measured here, one loopback POST in a
 * fresh JVM took 0.13 s wall for the whole process against 0.70 s with {@code java.net.http.HttpClient}
 * (its class graph, and at exit HotSpot waits up to 300 ms for the client's selector thread, which sits
 * in native {@code epoll_wait}). {@link #JDK_HTTP_CLIENT} stays available with
 * {@code AGENT_RUNNER_HTTP_CLIENT=jdk-httpclient}.
 */
public interface HttpTransport {

    String URL_CONNECTION = "urlconnection";
    String JDK_HTTP_CLIENT = "jdk-httpclient";

    /** A received response; closing it releases (or pools) the connection. */
    interface Response extends Closeable {
        int status();

        /** First value of a response header, case-insensitive. */
        Optional<String> header(String name);

        /** The body: the error body for non-2xx statuses, possibly empty, never null. */
        InputStream body();
    }

    /**
     * POSTs {@code body}. Throws {@link IOException} when no response arrives (refused, timed out, reset).
     *
     * @param readTimeout longest wait for response headers (and, for {@link #URL_CONNECTION}, between reads)
     */
    Response post(URI uri, Map<String, String> headers, byte[] body, Duration readTimeout)
            throws IOException, InterruptedException;

    /** {@code urlconnection} (default, also for null/blank) or {@code jdk-httpclient}; anything else is empty. */
    static Optional<HttpTransport> named(String name, Duration connectTimeout) {
        String n = name == null || name.isBlank() ? URL_CONNECTION : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case URL_CONNECTION:
                return Optional.of(new UrlConnectionTransport(connectTimeout));
            case JDK_HTTP_CLIENT:
                return Optional.of(new JdkHttpClientTransport(connectTimeout));
            default:
                return Optional.empty();
        }
    }
}
