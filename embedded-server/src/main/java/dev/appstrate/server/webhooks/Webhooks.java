package dev.appstrate.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.egress.EgressGuard;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Ids;
import dev.appstrate.server.tenancy.Tenancy;
import dev.appstrate.server.store.Times;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The webhooks API's operations (bodies as the original's JSON, validated here): create with a secret shown
 * once, list, update, delete, rotate, a real signed test ping, deliveries and redelivery.
 */
public final class Webhooks {
    static final int MAX_PER_SCOPE = 20;
    static final Duration DEFAULT_ROTATION_WINDOW = Duration.ofDays(7);
    static final Duration MAX_ROTATION_WINDOW = Duration.ofDays(30);
    private static final Set<String> PAYLOAD_MODES = Set.of("full", "summary");
    private static final Pattern PACKAGE_ID = Pattern.compile("^@[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*$");

    /** Who is asking: API keys only see and manage webhooks of their own application. */
    public record Caller(String orgId, String applicationId, boolean apiKey) {
    }

    /** The bodies as the original's JSON: trees, so each value is checked below with the original's texts. */
    record CreateBody(JsonNode level, JsonNode applicationId, JsonNode url, JsonNode events, JsonNode packageId,
                      JsonNode payloadMode, JsonNode enabled) {
    }

    /** level, applicationId and secret are here only to be refused as immutable rather than as unknown. */
    record UpdateBody(JsonNode url, JsonNode events, JsonNode packageId, JsonNode payloadMode, JsonNode enabled,
                      JsonNode level, JsonNode applicationId, JsonNode secret) {
    }

    record RotateBody(JsonNode windowSeconds) {
    }

    /** A webhook just created, with its secret (the only time it is shown). */
    record Created(Webhook webhook, String secret) {
    }

    private final WebhookRepository store;
    private final Tenancy tenancy;
    private final DeliveryWorker worker;
    private final EgressGuard egress;
    private final Clock clock;

    public Webhooks(WebhookRepository store, Tenancy tenancy, DeliveryWorker worker, EgressGuard egress,
                    Clock clock) {
        this.store = store;
        this.tenancy = tenancy;
        this.worker = worker;
        this.egress = egress;
        this.clock = clock;
    }

    Created create(Caller caller, CreateBody body) {
        String level = body.level() != null ? enumValue(body.level(), "level", Set.of("org", "application")) : "application";
        String applicationId = null;
        if (level.equals("org")) {
            if (caller.apiKey()) {
                throw ApiException.forbidden("API keys cannot create org-level webhooks");
            }
            if (given(body.applicationId())) {
                throw ApiException.validation("applicationId", "invalid_field", "Org-level webhooks have no applicationId");
            }
        } else {
            applicationId = given(body.applicationId()) ? string(body.applicationId(), "applicationId")
                    : caller.applicationId();
            if (applicationId == null) {
                throw ApiException.validation("applicationId", "required", "applicationId is required for level 'application'");
            }
            if (caller.apiKey() && !applicationId.equals(caller.applicationId())) {
                throw ApiException.forbidden("API key scope does not include this application");
            }
            if (!tenancy.applicationInOrganization(applicationId, caller.orgId())) {
                throw ApiException.notFound("Application '" + applicationId + "' not found");
            }
        }
        String url = url(body.url());
        List<String> events = events(body.events());
        String packageId = packageId(body.packageId());
        String payloadMode = body.payloadMode() != null ? enumValue(body.payloadMode(), "payloadMode", PAYLOAD_MODES)
                : "full";
        boolean enabled = body.enabled() == null || bool(body.enabled(), "enabled");
        Instant now = now();
        String secret = WebhookSecret.generate();
        Webhook w = new Webhook(Ids.prefixed("wh"), level, caller.orgId(), applicationId, url, events, packageId,
                payloadMode, enabled, secret, null, null, now, now);
        if (!store.insertUnderCap(w, MAX_PER_SCOPE)) {
            throw new ApiException(400, "webhook_limit_reached", "Bad Request",
                    "At most " + MAX_PER_SCOPE + " webhooks per " + (applicationId == null ? "organization" : "application"));
        }
        return new Created(w, secret);
    }

    List<Webhook> list(Caller caller, String applicationIdParam, boolean all) {
        if (caller.apiKey()) {
            if (all || (applicationIdParam != null && !applicationIdParam.equals(caller.applicationId()))) {
                throw ApiException.forbidden("API key scope does not include this application");
            }
            return store.list(caller.orgId(), caller.applicationId(), false);
        }
        if (all) {
            return store.list(caller.orgId(), null, true);
        }
        String app = applicationIdParam != null ? applicationIdParam : caller.applicationId();
        return app == null ? store.list(caller.orgId(), "", true) : store.list(caller.orgId(), app, true);
    }

    Webhook get(Caller caller, String id) {
        Webhook w = store.find(id).orElseThrow(() -> notFound(id));
        // an application's webhook belongs to that application's context only, whoever asks
        boolean visible = w.orgId().equals(caller.orgId()) && (w.applicationId() == null
                ? !caller.apiKey() : caller.applicationId() == null || caller.applicationId().equals(w.applicationId()));
        if (!visible) {
            throw notFound(id);
        }
        return w;
    }

    Webhook update(Caller caller, String id, UpdateBody body) {
        Webhook w = get(caller, id);
        if (body.level() != null || body.secret() != null || body.applicationId() != null) {
            throw ApiException.validation(body.level() != null ? "level" : body.secret() != null ? "secret" : "applicationId",
                    "immutable", "level, applicationId and secret cannot be changed (use /rotate for the secret)");
        }
        Webhook updated = new Webhook(w.id(), w.level(), w.orgId(), w.applicationId(),
                body.url() != null ? url(body.url()) : w.url(),
                body.events() != null ? events(body.events()) : w.events(),
                body.packageId() != null ? packageId(body.packageId()) : w.packageId(),
                body.payloadMode() != null ? enumValue(body.payloadMode(), "payloadMode", PAYLOAD_MODES)
                        : w.payloadMode(),
                body.enabled() != null ? bool(body.enabled(), "enabled") : w.enabled(),
                w.secret(), w.secretNext(), w.secretNextExpiresAt(), w.createdAt(), now());
        store.update(updated);
        return updated;
    }

    void delete(Caller caller, String id) {
        get(caller, id);
        store.delete(id);
    }

    /** Starts a rotation: the new secret signs alongside the current one until the window ends, then alone. */
    ObjectNode rotate(Caller caller, String id, RotateBody body) {
        Webhook w = get(caller, id);
        Duration window = DEFAULT_ROTATION_WINDOW;
        if (body != null) {
            if (body.windowSeconds() != null) {
                JsonNode v = body.windowSeconds();
                if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > MAX_ROTATION_WINDOW.toSeconds()) {
                    throw ApiException.invalidRequest("windowSeconds must be a whole number from 1 to "
                            + MAX_ROTATION_WINDOW.toSeconds() + " (30 days)", "windowSeconds");
                }
                window = Duration.ofSeconds(v.asLong());
            }
        }
        Instant now = now();
        String current = w.rotationExpired(now) ? w.secretNext() : w.secret();
        String next = WebhookSecret.generate();
        Instant ends = now.plus(window);
        store.update(new Webhook(w.id(), w.level(), w.orgId(), w.applicationId(), w.url(), w.events(), w.packageId(),
                w.payloadMode(), w.enabled(), current, next, ends, w.createdAt(), now));
        ObjectNode n = Json.object();
        n.put("secret", next);
        n.put("rotationWindowEndsAt", Times.iso(ends));
        return n;
    }

    /** Sends a signed {@code test.ping} now (one attempt, recorded like any delivery) and returns it. */
    Delivery test(Caller caller, String id) {
        Webhook w = get(caller, id);
        Instant now = now();
        String eventId = Ids.prefixed("evt");
        ObjectNode ping = Json.object();
        ping.put("object", "ping");
        ping.put("webhookId", w.id());
        ping.put("message", "Test event from Appstrate Desktop");
        String body = EventEnvelope.build(eventId, "test.ping", now, ping, "full");
        Delivery d = new Delivery(Ids.uuid(), w.id(), eventId, "test.ping", body, Delivery.PENDING, 0, 1,
                now.plus(DeliveryWorker.LEASE), null, null, null, now, now);
        store.insertDeliveries(List.of(d));
        worker.attempt(d.id());
        return store.delivery(d.id()).orElseThrow();
    }

    List<Delivery> deliveries(Caller caller, String id, int limit) {
        return store.deliveries(get(caller, id).id(), limit);
    }

    Delivery delivery(Caller caller, String id, String deliveryId) {
        Webhook w = get(caller, id);
        Delivery d = store.delivery(deliveryId).orElse(null);
        if (d == null || !d.webhookId().equals(w.id())) {
            throw ApiException.notFound("Delivery '" + deliveryId + "' not found");
        }
        return d;
    }

    List<DeliveryAttempt> attempts(String deliveryId) {
        return store.attempts(deliveryId);
    }

    /** Sends the same event (same id and body, fresh signature) again as a new delivery with its own retries. */
    Delivery redeliver(Caller caller, String id, String deliveryId) {
        Delivery old = delivery(caller, id, deliveryId);
        Instant now = now();
        Delivery d = new Delivery(Ids.uuid(), old.webhookId(), old.eventId(), old.eventType(),
                old.payload(), Delivery.PENDING, 0, old.maxAttempts(), now, null, null, null, now, now);
        store.insertDeliveries(List.of(d));
        worker.queued();
        return store.delivery(d.id()).orElseThrow();
    }

    DeliveryWorker worker() {
        return worker;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("Webhook '" + id + "' not found");
    }

    /** https anywhere public; plain http only to a host the operator listed (a local test receiver). */
    private String url(JsonNode value) {
        String raw = string(value, "url");
        if (raw == null || raw.isBlank() || raw.length() > 2048) {
            throw ApiException.invalidRequest("url is required (at most 2048 characters)", "url");
        }
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw ApiException.invalidRequest("url is not a valid URL", "url");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw ApiException.invalidRequest("url must be an absolute https:// URL", "url");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.invalidRequest("url must not contain credentials", "url");
        }
        if (scheme.equals("http") && !egress.listed(uri.getHost())) {
            throw ApiException.invalidRequest("url must use https (plain http is allowed only for hosts listed in "
                    + "EGRESS_ALLOW_INTERNAL_HOSTS)", "url");
        }
        EgressGuard.Verdict verdict = egress.check(uri);
        if (verdict.outcome() == EgressGuard.Outcome.BLOCKED) {
            throw ApiException.invalidRequest("url is not allowed: " + verdict.reason(), "url");
        }
        return uri.toString();
    }

    private static List<String> events(JsonNode v) {
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw ApiException.invalidRequest("events must be a non-empty array of: "
                    + String.join(", ", WebhookEvents.EVENT_TYPES), "events");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || !WebhookEvents.EVENT_TYPES.contains(e.asText())) {
                throw ApiException.invalidRequest("Unknown event '" + e.asText() + "'; expected one of: "
                        + String.join(", ", WebhookEvents.EVENT_TYPES), "events");
            }
            if (!out.contains(e.asText())) {
                out.add(e.asText());
            }
        }
        return out;
    }

    private static String packageId(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || !PACKAGE_ID.matcher(v.asText()).matches()) {
            throw ApiException.invalidRequest("packageId must be an agent id such as @scope/name, or null", "packageId");
        }
        return v.asText();
    }

    private static String string(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.validation(field, "invalid_type", "Expected a string");
        }
        return v.asText();
    }

    private static boolean given(JsonNode v) {
        return v != null && !v.isNull();
    }

    private static boolean bool(JsonNode v, String field) {
        if (v == null || !v.isBoolean()) {
            throw ApiException.validation(field, "invalid_type", "Expected a boolean");
        }
        return v.asBoolean();
    }

    private static String enumValue(JsonNode value, String field, Set<String> values) {
        String v = string(value, field);
        if (v == null || !values.contains(v)) {
            throw ApiException.invalidRequest(field + " must be one of " + String.join(", ", values.stream().sorted().toList()),
                    field);
        }
        return v;
    }
}
