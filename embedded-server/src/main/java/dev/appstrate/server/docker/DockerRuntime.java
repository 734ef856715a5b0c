package dev.appstrate.server.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's boot and shutdown work. The engine is watched in every mode (the desktop app shows and cleans Docker even
 * when runs use the process adapter); only with RUN_ADAPTER=docker ({@code adapter} not null) does this server sweep
 * orphans at boot, build images in the background and remove per-run networks at shutdown — in process mode another
 * Appstrate may own those containers.
 */
public final class DockerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
    private final DockerEngine engine;
    private final OrphanSweeper sweeper;
    private final DockerRunAdapter adapter;
    private final String runAdapter;
    private final int sidecarPoolSize;

    /** @param adapter the Docker run adapter, or null when runs use the process adapter */
    public DockerRuntime(DockerEngine engine, OrphanSweeper sweeper, DockerRunAdapter adapter, String runAdapter,
                         int sidecarPoolSize) {
        this.engine = engine;
        this.sweeper = sweeper;
        this.adapter = adapter;
        this.runAdapter = runAdapter;
        this.sidecarPoolSize = sidecarPoolSize;
    }

    /** After boot: the orphan sweep, then images prepared on a background thread (tens of seconds the first time). */
    public void afterBoot() {
        if (adapter == null) {
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
        NamedExecutors.thread("docker-prepare", () -> {
            try {
                adapter.prepare();
            } catch (RuntimeException e) {
                LOG.warn("Docker run adapter not ready: {}", e.getMessage());
            }
        }).start();
    }

    /** At shutdown: the per-run networks this server left (docker mode only). */
    public void shutdownSweep() {
        if (adapter != null && engine.status().available()) {
            try {
                sweeper.sweepNetworks();
            } catch (RuntimeException e) {
                LOG.debug("Shutdown network sweep failed: {}", e.getMessage());
            }
        }
    }

    /** The run-side fields of {@code GET /api/docker}. */
    public ObjectNode runtimeInfo() {
        ObjectNode n = Json.object();
        n.put("run_adapter", runAdapter);
        n.put("sidecar_pool_size", sidecarPoolSize);
        n.put("sidecar_pool_ready", adapter == null ? 0 : adapter.pool().ready());
        n.put("images_ready", adapter != null && adapter.prepared());
        return n;
    }
}
