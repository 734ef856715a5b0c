package dev.appstrate.server.runs;

import dev.appstrate.server.http.OutboundHttp;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.models.ResolvedModel;
import dev.appstrate.server.logging.RedactingOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The per-run LLM endpoint inside the server: the runner calls it with a per-run placeholder key,
 * the sidecar swaps in the real provider key and streams the provider's answer back, the key masked
 * if the provider echoes it. The runner never holds the real credential.
 */
public final class LlmSidecar {
    private static final Set<String> FORWARDED = Set.of("content-type", "anthropic-version", "anthropic-beta", "accept");
    private final InFlightRuns runs;

    public LlmSidecar(InFlightRuns runs) {
        this.runs = runs;
    }

    /** Any path under the per-run route is the provider's, as the original's sidecar forwards it (chat, messages, responses, models). */
    public void register(Router r) {
        String doc = "LLM sidecar for a run: any provider path under /v1 (chat/completions, messages, responses, …); placeholder key only";
        r.post(PREFIX + "{endpoint}", this::forward).publicRoute().doc("Runner", doc);
        r.post(PREFIX + "{group}/{endpoint}", this::forward).publicRoute().doc("Runner", doc);
        r.get(PREFIX + "{endpoint}", this::forward).publicRoute().doc("Runner", doc);
    }

    static final String PREFIX = "/internal/llm/{runId}/v1/";

    private ApiResponse forward(ApiRequest req) throws Exception {
        String token = bearer(req);
        ResolvedModel model = runs.modelForToken(req.pathParam("runId"), token)
                .orElseThrow(() -> ApiException.unauthorized("Invalid run LLM token"));
        boolean anthropic = "anthropic-messages".equals(model.apiShape());
        String base = model.baseUrl().endsWith("/") ? model.baseUrl().substring(0, model.baseUrl().length() - 1) : model.baseUrl();
        String v1 = "/internal/llm/" + req.pathParam("runId") + "/v1/";
        String rest = req.path().substring(v1.length()) + (req.rawQuery() == null ? "" : "?" + req.rawQuery());
        // an OpenAI-style base URL already ends at the version (…/v1); Anthropic's is the bare host
        String url = (anthropic && !base.endsWith("/v1") ? base + "/v1" : base) + "/" + rest;
        URI target = OutboundHttp.onHost(URI.create(url));
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(10))
                .method(req.method(), "GET".equals(req.method()) ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(req.body()));
        for (String h : FORWARDED) {
            String v = req.header(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        if (model.apiKey() != null && !model.apiKey().isEmpty()) {
            if (anthropic) {
                b.header("x-api-key", model.apiKey());
            } else {
                b.header("Authorization", "Bearer " + model.apiKey());
            }
        }
        HttpResponse<InputStream> upstream;
        try {
            upstream = OutboundHttp.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.io.IOException e) {
            String host = URI.create(url).getHost();
            throw new ApiException(502, "bad_gateway", "Bad Gateway", "The model provider at " + host
                    + (target.getPort() > 0 ? ":" + target.getPort() : "") + " is unreachable (" + OutboundHttp.whyUnreachable(e) + ")");
        }
        ApiResponse out = ApiResponse.stream(upstream.statusCode(), upstream.headers().firstValue("content-type")
                .orElse("application/json"), os -> {
                    // a provider that echoes the key (some error bodies do) must not hand it to the agent
                    RedactingOutputStream.relay(upstream.body(), os, model.apiKey() == null ? List.of() : List.of(model.apiKey()));
                });
        upstream.headers().firstValue("retry-after").ifPresent(v -> out.header("Retry-After", v));
        return out;
    }

    private static String bearer(ApiRequest req) {
        String token = req.bearerToken();
        return token != null ? token : req.header("x-api-key");
    }
}
