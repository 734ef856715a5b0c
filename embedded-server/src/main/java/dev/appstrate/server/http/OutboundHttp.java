package dev.appstrate.server.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The server's one client for outbound HTTP (model providers, integrations, webhooks): HTTP/1.1,
 * no redirects followed (callers re-check every hop), 10 s to connect. Built on first use, since
 * building it loads TLS support, which would cost a visible part of boot. Its completions (a {@code sendAsync}'s
 * future, the body handlers, the exchange's own async steps) run on the named {@code outbound-http} pool, one per JVM
 * like the client (its idle threads outlive a server's stop by up to 60 s): cached, as the
 * JDK's own default executor is, since a bounded pool could hold a completion behind a blocked one. The JDK still
 * starts the client's one selector thread ({@code HttpClient-N-SelectorManager}) itself; no API names it.
 */
public final class OutboundHttp {
    private OutboundHttp() {
    }

    private static final class Holder {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(dev.appstrate.server.concurrent.NamedExecutors.cached("outbound-http"))
                .build();
    }

    public static HttpClient client() {
        return Holder.CLIENT;
    }

    /** Why a host could not be reached, in words and without the exception's text (it may carry the URL). */
    public static String whyUnreachable(java.io.IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "connection timed out";
            }
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException) {
                return "no answer in time";
            }
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return "unknown host";
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The name containers give the host; users of the original put it in model URLs for runs in containers. */
    public static final String DOCKER_HOST_NAME = "host.docker.internal";

    /** The address a host name means when this server, on the host, makes the call: the Docker host name is loopback here. */
    public static String hostAddress(String host) {
        return host != null && DOCKER_HOST_NAME.equalsIgnoreCase(host.endsWith(".") ? host.substring(0, host.length() - 1) : host)
                ? "127.0.0.1" : host;
    }

    /** The URL with {@link #DOCKER_HOST_NAME} replaced by loopback; any other URL unchanged. */
    public static URI onHost(URI uri) {
        String host = uri.getHost();
        if (host == null || hostAddress(host).equals(host)) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), uri.getUserInfo(), hostAddress(host), uri.getPort(),
                    uri.getPath(), uri.getQuery(), uri.getFragment());
        } catch (java.net.URISyntaxException e) {
            return uri;
        }
    }
}
