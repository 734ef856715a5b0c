package dev.appstrate.server.inline;

import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;

/** The original's {@code POST /api/runs/inline} and {@code POST /api/runs/inline/validate}, sharing one rate-limit bucket. */
public final class InlineRunRoutes {
    private static final String BUCKET = "inline-runs";
    private final InlineRunService inline;
    private final int ratePerMinute;

    public InlineRunRoutes(InlineRunService inline, int ratePerMinute) {
        this.inline = inline;
        this.ratePerMinute = ratePerMinute;
    }

    public void register(Router r) {
        r.post("/api/runs/inline", this::run)
                .appScoped().rateLimit(ratePerMinute, BUCKET).idempotencyKey().permission("agents:run")
                .doc("Runs", "Run a manifest and prompt without installing a package (201 with the run)");
        r.post("/api/runs/inline/validate", this::validate).appScoped().rateLimit(ratePerMinute, BUCKET).permission("agents:run")
                .doc("Runs", "Validate an inline manifest, prompt and input without running (200 {valid: true})");
    }

    private ApiResponse run(ApiRequest req) {
        InlineRunRequest body = InlineRunRequest.parse(req.body(InlineRunRequest.Body.class));
        return ApiResponse.created(inline.json(inline.start(body, req.auth(), req.applicationId())));
    }

    private ApiResponse validate(ApiRequest req) {
        inline.validate(InlineRunRequest.parse(req.body(InlineRunRequest.Body.class)), req.auth(), req.applicationId());
        return ApiResponse.ok(Json.object().put("valid", true));
    }
}
