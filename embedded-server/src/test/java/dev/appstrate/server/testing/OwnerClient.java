package dev.appstrate.server.testing;

import java.net.http.HttpResponse;

/**
 * A running server reached over HTTP with the owner credential and the default application: the in-process
 * {@link TestServer}, or a server in its own process (the benchmarks' {@code ServerProcess}). Fixtures that only
 * call the API ({@link RunFixtures}) take this, so they work on both.
 */
public interface OwnerClient {
    String url();

    String defaultAppId();

    /** Sends with the owner credential and the default application unless headers override (a null value removes). */
    HttpResponse<String> send(String method, String path, String body, String... headers);

    default HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    default HttpResponse<String> post(String path, String json) {
        return send("POST", path, json);
    }
}
