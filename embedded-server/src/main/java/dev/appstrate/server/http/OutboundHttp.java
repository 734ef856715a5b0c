package dev.appstrate.server.http;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The server's one client for outbound HTTP (model providers, integrations, webhooks): HTTP/1.1,
 * no redirects followed (callers re-check every hop), 10 s to connect. Built on first use, since
 * building it loads TLS support, which would cost a visible part of boot.
 */
public final class OutboundHttp {
    private OutboundHttp() {
    }

    private static final class Holder {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public static HttpClient client() {
        return Holder.CLIENT;
    }
}
