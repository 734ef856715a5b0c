package dev.appstrate.server.webhooks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.appstrate.server.secrets.SecretBox;
import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.egress.EgressGuard;
import dev.appstrate.server.runs.RunJson;
import dev.appstrate.server.runs.RunService;
import dev.appstrate.server.runs.RunStatus;
import dev.appstrate.server.timers.ExecutorTimers;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Webhooks: the API, the durable delivery worker (timer thread + a pool of 10 senders, as the original's
 * worker concurrency) and {@link WebhookEvents}, subscribed to the run pipeline's status changes.
 */
public final class WebhookModule implements ServerModule {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookModule.class);
    private static final int CONCURRENCY = 10;

    @Override
    public void install(ServerContext ctx) {
        EgressGuard egress = ctx.find(EgressGuard.class);
        if (egress == null) {
            egress = new EgressGuard(ctx.config().egressAllowInternalHosts());
            ctx.put(EgressGuard.class, egress);
        }
        WebhookStore store = new WebhookStore(ctx.database(), ctx.get(SecretBox.class));
        int sealed = store.sealPlaintextSecrets();
        if (sealed > 0) {
            LOG.info("Webhook signing secrets sealed count={}", sealed);
        }
        ExecutorTimers timers = new ExecutorTimers("webhook-timer", ctx.clock(), Duration.ofMinutes(1));
        ExecutorService senders = senderPool();
        DeliveryWorker worker = new DeliveryWorker(store, new WebhookSender(ctx.config().appVersion()), egress,
                ctx.clock(), timers, senders, CONCURRENCY);
        ctx.onStop(() -> {
            senders.shutdown();
            if (!senders.awaitTermination(16, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        });
        ctx.onStop(timers);
        ctx.onStop(worker);
        ctx.put(WebhookEvents.class, new WebhookEvents(store, worker, ctx.clock()));
        Webhooks webhooks = new Webhooks(store, worker, egress, ctx.clock());
        ctx.put(Webhooks.class, webhooks);
        new WebhookRoutes(webhooks, ctx.clock()).register(ctx.router());
    }

    @Override
    public void afterInstall(ServerContext ctx) {
        RunService runs = ctx.find(RunService.class);
        if (runs != null) {
            WebhookEvents events = ctx.get(WebhookEvents.class);
            // the pipeline reports a run that began executing as "running": the original's event is run.started
            runs.onStatusChange(r -> events.runStatusChanged(r.orgId(), r.applicationId(), r.packageId(),
                    RunStatus.RUNNING.equals(r.status()) ? "started" : r.status(), RunJson.of(r)));
        }
        ctx.get(Webhooks.class).worker().start();
    }

    private static ExecutorService senderPool() {
        return NamedExecutors.fixed("webhook-delivery", CONCURRENCY);
    }
}
