package dev.appstrate.server.runs;

import dev.appstrate.server.http.OutboundHttp;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.models.ResolvedModel;
import dev.appstrate.server.logging.RedactingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

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
        ActiveRun run = runs.runForLlmToken(req.pathParam("runId"), token)
                .orElseThrow(() -> ApiException.unauthorized("Invalid run LLM token"));
        ResolvedModel model = run.model;
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
        // the run's end aborts the call: before the answer the exchange is cancelled, during it the body is closed
        CompletableFuture<HttpResponse<InputStream>> pending = OutboundHttp.client().sendAsync(b.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        AtomicReference<InputStream> body = new AtomicReference<>();
        ModelCalls.Tracked call = run.modelCalls.track(() -> {
            pending.cancel(true);
            closeQuietly(body.get());
        });
        HttpResponse<InputStream> upstream;
        try {
            upstream = pending.get();
        } catch (CancellationException e) {
            call.close();
            throw runEnded(run);
        } catch (InterruptedException e) {
            call.close();
            pending.cancel(true); // the server is stopping: the provider's connection goes too
            throw e;
        } catch (ExecutionException e) {
            call.close();
            if (run.modelCalls.ended()) {
                throw runEnded(run);
            }
            String host = URI.create(url).getHost();
            IOException io = e.getCause() instanceof IOException x ? x : new IOException(e.getCause());
            throw new ApiException(502, "bad_gateway", "Bad Gateway", "The model provider at " + host
                    + (target.getPort() > 0 ? ":" + target.getPort() : "") + " is unreachable (" + OutboundHttp.whyUnreachable(io) + ")");
        }
        body.set(upstream.body());
        if (run.modelCalls.ended()) {
            // ended between the answer and the line above: its abort found no body to close
            call.close();
            closeQuietly(upstream.body());
            throw runEnded(run);
        }
        ApiResponse out = ApiResponse.stream(upstream.statusCode(), upstream.headers().firstValue("content-type")
                .orElse("application/json"), os -> {
                    // a provider that echoes the key (some error bodies do) must not hand it to the agent
                    try (call; InputStream in = upstream.body()) {
                        RedactingOutputStream.relay(in, os, model.apiKey() == null ? List.of() : List.of(model.apiKey()));
                    }
                });
        upstream.headers().firstValue("retry-after").ifPresent(v -> out.header("Retry-After", v));
        return out;
    }

    private static ApiException runEnded(ActiveRun run) {
        return ApiException.conflict("run_ended", "Run " + run.runId + " has ended; its model call was aborted");
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the call is being aborted: a failed close changes nothing
            }
        }
    }

    private static String bearer(ApiRequest req) {
        String token = req.bearerToken();
        return token != null ? token : req.header("x-api-key");
    }
}
