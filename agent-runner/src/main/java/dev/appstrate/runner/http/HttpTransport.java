package dev.appstrate.runner.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
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

    /** What a POST sends: bytes already in memory, or a file streamed from disk as it is read. */
    sealed interface Body {
        /** Bytes in memory. */
        record Bytes(byte[] bytes) implements Body {
        }

        /**
         * A file's content, sent with its length up front and never held in memory whole, after the server's 100 Continue:
         * a server that refuses it from the headers answers with its final status before any byte of it is sent; one that
         * never answers the expectation (a foreign proxy) gets the body after 5 s. The whole answer is bounded by the read timeout.
         */
        record File(Path path) implements Body {
        }

        static Body of(byte[] bytes) {
            return new Bytes(bytes);
        }

        static Body of(Path file) {
            return new File(file);
        }
    }

    /**
     * POSTs {@code body}. Throws {@link IOException} when no response arrives (refused, timed out, reset), and when a
     * file body changes size while it is sent.
     *
     * @param readTimeout longest wait for response headers, and between reads
     */
    Response post(URI uri, Map<String, String> headers, Body body, Duration readTimeout)
            throws IOException, InterruptedException;

    /** POSTs bytes already in memory. */
    default Response post(URI uri, Map<String, String> headers, byte[] body, Duration readTimeout)
            throws IOException, InterruptedException {
        return post(uri, headers, Body.of(body), readTimeout);
    }

    static HttpTransport create(Duration connectTimeout) {
        return new UrlConnectionTransport(connectTimeout);
    }
}
