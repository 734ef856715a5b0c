package dev.appstrate.runner.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@link HttpTransport} over {@code HttpURLConnection}: blocking, no extra threads, JDK keep-alive pool. */
final class UrlConnectionTransport implements HttpTransport {
    private final int connectTimeoutMs;

    UrlConnectionTransport(Duration connectTimeout) {
        this.connectTimeoutMs = (int) connectTimeout.toMillis();
    }

    @Override
    public Response post(URI uri, Map<String, String> headers, byte[] body, Duration readTimeout) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod("POST");
        c.setConnectTimeout(connectTimeoutMs);
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setDoOutput(true);
        headers.forEach(c::setRequestProperty);
        // no fixed-length streaming mode: with it a 401 loses its body (HttpRetryException), and a
        // provider's "Incorrect API key" message is what the user needs to see
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        InputStream stream = in != null ? in : new ByteArrayInputStream(new byte[0]);
        return new Response() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(c.getHeaderField(name));
            }

            @Override
            public InputStream body() {
                return stream;
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }
}
