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
    /**
     * What one probe found, as the original's TestResult: {@code error} a code (unreachable, auth_failed, provider_error,
     * model_not_found), {@code message} one sentence without the key.
     */
    public record Result(boolean ok, int status, long latencyMs, String error, String message, List<String> modelIds) {
        static Result failed(int status, long ms, String error, String message) {
            return new Result(false, status, ms, error, message, List.of());
        }
    }

    private ProviderProbe() {
    }

    /** With a {@code modelId}, the provider must also list that model (when it lists any). */
    public static Result probe(String providerId, String baseUrl, String key, String modelId) {
        boolean anthropic = "anthropic".equals(providerId);
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        String url = anthropic ? (base.endsWith("/v1") ? base : base + "/v1") + "/models" : base + "/models";
        URI uri = URI.create(url);
        String where = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        HttpRequest.Builder b = HttpRequest.newBuilder(OutboundHttp.onHost(uri)).timeout(Duration.ofSeconds(10)).GET();
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
                return Result.failed(r.statusCode(), ms, why.isEmpty() ? "provider_error" : "auth_failed",
                        "The provider at " + where + " answered HTTP " + r.statusCode() + why);
            }
            List<String> ids = new ArrayList<>();
            try {
                JsonNode body = Json.MAPPER.readTree(r.body());
                body.path("data").forEach(m -> ids.add(m.path("id").asText()));
                body.path("models").forEach(m -> ids.add(m.path("name").asText(m.path("id").asText())));
            } catch (IOException notJson) {
                // a provider without a JSON model list still answered: the credential works
            }
            ids.removeIf(String::isBlank);
            if (modelId != null && !ids.isEmpty() && !ids.contains(modelId)) {
                return new Result(false, r.statusCode(), ms, "model_not_found",
                        "The provider at " + where + " does not list the model '" + modelId + "'", List.copyOf(ids));
            }
            return new Result(true, r.statusCode(), ms, null, null, List.copyOf(ids));
        } catch (IOException e) {
            return Result.failed(0, (System.nanoTime() - t0) / 1_000_000, "unreachable",
                    "The provider at " + where + " is unreachable (" + OutboundHttp.whyUnreachable(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(0, 0, "unreachable", "The test was interrupted");
        }
    }
}
