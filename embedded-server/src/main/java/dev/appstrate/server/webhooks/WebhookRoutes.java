package dev.appstrate.server.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import java.time.Clock;
import java.util.List;

/** The original's {@code /api/webhooks} routes and rate limits, plus delivery detail and redelivery. */
public final class WebhookRoutes {
    private static final String TAG = "Webhooks";

    private final Webhooks webhooks;
    private final Clock clock;

    public WebhookRoutes(Webhooks webhooks, Clock clock) {
        this.webhooks = webhooks;
        this.clock = clock;
    }

    public void register(Router router) {
        router.post("/api/webhooks", this::create).appScoped().rateLimit(10).idempotencyKey().permission("webhooks:write")
                .doc(TAG, "Create a webhook (the secret is returned once)");
        router.get("/api/webhooks", this::list).appScoped().rateLimit(300).permission("webhooks:read").doc(TAG, "List webhooks");
        router.get("/api/webhooks/{id}", this::get)
                .appScoped().rateLimit(300).permission("webhooks:read").doc(TAG, "Get a webhook");
        router.put("/api/webhooks/{id}", this::update)
                .appScoped().rateLimit(10).permission("webhooks:write").doc(TAG, "Update a webhook");
        router.delete("/api/webhooks/{id}", this::delete)
                .appScoped().rateLimit(10).permission("webhooks:delete").doc(TAG, "Delete a webhook and its deliveries");
        router.post("/api/webhooks/{id}/test", this::test)
                .appScoped().rateLimit(5).permission("webhooks:write").doc(TAG, "Send a signed test.ping now");
        router.post("/api/webhooks/{id}/rotate", this::rotate).appScoped().rateLimit(5).permission("webhooks:write")
                .doc(TAG, "Rotate the secret; both sign deliveries during the window");
        router.get("/api/webhooks/{id}/deliveries", this::deliveries)
                .appScoped().rateLimit(300).permission("webhooks:read").doc(TAG, "Recent deliveries");
        router.get("/api/webhooks/{id}/deliveries/{deliveryId}", this::delivery)
                .appScoped().rateLimit(300).permission("webhooks:read")
                .doc(TAG, "A delivery with its payload and attempts");
        router.post("/api/webhooks/{id}/deliveries/{deliveryId}/redeliver", this::redeliver)
                .appScoped().rateLimit(10).permission("webhooks:write")
                .extension("webhook_redelivery").doc(TAG, "Send a delivery's event again");
    }

    private static Webhooks.Caller caller(ApiRequest req) {
        AuthContext auth = req.auth();
        if (auth.endUserId() != null) {
            // webhooks are the integrator's: a delivery carries any end-user's run, and a hook made as A would get B's
            throw ApiException.invalidRequest("Appstrate-User is not supported on webhooks: they belong to the application, "
                    + "not to an end-user", "Appstrate-User").codeOverride("header_not_allowed");
        }
        return new Webhooks.Caller(auth.orgId(), req.applicationId(), auth.kind() == AuthContext.Kind.API_KEY);
    }

    private ApiResponse create(ApiRequest req) {
        Webhooks.Created c = webhooks.create(caller(req), req.body(Webhooks.CreateBody.class));
        ObjectNode n = WebhookJson.webhook(c.webhook(), clock.instant());
        n.put("secret", c.secret());
        return ApiResponse.created(n);
    }

    private ApiResponse list(ApiRequest req) {
        boolean all = req.queryParam("all").map("true"::equals).orElse(false);
        List<Webhook> hooks = webhooks.list(caller(req), req.queryParam("applicationId").orElse(null), all);
        ObjectNode n = Json.object();
        n.put("object", "list");
        var data = n.putArray("data");
        hooks.forEach(w -> data.add(WebhookJson.webhook(w, clock.instant())));
        n.put("hasMore", false);
        return ApiResponse.ok(n);
    }

    private ApiResponse get(ApiRequest req) {
        return ApiResponse.ok(WebhookJson.webhook(webhooks.get(caller(req), req.pathParam("id")), clock.instant()));
    }

    private ApiResponse update(ApiRequest req) {
        Webhook w = webhooks.update(caller(req), req.pathParam("id"), req.body(Webhooks.UpdateBody.class));
        return ApiResponse.ok(WebhookJson.webhook(w, clock.instant()));
    }

    private ApiResponse delete(ApiRequest req) {
        webhooks.delete(caller(req), req.pathParam("id"));
        return ApiResponse.noContent();
    }

    private ApiResponse test(ApiRequest req) {
        Delivery d = webhooks.test(caller(req), req.pathParam("id"));
        ObjectNode n = Json.object();
        n.put("eventId", d.eventId());
        n.set("payload", WebhookJson.deliveryDetail(d, List.of()).get("payload"));
        n.set("delivery", WebhookJson.delivery(d));
        return ApiResponse.ok(n);
    }

    private ApiResponse rotate(ApiRequest req) {
        var body = req.body().length == 0 ? null : req.body(Webhooks.RotateBody.class);
        return ApiResponse.ok(webhooks.rotate(caller(req), req.pathParam("id"), body));
    }

    private ApiResponse deliveries(ApiRequest req) {
        int limit = dev.appstrate.server.http.ListEnvelope.limit(req, 20, 100);
        List<Delivery> list = webhooks.deliveries(caller(req), req.pathParam("id"), limit + 1);
        ObjectNode n = Json.object();
        n.put("object", "list");
        var data = n.putArray("data");
        list.stream().limit(limit).forEach(d -> data.add(WebhookJson.delivery(d)));
        n.put("hasMore", list.size() > limit);
        return ApiResponse.ok(n);
    }

    private ApiResponse delivery(ApiRequest req) {
        Delivery d = webhooks.delivery(caller(req), req.pathParam("id"), req.pathParam("deliveryId"));
        return ApiResponse.ok(WebhookJson.deliveryDetail(d, webhooks.attempts(d.id())));
    }

    private ApiResponse redeliver(ApiRequest req) {
        Delivery d = webhooks.redeliver(caller(req), req.pathParam("id"), req.pathParam("deliveryId"));
        return ApiResponse.json(202, WebhookJson.delivery(d));
    }

}
