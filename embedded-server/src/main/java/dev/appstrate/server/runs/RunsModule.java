package dev.appstrate.server.runs;

import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.models.ModelRoutes;
import dev.appstrate.server.realtime.RealtimeRoutes;
import dev.appstrate.server.runs.RunEventRoutes;
import dev.appstrate.server.runs.RunRoutes;
import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.config.ServerConfig;
import dev.appstrate.server.realtime.RunEventBus;
import dev.appstrate.server.http.FixedWindowRateLimiter;
import dev.appstrate.server.models.ModelRegistry;
import dev.appstrate.server.models.ModelStore;
import dev.appstrate.server.models.SystemProviderKeys;
import dev.appstrate.server.packages.AgentCatalog;
import dev.appstrate.server.packages.SchemaValidator;
import dev.appstrate.server.runs.adapter.ProcessRunAdapter;
import dev.appstrate.server.runs.adapter.RunAdapter;
import dev.appstrate.server.egress.EgressGuard;
import dev.appstrate.server.secrets.RunConnections;
import dev.appstrate.server.secrets.SecretStore;
import dev.appstrate.server.tenancy.ApplicationRepository;
import dev.appstrate.server.tenancy.AuthPolicies;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Models, the run pipeline, runner ingestion, the LLM sidecar and credential proxy, SSE, the watchdog and boot recovery. */
public final class RunsModule implements ServerModule {
    private RunService service;

    @Override
    public void install(ServerContext ctx) {
        ServerConfig cfg = ctx.config();
        ModelStore modelStore = new ModelStore(ctx.database(), ctx.get(SecretStore.class));
        ModelRegistry registry = new ModelRegistry(modelStore, SystemProviderKeys.parse(cfg.systemProviderKeys()));
        RunEventBus bus = new RunEventBus();
        RunAdapter adapter = ctx.find(RunAdapter.class) != null ? ctx.get(RunAdapter.class) : new ProcessRunAdapter(cfg.runsDir(), cfg.runnerCommand());
        ExecutorService launcher = NamedExecutors.cached("run-launch");
        ScheduledExecutorService timers = NamedExecutors.scheduled("run-timers", 1);
        SchemaValidator validator = ctx.get(SchemaValidator.class);
        SchemaCheck schemaCheck = (schema, instance) -> validator.validate(schema, instance).stream()
                .map(e -> (e.path().equals("$") ? "" : e.path().replaceFirst("^\\$\\.?", "") + ": ") + e.message()).toList();
        service = new RunService(new RunRepository(ctx.database()), bus, adapter, registry,
                new FixedWindowRateLimiter(ctx.clock()), cfg.platformRunLimits(), ctx.clock(), launcher, timers, cfg.runsDir(),
                ctx.url(), schemaCheck, Math.max(1, Math.min(cfg.runHeartbeatIntervalSeconds(), cfg.runStallThresholdSeconds() / 3)),
                ctx.find(RunConnections.class));
        // stop order (newest first): runners, then timers and launcher threads
        ctx.onStop(NamedExecutors.closer(launcher));
        ctx.onStop(NamedExecutors.closer(timers));
        ctx.onStop(adapter);
        ctx.onStop(service::stopAll);
        ctx.put(RunEventBus.class, bus);
        ctx.put(ModelRegistry.class, registry);
        ctx.put(RunService.class, service);
        ctx.put(dev.appstrate.server.packages.RunningRuns.class, service::activeCount);
        new ModelRoutes(modelStore, registry, ctx.clock()).register(ctx.router());
        new RunRoutes(service, bus, () -> ctx.find(AgentCatalog.class), new RunNames(ctx.database()),
                () -> ctx.find(RunJsonExtension.class)).register(ctx.router());
        new RunEventRoutes(service).register(ctx.router());
        new RunWorkspaceRoutes(service, () -> ctx.find(AgentCatalog.class)).register(ctx.router());
        new LlmSidecar(service).register(ctx.router());
        EgressGuard egress = new EgressGuard(cfg.egressAllowInternalHosts());
        ctx.put(EgressGuard.class, egress);
        new CredentialProxy(service, egress).register(ctx.router());
        new RealtimeRoutes(ctx.get(AuthPolicies.class), ctx.get(ApplicationRepository.class), bus, service.repository(),
                ctx.state()).register(ctx.router());
        Duration stall = Duration.ofSeconds(cfg.runStallThresholdSeconds());
        timers.scheduleWithFixedDelay(() -> service.failStalled(stall), cfg.runWatchdogIntervalSeconds(),
                cfg.runWatchdogIntervalSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void afterInstall(ServerContext ctx) {
        service.recoverAtBoot();
    }
}
