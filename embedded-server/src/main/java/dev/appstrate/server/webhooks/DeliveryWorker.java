package dev.appstrate.server.webhooks;

import dev.appstrate.server.egress.EgressGuard;
import dev.appstrate.server.timers.Timers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends pending deliveries when they are due. Due times live in {@code webhook_deliveries.next_attempt_at}, so
 * retries survive restarts; one timer is armed for the earliest, and each attempt is recorded before the next
 * is scheduled. A delivery is leased while in flight so that two workers never send it at once.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    /** Longer than one attempt can take (15 s timeout), so an in-flight delivery is never picked up twice. */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** After a pass that could not read the store, try again this much later. */
    static final Duration RETRY_PASS = Duration.ofSeconds(5);

    private final WebhookRepository store;
    private final WebhookSender sender;
    private final EgressGuard egress;
    private final Clock clock;
    private final Timers timers;
    private final Executor sendExecutor;
    private final int concurrency;
    private final AtomicInteger inFlight = new AtomicInteger();
    private Timers.Timer timer;
    private boolean running;
    /** Tells the other instances deliveries were queued here (Redis); nothing on one server. */
    private volatile Runnable peers = () -> { };

    public DeliveryWorker(WebhookRepository store, WebhookSender sender, EgressGuard egress, Clock clock, Timers timers,
                   Executor sendExecutor, int concurrency) {
        this.store = store;
        this.sender = sender;
        this.egress = egress;
        this.clock = clock;
        this.timers = timers;
        this.sendExecutor = sendExecutor;
        this.concurrency = concurrency;
    }

    public synchronized void start() {
        running = true;
        LOG.info("Webhook delivery worker started concurrency={}", concurrency);
        tick();
    }

    /** With several instances: {@code notice} tells the others after each {@link #queued()} here. */
    public void tellPeers(Runnable notice) {
        this.peers = notice;
    }

    /** New deliveries were queued here: send what is due now, re-arm, and tell the other instances. */
    void queued() {
        wake();
        peers.run();
    }

    /** Deliveries changed (an attempt ended here, or another instance queued some): send what is due now and re-arm. */
    public synchronized void wake() {
        if (running) {
            tick();
        }
    }

    synchronized void tick() {
        if (!running) {
            return;
        }
        Instant now = clock.instant();
        try {
            int free = concurrency - inFlight.get();
            if (free > 0) {
                List<Delivery> due = store.leaseDue(now, now.plus(LEASE), free);
                for (Delivery d : due) {
                    inFlight.incrementAndGet();
                    sendExecutor.execute(() -> {
                        try {
                            attempt(d.id());
                        } catch (RuntimeException | Error e) {
                            LOG.error("Webhook delivery attempt crashed deliveryId={}", d.id(), e);
                        } finally {
                            inFlight.decrementAndGet();
                            wake();
                        }
                    });
                }
            }
            arm();
        } catch (RuntimeException | Error e) {
            // the store could not be read: without a timer nothing would be sent until the next delivery is queued
            LOG.error("Webhook delivery pass failed; trying again in {} s error={}", RETRY_PASS.toSeconds(), e.toString(), e);
            if (timer != null) {
                timer.cancel();
            }
            timer = timers.at(now.plus(RETRY_PASS), this::tick);
        }
    }

    private void arm() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        Optional<Instant> earliest = store.earliestPending();
        if (earliest.isPresent() && inFlight.get() < concurrency) {
            timer = timers.at(earliest.get(), this::tick);
        }
    }

    /** Makes one attempt of a delivery the caller has leased; records it and schedules the next or ends it. */
    void attempt(String deliveryId) {
        Delivery d = store.delivery(deliveryId).orElse(null);
        if (d == null || !Delivery.PENDING.equals(d.status())) {
            return;
        }
        Webhook w = store.find(d.webhookId()).orElse(null);
        if (w == null) {
            return;
        }
        Instant now = clock.instant();
        if (!w.enabled()) {
            store.abandon(d.id(), "Webhook disabled", now);
            return;
        }
        if (w.rotationExpired(now)) {
            store.promoteNextSecret(w.id(), w.secretNext());
        }
        int attempt = d.attempts() + 1;
        URI url = URI.create(w.url());
        EgressGuard.Verdict verdict = egress.check(url);
        WebhookSender.Response response;
        if (verdict.outcome() == EgressGuard.Outcome.BLOCKED) {
            finish(d, w, attempt, now, null, null, "Blocked by the egress guard: " + verdict.reason(), false, null);
            return;
        }
        if (verdict.outcome() == EgressGuard.Outcome.UNRESOLVED) {
            response = new WebhookSender.Response(null, null, 0, "Cannot resolve " + url.getHost());
        } else {
            response = sender.post(url, d.eventId(), now.getEpochSecond(), d.payload().getBytes(StandardCharsets.UTF_8),
                    w.signingSecrets(now), attempt);
        }
        Instant after = clock.instant();
        Integer code = response.statusCode();
        int latency = (int) Math.min(Integer.MAX_VALUE, response.latencyMs());
        if (code != null && RetryPolicy.success(code)) {
            store.recordAttempt(new DeliveryAttempt(d.id(), attempt, "success", code, latency, null, after),
                    Delivery.SUCCESS, null);
            LOG.info("Webhook delivered webhookId={} deliveryId={} eventType={} attempt={} status={} latencyMs={}",
                    w.id(), d.id(), d.eventType(), attempt, code, latency);
            return;
        }
        String error = response.error() != null ? response.error()
                : code >= 300 && code < 400 ? "HTTP " + code + " (redirects are not followed)" : "HTTP " + code;
        boolean retryable = code == null || RetryPolicy.retryable(code);
        finish(d, w, attempt, after, code, latency, error, retryable, response.retryAfter());
    }

    private void finish(Delivery d, Webhook w, int attempt, Instant at, Integer code, Integer latency, String error,
                        boolean retryable, String retryAfter) {
        if (retryable && attempt < d.maxAttempts()) {
            Instant next = RetryPolicy.nextAttempt(attempt, retryAfter, at);
            store.recordAttempt(new DeliveryAttempt(d.id(), attempt, "retry", code, latency, error, at), Delivery.PENDING, next);
            LOG.warn("Webhook delivery failed, will retry webhookId={} deliveryId={} attempt={} error=\"{}\" nextAttemptAt={}",
                    w.id(), d.id(), attempt, error, next);
        } else {
            store.recordAttempt(new DeliveryAttempt(d.id(), attempt, "failed", code, latency, error, at), Delivery.FAILED, null);
            LOG.warn("Webhook delivery permanently failed webhookId={} deliveryId={} attempt={} error=\"{}\"",
                    w.id(), d.id(), attempt, error);
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
