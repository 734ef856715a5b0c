// Over 400 lines on purpose: one run's Docker lifecycle (network, volume, sidecar, agent container, watch, removal) read in the order it happens.
package dev.appstrate.server.docker;

import dev.appstrate.server.store.OwnerOnly;
import dev.appstrate.server.concurrent.NamedExecutors;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.appstrate.server.config.DockerSettings;
import dev.appstrate.server.config.RunLimits;
import dev.appstrate.server.runs.adapter.RunAdapter;
import dev.appstrate.server.runs.adapter.RunLaunch;
import dev.appstrate.server.runs.adapter.RunStartException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RUN_ADAPTER=docker}: each run gets an internal network {@code appstrate-exec-<runId>} and a
 * volume {@code appstrate-ws-<runId>}; its sidecar (pre-warmed from the pool, or fresh) joins that
 * network as {@code sidecar} and relays to this server; the agent container sits on the internal
 * network only, so the sidecar is its one way out. Both run with CapDrop ALL, no-new-privileges,
 * PidsLimit 256 and memory/CPU limits, labelled {@code appstrate.managed/run/adapter}. At exit the
 * sidecar, the agent, the network and the volume are removed, in that order.
 */
public final class DockerRunAdapter implements RunAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DockerRunAdapter.class);
    public static final String NAME = "docker";
    static final long DEFAULT_MEMORY_MB = 1536;
    static final double DEFAULT_CPUS = 2;
    static final long SIDECAR_MEMORY_BYTES = 256L * 1024 * 1024;
    static final long SIDECAR_NANO_CPUS = 500_000_000L;
    static final long PIDS_LIMIT = 256;

    /** How long the last start took, and the sidecar's share of it (for the start-up benchmark). */
    public record StartTimings(long totalMs, long sidecarMs, boolean pooledSidecar) {
    }

    private volatile StartTimings lastStart;
    private volatile boolean prepared;

    /** One run's containers and resources. */
    private static final class DockerRun {
        final String runId;
        volatile String network;
        volatile String volume;
        volatile String sidecar;
        volatile boolean pooledSidecar;
        volatile String agent;
        volatile ContainerLogs logs;

        DockerRun(String runId) {
            this.runId = runId;
        }
    }

    private final DockerEngine engine;
    private final ImageProvisioner images;
    private final DockerSettings settings;
    private final RunLimits limits;
    private final PlatformAccess access;
    private final SidecarPool pool;
    private final Set<String> runsInFlight;
    private final String session;
    private final Clock clock;
    private final Map<String, DockerRun> runs = new ConcurrentHashMap<>();
    private final ExecutorService watchers = NamedExecutors.cached("docker-run-watch");

    /**
     * @param upstreamPorts loopback ports of this server the agent calls (the API port)
     * @param runsInFlight  shared with the cleanup, so a run being set up or torn down is never an orphan
     * @param session       this server's pool label value
     */
    public DockerRunAdapter(DockerEngine engine, ImageProvisioner images, DockerSettings settings, RunLimits limits,
                            int poolSize, List<Integer> upstreamPorts, Set<String> runsInFlight, String session, Clock clock) {
        this.engine = engine;
        this.images = images;
        this.settings = settings;
        this.limits = limits;
        this.access = new PlatformAccess(engine, upstreamPorts, settings.platformApiUrl());
        this.runsInFlight = runsInFlight;
        this.session = session;
        this.clock = clock;
        this.pool = new SidecarPool(poolSize, this::createPooledSidecar, this::isRunning, this::removeQuietly);
    }

    @Override
    public String name() {
        return NAME;
    }

    public SidecarPool pool() {
        return pool;
    }

    /** Timings of the most recent successful start, null before the first. */
    public StartTimings lastStart() {
        return lastStart;
    }

    /** Builds or pulls the images and fills the sidecar pool; call off the boot path. */
    public void prepare() {
        engine.require();
        images.ensure(settings.sidecarImage());
        images.ensure(settings.piImage());
        access.plan();
        pool.warm();
        prepared = true;
    }

    /** True once the images are on the engine: a run starts without building or pulling first. */
    public boolean prepared() {
        return prepared;
    }

    @Override
    public void start(RunLaunch launch) throws RunStartException {
        String runId = launch.runId();
        DockerClient d;
        try {
            d = engine.require();
            images.ensure(settings.sidecarImage());
            images.ensure(settings.piImage());
        } catch (DockerUnavailableException | ImageProvisioner.ImageUnavailableException e) {
            throw new RunStartException(e.getMessage(), e);
        }
        PlatformAccess.Plan plan;
        try {
            plan = access.plan();
        } catch (RuntimeException e) {
            throw new RunStartException("Cannot give containers a way to this server: " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        long sidecarNanos;
        runsInFlight.add(runId);
        DockerRun run = new DockerRun(runId);
        runs.put(runId, run);
        try {
            Map<String, String> labels = runLabels(runId);
            run.network = d.createNetworkCmd().withName(DockerLabels.networkName(runId)).withInternal(true)
                    .withCheckDuplicate(true).withLabels(labels).exec().getId();
            Map<String, String> volumeLabels = new HashMap<>(labels);
            volumeLabels.put(DockerLabels.CREATED, clock.instant().toString());
            run.volume = d.createVolumeCmd().withName(DockerLabels.volumeName(runId)).withLabels(volumeLabels).exec().getName();

            long s0 = System.nanoTime();
            String pooled = pool.take();
            if (pooled != null) {
                run.sidecar = pooled; // owned by the run from here: removed with it even if the rename fails
                run.pooledSidecar = true;
                d.renameContainerCmd(pooled).withName(DockerLabels.SIDECAR_PREFIX + runId).exec();
            } else {
                run.sidecar = createSidecar(DockerLabels.SIDECAR_PREFIX + runId, labels, plan);
                d.startContainerCmd(run.sidecar).exec();
            }
            d.connectToNetworkCmd().withNetworkId(run.network).withContainerId(run.sidecar)
                    .withContainerNetwork(new ContainerNetwork().withAliases("sidecar")).exec();
            sidecarNanos = System.nanoTime() - s0;

            run.agent = createAgent(d, launch, labels, plan);
            d.startContainerCmd(run.agent).exec();
            run.logs = ContainerLogs.follow(engine.streams(), run.agent, logWriter(launch));
            lastStart = new StartTimings((System.nanoTime() - t0) / 1_000_000, sidecarNanos / 1_000_000, run.pooledSidecar);
            LOG.debug("Run containers started runId={} agent={} sidecar={} pooledSidecar={} startMs={} sidecarMs={}", runId,
                    run.agent, run.sidecar, run.pooledSidecar, lastStart.totalMs(), lastStart.sidecarMs());
        } catch (RuntimeException e) {
            teardown(run);
            throw new RunStartException("Could not start the run's containers: " + DockerErrors.message(e), e);
        }
        watchers.execute(() -> watch(run, launch));
    }

    private String createAgent(DockerClient d, RunLaunch launch, Map<String, String> labels, PlatformAccess.Plan plan) {
        Map<String, String> env = plan.rewrite(launch.env());
        // the container's own paths, not the host's
        env.put("WORKSPACE_DIR", "/workspace");
        env.put("HOME", "/workspace");
        env.put("TMPDIR", "/tmp");
        env.remove("PATH");
        env.remove("JAVA_HOME");
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + (v == null ? "" : v)));
        HostConfig hc = HostConfig.newHostConfig()
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withPidsLimit(PIDS_LIMIT)
                .withMemory(memoryMb(launch.memoryMb()) * 1024 * 1024)
                .withNanoCPUs((long) (cpus(launch.cpus()) * 1_000_000_000L))
                .withNetworkMode(DockerLabels.networkName(launch.runId()))
                .withBinds(new Bind(DockerLabels.volumeName(launch.runId()), new Volume("/workspace")))
                .withAutoRemove(false);
        return d.createContainerCmd(settings.piImage()).withName(DockerLabels.AGENT_PREFIX + launch.runId())
                .withEnv(envList).withLabels(labels).withHostConfig(hc).withAliases("agent").exec().getId();
    }

    /** Memory in MiB: the manifest's (or the default), capped by PLATFORM_RUN_LIMITS. */
    long memoryMb(long requested) {
        long mb = requested > 0 ? requested : DEFAULT_MEMORY_MB;
        return Math.min(mb, limits.agentMemoryCeilingMb());
    }

    double cpus(double requested) {
        double c = requested > 0 ? requested : DEFAULT_CPUS;
        return Math.min(c, limits.agentCpuCeiling());
    }

    private String createPooledSidecar() {
        PlatformAccess.Plan plan = access.plan();
        Map<String, String> labels = new HashMap<>();
        labels.put(DockerLabels.MANAGED, "true");
        labels.put(DockerLabels.ADAPTER, NAME);
        labels.put(DockerLabels.POOL, session);
        String id = createSidecar(DockerLabels.POOL_PREFIX + UUID.randomUUID().toString().substring(0, 12), labels, plan);
        try {
            engine.api().startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            removeQuietly(id);
            throw e;
        }
        return id;
    }

    private String createSidecar(String name, Map<String, String> labels, PlatformAccess.Plan plan) {
        HostConfig hc = HostConfig.newHostConfig()
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withPidsLimit(64L)
                .withMemory(SIDECAR_MEMORY_BYTES)
                .withNanoCPUs(SIDECAR_NANO_CPUS)
                .withNetworkMode(DockerLabels.EGRESS_NETWORK)
                .withAutoRemove(false);
        if (!plan.extraHosts().isEmpty()) {
            hc.withExtraHosts(plan.extraHosts().toArray(String[]::new));
        }
        return engine.api().createContainerCmd(settings.sidecarImage()).withName(name)
                .withEnv("RELAYS=" + plan.relays()).withLabels(labels).withHostConfig(hc).exec().getId();
    }

    private static Map<String, String> runLabels(String runId) {
        Map<String, String> labels = new HashMap<>();
        labels.put(DockerLabels.MANAGED, "true");
        labels.put(DockerLabels.RUN, runId);
        labels.put(DockerLabels.ADAPTER, NAME);
        return labels;
    }

    /** The agent's output goes to the run folder's runner.log, as with the process adapter. */
    private static java.util.function.BiConsumer<Boolean, String> logWriter(RunLaunch launch) {
        BufferedWriter w;
        try {
            Files.createDirectories(launch.runDir());
            w = Files.newBufferedWriter(OwnerOnly.file(launch.runDir().resolve("runner.log")), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            w = null;
        }
        BufferedWriter writer = w;
        return (stderr, line) -> {
            LOG.debug("[agent {}] {}", launch.runId(), line);
            if (writer != null) {
                synchronized (writer) {
                    try {
                        writer.write(line);
                        writer.newLine();
                        writer.flush();
                    } catch (IOException ignored) {
                        // diagnostics only
                    }
                }
            }
        };
    }

    private void watch(DockerRun run, RunLaunch launch) {
        int code;
        try (WaitContainerResultCallback cb = engine.streams().waitContainerCmd(run.agent).exec(new WaitContainerResultCallback())) {
            code = cb.awaitStatusCode();
        } catch (NotFoundException gone) {
            code = 137;
        } catch (RuntimeException | IOException e) {
            LOG.debug("Waiting for the agent failed runId={}: {}", run.runId, e.toString());
            code = exitCodeOrKilled(run.agent);
        }
        if (run.logs != null) {
            run.logs.awaitEnd(2_000);
        }
        teardown(run);
        LOG.debug("Run containers removed runId={} exitCode={}", run.runId, code);
        launch.onExit().accept(code);
    }

    private int exitCodeOrKilled(String container) {
        try {
            InspectContainerResponse r = engine.api().inspectContainerCmd(container).exec();
            Long c = r.getState().getExitCodeLong();
            return c == null ? 137 : c.intValue();
        } catch (RuntimeException e) {
            return 137;
        }
    }

    /** Removes sidecar, agent, network and volume; whatever fails is left for the orphan sweep. */
    private void teardown(DockerRun run) {
        try {
            if (run.logs != null) {
                run.logs.close();
            }
            DockerRemover remover = new DockerRemover(engine);
            if (run.sidecar != null) {
                attempt(() -> remover.removeContainer(run.sidecar), run, "sidecar");
            }
            if (run.agent != null) {
                attempt(() -> remover.removeContainer(run.agent), run, "agent");
            }
            if (run.network != null) {
                attempt(() -> remover.removeNetwork(run.network), run, "network");
            }
            if (run.volume != null) {
                attempt(() -> remover.removeVolume(run.volume), run, "volume");
            }
        } finally {
            runs.remove(run.runId);
            runsInFlight.remove(run.runId);
        }
    }

    private static void attempt(Runnable r, DockerRun run, String what) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("Could not remove the {} of run {}: {} (the next orphan sweep will)", what, run.runId, e.getMessage());
        }
    }

    @Override
    public boolean stop(String runId, Duration grace) {
        DockerRun run = runs.get(runId);
        String agent = run != null && run.agent != null ? run.agent : DockerLabels.AGENT_PREFIX + runId;
        if (!isRunning(agent)) {
            return false;
        }
        new DockerRemover(engine).stopContainer(agent, (int) Math.max(0, grace.toSeconds()));
        return true;
    }

    @Override
    public int cleanupOrphans(Set<String> keep) {
        if (!engine.status().available()) {
            return 0;
        }
        ActiveRuns active = runId -> keep.contains(runId) || runsInFlight.contains(runId);
        OrphanSweeper.Report r = new OrphanSweeper(new DockerInventory(engine, active, session),
                new DockerRemover(engine)).sweep();
        return r.containers();
    }

    private boolean isRunning(String container) {
        try {
            var state = engine.api().inspectContainerCmd(container).exec().getState();
            return Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting())
                    && !Boolean.TRUE.equals(state.getPaused());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void removeQuietly(String container) {
        try {
            new DockerRemover(engine).removeContainer(container);
        } catch (RuntimeException e) {
            LOG.debug("Could not remove container {}: {}", container, e.getMessage());
        }
    }

    /**
     * Drops the pool, lets teardowns of runs that just ended finish, then closes the relays. Runs still
     * going keep their containers (the next boot's sweep removes them). Idempotent.
     */
    @Override
    public void close() {
        images.close();
        pool.close();
        watchers.shutdown();
        try {
            watchers.awaitTermination(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        access.close();
    }
}
