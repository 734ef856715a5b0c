package dev.appstrate.runner.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@link HttpTransport} over {@code java.net.http.HttpClient} (HTTP/1.1, TLS set up lazily). */
final class JdkHttpClientTransport implements HttpTransport {
    private final HttpClient client;

    JdkHttpClientTransport(Duration connectTimeout) {
        this.client = LazyDefaultSslContext.httpClientBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout).build();
    }

    @Override
    public Response post(URI uri, Map<String, String> headers, byte[] body, Duration readTimeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(readTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(rb::header);
        HttpResponse<InputStream> resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        return new Response() {
            @Override
            public int status() {
                return resp.statusCode();
            }

            @Override
            public Optional<String> header(String name) {
                return resp.headers().firstValue(name);
            }

            @Override
            public InputStream body() {
                return resp.body();
            }

            @Override
            public void close() throws IOException {
                resp.body().close();
            }
        };
    }
}
