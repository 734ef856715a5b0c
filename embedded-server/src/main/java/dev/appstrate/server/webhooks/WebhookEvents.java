package dev.appstrate.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the run pipeline reports run status changes: {@code started} and every terminal status become a
 * {@code run.<status>} event queued durably for each matching webhook (enabled; org-level or of the run's
 * application; subscribed to the event; for any agent or this one). Returns at once; delivery is asynchronous.
 * Call it after the status change is committed, not from inside a {@code Database.write} (it writes itself).
 */
public final class WebhookEvents {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookEvents.class);
    public static final Set<String> RUN_STATUSES = Set.of("started", "success", "failed", "timeout", "cancelled");
    /** Every event type a webhook can subscribe to, as in the original. */
    public static final List<String> EVENT_TYPES = List.of("run.started", "run.success", "run.failed", "run.timeout",
            "run.cancelled", "run.connection_missing");

    private final WebhookRepository store;
    private final DeliveryWorker worker;
    private final Clock clock;

    public WebhookEvents(WebhookRepository store, DeliveryWorker worker, Clock clock) {
        this.store = store;
        this.worker = worker;
        this.clock = clock;
    }

    /**
     * A run changed status.
     *
     * @param status one of {@link #RUN_STATUSES}; other statuses (pending, running) send nothing
     * @param run    the run as the API shows it ({@code id}, {@code packageId}, {@code status}, and on terminal
     *               statuses {@code error} / {@code result} / {@code duration}); {@code object:"run"} is added
     * @return the event id, or null when no webhook wanted it
     */
    public String runStatusChanged(String orgId, String applicationId, String packageId, String status, JsonNode run) {
        if (!RUN_STATUSES.contains(status)) {
            return null;
        }
        ObjectNode object = run.deepCopy();
        object.put("object", "run");
        return publish(orgId, applicationId, packageId, "run." + status, object);
    }

    /** Queues any event type of {@link #EVENT_TYPES} (e.g. {@code run.connection_missing} with a {@code run_attempt}). */
    public String publish(String orgId, String applicationId, String packageId, String eventType, JsonNode object) {
        if (!EVENT_TYPES.contains(eventType)) {
            throw new IllegalArgumentException("unknown webhook event type " + eventType);
        }
        List<Webhook> hooks = store.subscribers(orgId, applicationId, packageId, eventType);
        if (hooks.isEmpty()) {
            return null;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String eventId = Ids.prefixed("evt");
        store.insertDeliveries(hooks.stream().map(w -> new Delivery(Ids.uuid(), w.id(), eventId, eventType,
                EventEnvelope.build(eventId, eventType, now, object, w.payloadMode()), Delivery.PENDING, 0,
                RetryPolicy.MAX_ATTEMPTS, now, null, null, null, now, now)).toList());
        LOG.debug("Webhook event queued eventId={} type={} webhooks={}", eventId, eventType, hooks.size());
        worker.queued();
        return eventId;
    }
}
