package dev.appstrate.server.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.OutboundHttp;
import dev.appstrate.server.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Asks a provider for its model list ({@code GET <baseUrl>/models}): does it answer, how fast, and with which models. */
public final class ProviderProbe {
    /** What one probe found; {@code error} is a sentence without the key. */
    public record Result(boolean ok, int status, long latencyMs, String error, List<String> modelIds) {
    }

    private ProviderProbe() {
    }

    public static Result probe(String providerId, String baseUrl, String key) {
        boolean anthropic = "anthropic".equals(providerId);
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        String url = anthropic ? (base.endsWith("/v1") ? base : base + "/v1") + "/models" : base + "/models";
        URI uri = URI.create(url);
        String where = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (key != null && !key.isEmpty()) {
            if (anthropic) {
                b.header("x-api-key", key).header("anthropic-version", "2023-06-01");
            } else {
                b.header("Authorization", "Bearer " + key);
            }
        }
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = OutboundHttp.client().send(b.build(), HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (r.statusCode() / 100 != 2) {
                String why = r.statusCode() == 401 || r.statusCode() == 403 ? " (the API key was refused)" : "";
                return new Result(false, r.statusCode(), ms, "The provider at " + where + " answered HTTP " + r.statusCode() + why,
                        List.of());
            }
            List<String> ids = new ArrayList<>();
            try {
                JsonNode body = Json.MAPPER.readTree(r.body());
                body.path("data").forEach(m -> ids.add(m.path("id").asText()));
                body.path("models").forEach(m -> ids.add(m.path("name").asText(m.path("id").asText())));
            } catch (IOException notJson) {
                return new Result(false, r.statusCode(), ms, "The provider at " + where + " did not answer with a model list", List.of());
            }
            ids.removeIf(String::isBlank);
            return new Result(true, r.statusCode(), ms, null, List.copyOf(ids));
        } catch (IOException e) {
            return new Result(false, 0, (System.nanoTime() - t0) / 1_000_000,
                    "The provider at " + where + " is unreachable (" + OutboundHttp.whyUnreachable(e) + ")", List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, 0, 0, "The test was interrupted", List.of());
        }
    }
}
