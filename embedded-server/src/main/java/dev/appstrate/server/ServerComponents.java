// Over 400 lines on purpose: the one place every service is built, read top to bottom in dependency order.
package dev.appstrate.server;

import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.config.InlineRunLimits;
import dev.appstrate.server.config.ServerConfig;
import dev.appstrate.server.docker.DockerCleanup;
import dev.appstrate.server.docker.DockerEndpoint;
import dev.appstrate.server.docker.DockerEngine;
import dev.appstrate.server.docker.DockerHealthCheck;
import dev.appstrate.server.docker.DockerInventory;
import dev.appstrate.server.docker.DockerRemover;
import dev.appstrate.server.capabilities.CapabilityRoutes;
import dev.appstrate.server.docker.DockerRoutes;
import dev.appstrate.server.docker.DockerRunAdapter;
import dev.appstrate.server.docker.DockerRuntime;
import dev.appstrate.server.docker.ImageProvisioner;
import dev.appstrate.server.docker.OrphanSweeper;
import dev.appstrate.server.egress.EgressGuard;
import dev.appstrate.server.health.HealthRoutes;
import dev.appstrate.server.http.AppstrateHandler;
import dev.appstrate.server.inline.InlinePackageRepository;
import dev.appstrate.server.inline.InlineRetention;
import dev.appstrate.server.inline.InlineRunRoutes;
import dev.appstrate.server.inline.InlineRunService;
import dev.appstrate.server.http.FixedWindowRateLimiter;
import dev.appstrate.server.http.IdempotencyKeys;
import dev.appstrate.server.http.IdempotencyStore;
import dev.appstrate.server.http.LocalIdempotencyKeys;
import dev.appstrate.server.http.RateLimiter;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.http.ServerState;
import dev.appstrate.server.models.ModelRegistry;
import dev.appstrate.server.models.ModelRoutes;
import dev.appstrate.server.config.SystemProviderKeys;
import dev.appstrate.server.models.ModelRepository;
import dev.appstrate.server.models.ResolvedModel;
import dev.appstrate.server.openapi.OpenApiRoutes;
import dev.appstrate.server.packages.ApplicationPackageRoutes;
import dev.appstrate.server.packages.BundleStore;
import dev.appstrate.server.packages.ManifestValidator;
import dev.appstrate.server.packages.PackageRoutes;
import dev.appstrate.server.packages.PackageService;
import dev.appstrate.server.packages.SchemaValidator;
import dev.appstrate.server.realtime.RunEventBus;
import dev.appstrate.server.redis.RedisIdempotencyKeys;
import dev.appstrate.server.redis.RedisRateLimiter;
import dev.appstrate.server.redis.RedisRunEventRelay;
import dev.appstrate.server.redis.RedisRunOwnership;
import dev.appstrate.server.redis.RedisWorkNotices;
import dev.appstrate.server.redis.SharedRedis;
import dev.appstrate.server.storage.BlobStore;
import dev.appstrate.server.runs.CredentialProxy;
import dev.appstrate.server.runs.EventBatchWriter;
import dev.appstrate.server.runs.EventIngestion;
import dev.appstrate.server.runs.EventRouteWarmup;
import dev.appstrate.server.runs.InFlightRuns;
import dev.appstrate.server.runs.LlmSidecar;
import dev.appstrate.server.runs.RealtimeRoutes;
import dev.appstrate.server.runs.RunAdmission;
import dev.appstrate.server.runs.RunEventRoutes;
import dev.appstrate.server.runs.RunFeed;
import dev.appstrate.server.runs.RunFinalizer;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.runs.RunJson;
import dev.appstrate.server.runs.RunLauncher;
import dev.appstrate.server.runs.RunNames;
import dev.appstrate.server.runs.RunRepository;
import dev.appstrate.server.runs.RunRoutes;
import dev.appstrate.server.runs.RunStatus;
import dev.appstrate.server.runs.RunWatchdog;
import dev.appstrate.server.runs.RunWorkspaceRoutes;
import dev.appstrate.server.runs.RunDocumentRepository;
import dev.appstrate.server.runs.RunDocumentRoutes;
import dev.appstrate.server.runs.RunDocuments;
import dev.appstrate.server.runs.Runs;
import dev.appstrate.server.runs.RunnerEnvironment;
import dev.appstrate.server.runs.SchemaCheck;
import dev.appstrate.server.runs.adapter.ProcessRunAdapter;
import dev.appstrate.server.runs.adapter.RunAdapter;
import dev.appstrate.server.schedule.CatalogAgentCheck;
import dev.appstrate.server.schedule.RunPipelineLauncher;
import dev.appstrate.server.schedule.ScheduleRoutes;
import dev.appstrate.server.schedule.ScheduleRepository;
import dev.appstrate.server.schedule.Scheduler;
import dev.appstrate.server.schedule.Schedules;
import dev.appstrate.server.secrets.ConnectionRoutes;
import dev.appstrate.server.secrets.ConnectionCallers;
import dev.appstrate.server.secrets.ConnectionRepository;
import dev.appstrate.server.secrets.Connections;
import dev.appstrate.server.secrets.IntegrationRepository;
import dev.appstrate.server.secrets.KeyRing;
import dev.appstrate.server.secrets.KeyRotation;
import dev.appstrate.server.logging.Redactor;
import dev.appstrate.server.secrets.RunConnections;
import dev.appstrate.server.secrets.SecretBox;
import dev.appstrate.server.secrets.SecretStore;
import dev.appstrate.server.secrets.SecretsRoutes;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.tenancy.ApiKeyRepository;
import dev.appstrate.server.tenancy.ApiKeyRoutes;
import dev.appstrate.server.tenancy.ApiKeyService;
import dev.appstrate.server.tenancy.ApplicationRepository;
import dev.appstrate.server.tenancy.ApplicationRoutes;
import dev.appstrate.server.tenancy.AuthPolicies;
import dev.appstrate.server.tenancy.EndUserRepository;
import dev.appstrate.server.tenancy.OrganizationRepository;
import dev.appstrate.server.tenancy.EndUserRoutes;
import dev.appstrate.server.tenancy.OwnerCredential;
import dev.appstrate.server.tenancy.Tenancy;
import dev.appstrate.server.timers.ExecutorTimers;
import dev.appstrate.server.transcript.TranscriptAssembler;
import dev.appstrate.server.transcript.TranscriptRecorder;
import dev.appstrate.server.transcript.TranscriptRepository;
import dev.appstrate.server.transcript.TranscriptRoutes;
import dev.appstrate.server.webhooks.DeliveryWorker;
import dev.appstrate.server.webhooks.WebhookEvents;
import dev.appstrate.server.webhooks.WebhookRoutes;
import dev.appstrate.server.webhooks.WebhookSender;
import dev.appstrate.server.webhooks.WebhookRepository;
import dev.appstrate.server.webhooks.Webhooks;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: every service of the server built once, by plain constructors, in dependency order
 * (tenancy → secrets → packages → models → docker → runs → inline runs → schedules → webhooks → routes). A new feature adds its
 * lines here; nothing looks services up by type. {@link #afterBoot()} starts the background work.
 */
public final class ServerComponents {
    private static final Logger LOG = LoggerFactory.getLogger(ServerComponents.class);
    /** Timer slices never sleep longer than this, so a suspended laptop catches up soon after waking. */
    private static final Duration TIMER_MAX_SLEEP = Duration.ofMinutes(1);
    /** Webhook senders, as the original's worker concurrency. */
    private static final int WEBHOOK_CONCURRENCY = 10;

    /** What the server itself provides before any feature is built. */
    public record Infrastructure(ServerConfig config, Clock clock, Database database, Router router, HealthRoutes health,
                                 AppstrateHandler handler, ServerState state, String url, Consumer<AutoCloseable> onStop,
                                 SharedRedis redis, BlobStore blobs) {
    }

    private final Infrastructure infra;
    private final Tenancy tenancy;
    private final SecretStore secretStore;
    private final KeyRotation keyRotation;
    private final Connections connections;
    private final RunConnections runConnections;
    private final SchemaValidator schemas;
    private final PackageService packages;
    private final ModelRegistry models;
    private final DockerEngine dockerEngine;
    private final DockerRunAdapter dockerRunAdapter;
    private final DockerRuntime dockerRuntime;
    private final RunEventBus runEvents;
    /** The SSE replays' later pages (RealtimeRoutes stops it with the server). */
    private final ExecutorService sseReplays = NamedExecutors.fixed("sse-replay", 2);
    private final RunRepository runRepository;
    private final RunDocuments runDocuments;
    private final InFlightRuns inFlightRuns;
    private final RunAdmission runAdmission;
    private final EventIngestion eventIngestion;
    private final RunFinalizer runFinalizer;
    private final RunWatchdog runWatchdog;
    private final InlineRunService inlineRuns;
    private final InlineRetention inlineRetention;
    private final ScheduledExecutorService inlineTimer;
    private final Schedules schedules;
    private final Scheduler scheduler;
    private final WebhookEvents webhookEvents;
    private final DeliveryWorker webhookWorker;
    private final RedisRunOwnership runOwnership;
    private final RedisRunEventRelay eventRelay;
    private final CompletableFuture<Integer> uploadLeftovers = new CompletableFuture<>();
    private volatile EventRouteWarmup eventRouteWarmup;

    public ServerComponents(Infrastructure infra) {
        this.infra = infra;
        ServerConfig cfg = infra.config();
        Clock clock = infra.clock();
        Database db = infra.database();
        // several instances (REDIS_URL): shared rate limits, idempotency keys, run events and run ownership; else in-process
        SharedRedis redis = infra.redis();
        RateLimiter limiter = redis != null ? new RedisRateLimiter(redis) : new FixedWindowRateLimiter(clock);
        IdempotencyKeys idempotencyKeys = redis != null ? new RedisIdempotencyKeys(redis) : new LocalIdempotencyKeys(clock);
        runOwnership = redis != null ? new RedisRunOwnership(redis, Duration.ofSeconds(cfg.cluster().instanceTimeoutSeconds()), clock) : null;
        if (runOwnership != null) {
            infra.onStop().accept(runOwnership); // closed after the runs: peers take over what could not finish
        }

        // tenancy: the local organization, owner credential, API keys, applications, end-users, the auth pipeline
        ApplicationRepository applications = new ApplicationRepository(db);
        EndUserRepository endUsers = new EndUserRepository(db);
        tenancy = Tenancy.bootstrap(new OrganizationRepository(db), applications, endUsers, clock);
        OwnerCredential owner = OwnerCredential.load(cfg.storage().dataDir(), cfg.security().ownerTokenFromEnv());
        ExecutorService keyTouches = NamedExecutors.single("apikey-touch");
        infra.onStop().accept(NamedExecutors.closer(keyTouches));
        ApiKeyRepository apiKeyRepository = new ApiKeyRepository(db);
        int expired = apiKeyRepository.revokeExpired(clock.instant());
        if (expired > 0) {
            LOG.info("Revoked expired API keys count={}", expired);
        }
        ApiKeyService apiKeys = new ApiKeyService(apiKeyRepository, clock, keyTouches);
        AuthPolicies auth = new AuthPolicies(owner, apiKeys, applications, tenancy, limiter, new IdempotencyStore(idempotencyKeys));
        infra.handler().policies(auth);
        LOG.info("Organization ready orgId={} defaultApplicationId={}", tenancy.orgId(), tenancy.defaultApplicationId());

        // secrets: the key ring every feature seals credentials with, integrations and their connections
        KeyRing ring = KeyRing.fromConfig(cfg.security().connectionEncryptionKey(), cfg.security().connectionEncryptionKeyId(),
                cfg.security().connectionEncryptionKeys() != null ? cfg.security().connectionEncryptionKeys() : System.getenv(KeyRing.RETIRED_KEYS));
        SecretBox box = new SecretBox(ring);
        secretStore = new SecretStore(box, Redactor.global());
        keyRotation = new KeyRotation(box);
        IntegrationRepository integrations = new IntegrationRepository(db, clock);
        connections = new Connections(new ConnectionRepository(db), clock, secretStore, integrations, tenancy);
        runConnections = new RunConnections(integrations, connections);
        LOG.info("Secrets: AES-256-GCM activeKid={} keyRing={}", ring.activeKid(), ring.kids());

        // packages: agents and skills, their bundles, manifest and JSON Schema checks
        schemas = new SchemaValidator();
        packages = new PackageService(db, new BundleStore(infra.blobs()), new ManifestValidator(schemas), clock);

        // models and outbound traffic
        ModelRepository modelRepository = new ModelRepository(db, secretStore);
        models = new ModelRegistry(modelRepository,
                ResolvedModel.ofSystemKeys(SystemProviderKeys.parse(cfg.security().systemProviderKeys())));
        EgressGuard egress = new EgressGuard(cfg.network().egressAllowInternalHosts());

        // docker: the engine in every mode; the run adapter only with RUN_ADAPTER=docker
        boolean dockerMode = "docker".equals(cfg.runner().adapter());
        dockerEngine = new DockerEngine(DockerEndpoint.discover(cfg.runner().docker().dockerHost(), System::getenv), clock, dockerMode);
        infra.onStop().accept(dockerEngine);
        String dockerSession = "srv_" + UUID.randomUUID().toString().substring(0, 8);
        // runs whose containers are being created or torn down right now (before the runs table knows)
        Set<String> containersInFlight = ConcurrentHashMap.newKeySet();
        if (dockerMode) {
            dockerRunAdapter = new DockerRunAdapter(dockerEngine, new ImageProvisioner(dockerEngine, cfg.storage().dataDir().resolve("docker")),
                    cfg.runner().docker(), cfg.limits().platformRuns(), cfg.runner().sidecarPoolSize(), List.of(URI.create(infra.url()).getPort()),
                    containersInFlight, dockerSession, clock);
            // agents call this server as http://sidecar:8080/… through their sidecar's relay
            infra.handler().allowHost("sidecar");
        } else {
            dockerRunAdapter = null;
        }

        // runs: admission → launcher → adapter → runner → signed events → ingestion → bus; finalizer and watchdog
        RunAdapter runAdapter = dockerMode ? dockerRunAdapter : new ProcessRunAdapter(cfg.storage().runsDir(), cfg.runner().command());
        ExecutorService launchPool = NamedExecutors.cached("run-launch");
        ScheduledExecutorService runTimers = NamedExecutors.scheduled("run-timers", 1);
        runEvents = new RunEventBus();
        eventRelay = redis != null ? new RedisRunEventRelay(redis, runEvents) : null;
        runRepository = new RunRepository(db);
        RunDocumentRepository runDocumentRepository = new RunDocumentRepository(db);
        runDocuments = new RunDocuments(runDocumentRepository, infra.blobs(), clock);
        Runs runs = new Runs(runRepository, cfg.storage().runsDir(), runDocuments);
        inFlightRuns = runOwnership != null ? new InFlightRuns(runOwnership) : new InFlightRuns();
        // runner events and platform log lines are committed in groups by one writer thread, then published in id order
        EventBatchWriter logWriter = new EventBatchWriter(runRepository, runEvents,
                RunFeed.runningOnFirstEvent(runRepository, runEvents));
        RunFeed feed = new RunFeed(runRepository, runEvents, logWriter, clock);
        SchemaCheck schemaCheck = (schema, instance) -> schemas.validate(schema, instance).stream()
                .map(e -> (e.path().equals("$") ? "" : e.path().replaceFirst("^\\$\\.?", "") + ": ") + e.message()).toList();
        eventIngestion = new EventIngestion(runRepository, inFlightRuns, logWriter, new TranscriptRecorder(Redactor.global()),
                clock, runTimers);
        runFinalizer = new RunFinalizer(runRepository, inFlightRuns, eventIngestion, feed, runAdapter, schemaCheck, clock);
        if (runOwnership != null) {
            runOwnership.onStopRequest(runFinalizer::stopCancelledElsewhere, launchPool);
        }
        runWatchdog = new RunWatchdog(runRepository, inFlightRuns, runFinalizer, runAdapter, runTimers, cfg.storage().runsDir(), clock);
        int heartbeatSeconds = Math.max(1, Math.min(cfg.runner().heartbeatIntervalSeconds(), cfg.runner().stallThresholdSeconds() / 3));
        RunnerEnvironment runnerEnv = new RunnerEnvironment(infra.url(), cfg.storage().runsDir(), heartbeatSeconds,
                cfg.limits().documentMaxFileBytes());
        RunLauncher runLauncher = new RunLauncher(runRepository, feed, runAdapter, runnerEnv, runFinalizer, runWatchdog,
                cfg.limits().platformRuns(), launchPool, cfg.storage().runsDir(), clock);
        runAdmission = new RunAdmission(runRepository, inFlightRuns, feed, models, runConnections,
                limiter, cfg.limits().platformRuns(), schemaCheck, runLauncher, clock);
        // stop order (newest first): runners, the log writer (commits what is queued), the adapter, timers, launcher threads
        infra.onStop().accept(NamedExecutors.closer(launchPool));
        infra.onStop().accept(NamedExecutors.closer(runTimers));
        infra.onStop().accept(runAdapter);
        infra.onStop().accept(logWriter);
        infra.onStop().accept(runWatchdog::stopAll);

        // inline runs: an ephemeral package per run, started through the same admission; purged after retention
        InlineRunLimits inlineLimits = cfg.limits().inlineRuns();
        InlinePackageRepository inlinePackages = new InlinePackageRepository(db);
        ScheduleRepository scheduleRepository = new ScheduleRepository(db);
        RunNames runNames = new RunNames(tenancy, apiKeys, scheduleRepository::name);
        inlineRuns = new InlineRunService(runAdmission, inlinePackages, new ManifestValidator(schemas), schemas, packages::byId,
                runConnections, inlineLimits, clock, runNames);
        inlineRetention = new InlineRetention(inlinePackages, runs, clock, inlineLimits.retentionDays());
        inlineTimer = NamedExecutors.scheduled("inline-retention", 1);
        infra.onStop().accept(NamedExecutors.closer(inlineTimer));

        // docker resources: which are orphans is decided by the run pipeline's in-flight runs
        DockerInventory inventory = new DockerInventory(dockerEngine,
                runId -> inFlightRuns.isActive(runId) || containersInFlight.contains(runId), dockerSession);
        DockerRemover remover = new DockerRemover(dockerEngine);
        dockerRuntime = new DockerRuntime(dockerEngine, new OrphanSweeper(inventory, remover), dockerRunAdapter, cfg.runner().adapter(),
                cfg.runner().sidecarPoolSize());
        infra.onStop().accept(dockerRuntime::shutdownSweep);
        DockerCleanup dockerCleanup = new DockerCleanup(inventory, remover, clock);
        infra.health().addCheck(new DockerHealthCheck(dockerEngine));

        // schedules: the durable scheduler on its own timer thread; fires start runs through admission
        ExecutorTimers scheduleTimers = new ExecutorTimers("scheduler", clock, TIMER_MAX_SLEEP);
        scheduler = new Scheduler(scheduleRepository, clock, scheduleTimers, new RunPipelineLauncher(runAdmission, packages,
                (app, pkg) -> packages.installation(app, pkg).isPresent(), scheduleRepository, clock),
                cfg.limits().scheduleCatchupMax());
        infra.onStop().accept(scheduleTimers);
        infra.onStop().accept(scheduler);
        schedules = new Schedules(scheduleRepository, scheduler, clock, new CatalogAgentCheck(packages, schemas), tenancy, runs);
        packages.onDelete(schedules::deleteForAgent);

        // webhooks: durable delivery (timer thread + senders), fed by the run pipeline's status changes
        WebhookRepository webhookRepository = new WebhookRepository(db, box);
        int sealed = webhookRepository.sealPlaintextSecrets();
        if (sealed > 0) {
            LOG.info("Webhook signing secrets sealed count={}", sealed);
        }
        ExecutorTimers webhookTimers = new ExecutorTimers("webhook-timer", clock, TIMER_MAX_SLEEP);
        ExecutorService senders = NamedExecutors.fixed("webhook-delivery", WEBHOOK_CONCURRENCY);
        webhookWorker = new DeliveryWorker(webhookRepository, new WebhookSender(cfg.appVersion()), egress, clock, webhookTimers, senders,
                WEBHOOK_CONCURRENCY);
        infra.onStop().accept(() -> {
            senders.shutdown();
            if (!senders.awaitTermination(16, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        });
        infra.onStop().accept(webhookTimers);
        infra.onStop().accept(webhookWorker);
        webhookEvents = new WebhookEvents(webhookRepository, webhookWorker, clock);
        Webhooks webhooks = new Webhooks(webhookRepository, tenancy, webhookWorker, egress, clock);
        // the pipeline reports a run that began executing as "running": the original's event is run.started
        feed.onStatusChange(r -> webhookEvents.runStatusChanged(r.scope().orgId(), r.scope().applicationId(),
                r.scope().packageId(), RunStatus.RUNNING.equals(r.status()) ? "started" : r.status(), RunJson.of(r)));

        // routes, each feature's beside its services; OpenAPI last, as it documents every route registered before it
        Router router = infra.router();
        new ApplicationRoutes(applications, clock).register(router);
        new ApiKeyRoutes(apiKeys, apiKeyRepository, clock).register(router);
        new EndUserRoutes(endUsers, clock).register(router);
        new ConnectionRoutes(integrations, connections, new ConnectionCallers(tenancy)).register(router);
        new SecretsRoutes(db, keyRotation).register(router);
        new PackageRoutes(packages, inFlightRuns::count, cfg.limits().platformRuns().timeoutCeilingSeconds()).register(router);
        new ApplicationPackageRoutes(packages, tenancy).register(router);
        new DockerRoutes(dockerEngine, inventory, dockerCleanup, dockerRuntime::runtimeInfo, clock).register(router);
        new ModelRoutes(modelRepository, models, clock).register(router);
        new RunRoutes(runAdmission, runFinalizer, runRepository, runs, runEvents, packages, runNames, inlineRuns,
                runDocumentRepository).register(router);
        new InlineRunRoutes(inlineRuns, inlineLimits.ratePerMin()).register(router);
        new RunEventRoutes(eventIngestion, runFinalizer).register(router);
        new RunWorkspaceRoutes(eventIngestion, runRepository, packages).register(router);
        new RunDocumentRoutes(eventIngestion, runRepository, runDocumentRepository, runDocuments,
                cfg.limits().documentMaxFileBytes()).register(router);
        new TranscriptRoutes(runs, new TranscriptRepository(db), new TranscriptAssembler(schemas)).register(router);
        new LlmSidecar(inFlightRuns).register(router);
        new CredentialProxy(inFlightRuns, egress).register(router);
        RealtimeRoutes realtime = new RealtimeRoutes(runEvents, runRepository, runs, sseReplays);
        realtime.register(router);
        infra.onStop().accept(realtime);
        new ScheduleRoutes(schedules, clock).register(router);
        new WebhookRoutes(webhooks, clock).register(router);
        new CapabilityRoutes(router, cfg.appVersion(), db.kind()).register(router);
        new OpenApiRoutes(router, cfg.appVersion()).register(router);
    }

    /** After every service is built, still before the server reports ready: recovery, sweeps and background workers. */
    void afterBoot() {
        ServerConfig cfg = infra.config();
        dockerRuntime.afterBoot();
        // a killed server's half-written uploads: set aside now (one rename, no upload can be running yet), deleted after ready
        infra.blobs().staging().setAsideLeftovers();
        if (runOwnership != null) {
            // announced before recovery, and relaying before any run starts here
            runOwnership.start(infra.url());
            eventRelay.start();
        }
        runWatchdog.recoverAtBoot();
        // what expired while the server was down goes before anyone lists runs; then hourly
        inlineRetention.purgeQuietly();
        inlineTimer.scheduleWithFixedDelay(inlineRetention::purgeQuietly, 1, 1, TimeUnit.HOURS);
        runWatchdog.watch(Duration.ofSeconds(cfg.runner().watchdogIntervalSeconds()), Duration.ofSeconds(cfg.runner().stallThresholdSeconds()));
        if (runOwnership != null) {
            // a schedule or delivery another instance created is picked up here too (subscribed before the workers first read); the database claims decide who runs it
            RedisWorkNotices notices = new RedisWorkNotices(infra.redis());
            ExecutorService peerWork = NamedExecutors.single("peer-work");
            infra.onStop().accept(NamedExecutors.closer(peerWork));
            notices.subscribe(Map.of(RedisWorkNotices.SCHEDULES, scheduler::rearm, RedisWorkNotices.DELIVERIES, webhookWorker::wake),
                    peerWork);
            scheduler.tellPeers(() -> notices.publish(RedisWorkNotices.SCHEDULES));
            webhookWorker.tellPeers(() -> notices.publish(RedisWorkNotices.DELIVERIES));
        }
        scheduler.start();
        webhookWorker.start();
    }

    /**
     * Once /health answers 200: the JSON mapper (≈450 classes) and the schema library (about a second of class loading)
     * slowed the boot they ran beside on two cores; warmed now, a request that needs one first waits for its class
     * initialisation (the JVM's lock), and the schemas are ready long before a first package import.
     */
    void afterReady() {
        // docker-java's classes and the engine's answer (seconds when it hangs) off the first 200: /health says "checking" meanwhile
        dockerEngine.probeInBackground();
        // it only logs: reading every sealed column (and the boot's first record equals/hashCode) need not hold the first 200
        NamedExecutors.thread("key-status", this::logKeyStatus).start();
        NamedExecutors.thread("storage-sweep", () -> {
            try {
                uploadLeftovers.complete(infra.blobs().staging().deleteLeftovers());
            } catch (RuntimeException e) {
                uploadLeftovers.completeExceptionally(e);
                throw e; // logged by the thread's handler
            }
        }).start();
        // the runner-event route compiled before a run's first event (C1 only: ≈ 1,400 compilations otherwise in its first second)
        eventRouteWarmup = EventRouteWarmup.start(infra.url(), inFlightRuns, infra.config().runner().eventRouteWarmupRequests());
        infra.onStop().accept(eventRouteWarmup);
        NamedExecutors.thread("warm-up", () -> {
            Json.bytes(Map.of("warm", Instant.EPOCH));
            schemas.warmUp();
        }).start();
    }

    /** Says when stored secrets are on a retired key or on one the key ring lacks. */
    private void logKeyStatus() {
        KeyRotation.Status keys = keyRotation.status(infra.database());
        if (keys.unreadable() > 0) {
            LOG.warn("Secrets: {} stored values are encrypted with a key id not in the key ring ({}); they cannot be "
                    + "opened until the key is added to CONNECTION_ENCRYPTION_KEYS", keys.unreadable(), keys.valuesByKid().keySet());
        } else if (keys.needsRotation() > 0) {
            LOG.info("Secrets: {} stored values are still on a retired key; run 'rotate-key' to re-encrypt them",
                    keys.needsRotation());
        }
    }

    /** The event route's warm-up after ready ({@code EVENT_ROUTE_WARMUP_REQUESTS}); null before ready. */
    public EventRouteWarmup eventRouteWarmup() {
        return eventRouteWarmup;
    }

    /** How many staged uploads a previous server left, once the after-ready sweep has deleted them. */
    public CompletableFuture<Integer> uploadLeftovers() {
        return uploadLeftovers;
    }

    public Tenancy tenancy() {
        return tenancy;
    }

    public SecretStore secretStore() {
        return secretStore;
    }

    public Connections connections() {
        return connections;
    }

    public RunConnections runConnections() {
        return runConnections;
    }

    public PackageService packages() {
        return packages;
    }

    public ModelRegistry models() {
        return models;
    }

    public DockerEngine dockerEngine() {
        return dockerEngine;
    }

    /** The Docker run adapter; null unless RUN_ADAPTER=docker. */
    public DockerRunAdapter dockerRunAdapter() {
        return dockerRunAdapter;
    }

    public RunEventBus runEvents() {
        return runEvents;
    }

    /** The pool SSE replays read their pages after the first on (a test keeps it busy to show a newcomer does not wait for it). */
    public ExecutorService sseReplays() {
        return sseReplays;
    }

    public RunDocuments runDocuments() {
        return runDocuments;
    }

    public RunRepository runRepository() {
        return runRepository;
    }

    public InFlightRuns inFlightRuns() {
        return inFlightRuns;
    }

    public RunAdmission runAdmission() {
        return runAdmission;
    }

    public EventIngestion eventIngestion() {
        return eventIngestion;
    }

    public RunFinalizer runFinalizer() {
        return runFinalizer;
    }

    public RunWatchdog runWatchdog() {
        return runWatchdog;
    }

    public InlineRunService inlineRuns() {
        return inlineRuns;
    }

    public InlineRetention inlineRetention() {
        return inlineRetention;
    }

    public Schedules schedules() {
        return schedules;
    }

    public WebhookEvents webhookEvents() {
        return webhookEvents;
    }
}
