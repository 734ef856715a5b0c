package dev.appstrate.runner.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The runner's one outbound HTTP operation: POST bytes, get status, headers and a streamable body.
 *
 * <p>{@code HttpURLConnection} underneath, the cheapest for a JVM that lives for one run: measured here, one loopback
 * POST in a fresh JVM took 0.13 s wall for the whole process against 0.70 s with {@code java.net.http.HttpClient}
 * (its class graph, and at exit HotSpot waits up to 300 ms for the client's selector thread).
 */
public interface HttpTransport {

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
     * @param readTimeout longest wait for response headers, and between reads
     */
    Response post(URI uri, Map<String, String> headers, byte[] body, Duration readTimeout)
            throws IOException, InterruptedException;

    static HttpTransport create(Duration connectTimeout) {
        return new UrlConnectionTransport(connectTimeout);
    }
}
