package dev.appstrate.server.docker;

import dev.appstrate.server.concurrent.NamedExecutors;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.docker.DockerRoutes;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.runs.RunService;
import dev.appstrate.server.runs.adapter.RunAdapter;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker support: the engine connection and its /health check and the Docker routes in every mode (the
 * desktop app shows and cleans Docker even when runs use the process adapter); with RUN_ADAPTER=docker
 * also the run adapter, the orphan sweep at boot and of per-run networks at shutdown. Never fails
 * without Docker.
 */
public final class DockerModule implements ServerModule {
    private static final Logger LOG = LoggerFactory.getLogger(DockerModule.class);

    /** Runs whose containers this server is creating or tearing down right now (before the runs table knows). */
    private final Set<String> runsInFlight = ConcurrentHashMap.newKeySet();
    private DockerEngine engine;
    private OrphanSweeper sweeper;
    private DockerRunAdapter adapter;

    @Override
    public void install(ServerContext ctx) {
        var settings = ctx.config().docker();
        DockerEndpoint endpoint = DockerEndpoint.discover(settings.dockerHost(), System::getenv);
        engine = new DockerEngine(endpoint, ctx.clock());
        ctx.onStop(engine);
        String session = "srv_" + UUID.randomUUID().toString().substring(0, 8);
        ActiveRuns inFlight = runsInFlight::contains;
        DockerInventory inventory = new DockerInventory(engine, () -> activeRuns(ctx).or(inFlight), session);
        DockerRemover remover = new DockerRemover(engine);
        sweeper = new OrphanSweeper(inventory, remover);
        DockerCleanup cleanup = new DockerCleanup(inventory, remover, ctx.clock());
        ctx.put(DockerEngine.class, engine);
        ctx.put(DockerInventory.class, inventory);
        ctx.put(DockerCleanup.class, cleanup);
        ctx.put(OrphanSweeper.class, sweeper);
        boolean dockerMode = "docker".equals(ctx.config().runAdapter());
        ctx.health().addCheck(new DockerHealthCheck(engine, dockerMode));
        new DockerRoutes(engine, inventory, cleanup, () -> runtimeInfo(ctx), ctx.clock()).register(ctx.router());
        if (dockerMode) {
            ctx.onStop(this::shutdownSweep);
            ImageProvisioner images = new ImageProvisioner(engine, ctx.config().dataDir().resolve("docker"));
            int port = java.net.URI.create(ctx.url()).getPort();
            adapter = new DockerRunAdapter(engine, images, settings, ctx.config().platformRunLimits(),
                    ctx.config().sidecarPoolSize(), java.util.List.of(port), runsInFlight, session, ctx.clock());
            // agents call this server as http://sidecar:8080/… through their sidecar's relay
            ctx.handler().allowHost("sidecar");
            ctx.put(ImageProvisioner.class, images);
            ctx.put(DockerRunAdapter.class, adapter);
            // the run pipeline (RunsModule, installed after this module) uses the registered adapter
            ctx.put(RunAdapter.class, adapter);
            ctx.onStop(adapter);
        }
    }

    @Override
    public void afterInstall(ServerContext ctx) {
        if (adapter == null) {
            // process mode never touches the engine on its own: another Appstrate may own those containers
            return;
        }
        DockerStatus s = engine.refresh();
        if (!s.available()) {
            LOG.error("RUN_ADAPTER=docker but Docker is unavailable: {} Runs will fail until it is fixed.", s.explanation());
            return;
        }
        try {
            sweeper.sweep();
        } catch (RuntimeException e) {
            LOG.warn("Orphan sweep failed: {}", e.getMessage());
        }
        // images may need building (tens of seconds the first time): not on the boot path
        NamedExecutors.thread("docker-prepare", () -> {
            try {
                adapter.prepare();
            } catch (RuntimeException e) {
                LOG.warn("Docker run adapter not ready: {}", e.getMessage());
            }
        }).start();
    }

    private void shutdownSweep() {
        if (engine.status().available()) {
            try {
                sweeper.sweepNetworks();
            } catch (RuntimeException e) {
                LOG.debug("Shutdown network sweep failed: {}", e.getMessage());
            }
        }
    }

    /** Which runs are active: an explicitly registered {@link ActiveRuns}, else the run pipeline's own view. */
    private static ActiveRuns activeRuns(ServerContext ctx) {
        ActiveRuns registered = ctx.find(ActiveRuns.class);
        if (registered != null) {
            return registered;
        }
        RunService runs = ctx.find(RunService.class);
        return runs == null ? ActiveRuns.NONE : runs::isActive;
    }

    private ObjectNode runtimeInfo(ServerContext ctx) {
        ObjectNode n = Json.object();
        n.put("run_adapter", ctx.config().runAdapter());
        n.put("sidecar_pool_size", ctx.config().sidecarPoolSize());
        n.put("sidecar_pool_ready", adapter == null ? 0 : adapter.pool().ready());
        n.put("images_ready", adapter != null && adapter.prepared());
        return n;
    }
}
