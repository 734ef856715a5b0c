package dev.appstrate.server.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.appstrate.server.concurrent.NamedExecutors;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the Docker engine: one long-lived client for ordinary calls (bounded response
 * time) and one without a response timeout for follow-streams (logs, waits), plus a cached status
 * that says why Docker is unreachable and how to fix it. Creating it never fails: the server keeps
 * working without Docker. {@link #lastKnown()} never waits: /health answers from it while the
 * {@code docker-probe} threads ask the engine (docker-java's class loading stays off the first 200).
 */
public final class DockerEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);
    private static final Duration STATUS_TTL = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(90);
    /** A status probe gives up after this: an engine that accepts but never answers is reported, not waited on. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final DockerEndpoint endpoint;
    private final Clock clock;
    /** RUN_ADAPTER=docker: losing the engine stops runs (a warning); otherwise only the Docker pages miss it. */
    private final boolean runsNeedDocker;
    private volatile DockerClientConfig config;
    private volatile DockerClient api;
    private volatile DockerClient streams;
    private volatile DockerClient prober;
    /** Background probes and every probe's engine call (bounded by {@link #PROBE_TIMEOUT}); {@link #probing} keeps it to one background probe. */
    private final ExecutorService probes = NamedExecutors.cached("docker-probe");
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile DockerStatus status;
    private volatile Instant checkedAt = Instant.EPOCH;

    public DockerEngine(DockerEndpoint endpoint, Clock clock) {
        this(endpoint, clock, true);
    }

    public DockerEngine(DockerEndpoint endpoint, Clock clock, boolean runsNeedDocker) {
        this.endpoint = endpoint;
        this.clock = clock;
        this.runsNeedDocker = runsNeedDocker;
    }

    /** Whether runs execute in Docker (RUN_ADAPTER=docker). */
    public boolean runsNeedDocker() {
        return runsNeedDocker;
    }

    private DockerClientConfig config() {
        if (config == null) {
            config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(endpoint.uri().toString())
                    .withDockerTlsVerify(false)
                    .build();
        }
        return config;
    }

    private static DockerClient client(DockerClientConfig config, Duration responseTimeout, int maxConnections) {
        ZerodepDockerHttpClient.Builder b = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(maxConnections)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout != null) {
            b.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, b.build());
    }

    public DockerEndpoint endpoint() {
        return endpoint;
    }

    /** The client for ordinary calls. Does not check availability: use {@link #require()} for that. */
    public DockerClient api() {
        DockerClient c = api;
        if (c == null) {
            // created on first use: docker-java's start-up cost stays off the server's boot path
            synchronized (this) {
                if (api == null) {
                    api = client(config(), RESPONSE_TIMEOUT, 32);
                }
                c = api;
            }
        }
        return c;
    }

    /** The client for follow-streams (logs with follow, wait). */
    public DockerClient streams() {
        DockerClient c = streams;
        if (c == null) {
            synchronized (this) {
                if (streams == null) {
                    // follow-streams hold their connection for the container's lifetime: no response timeout
                    streams = client(config(), null, 128);
                }
                c = streams;
            }
        }
        return c;
    }

    /** The client for status probes: a short response timeout. */
    private DockerClient prober() {
        DockerClient c = prober;
        if (c == null) {
            synchronized (this) {
                if (prober == null) {
                    prober = client(config(), PROBE_TIMEOUT, 2);
                }
                c = prober;
            }
        }
        return c;
    }

    /**
     * The last probe's status without waiting (for /health): before the first probe finished, a missing or
     * unreadable socket is reported at once and anything else is "checking"; a stale status is re-probed
     * in the background.
     */
    public DockerStatus lastKnown() {
        DockerStatus s = status;
        if (s == null || clock.instant().isAfter(checkedAt.plus(STATUS_TTL))) {
            probeInBackground();
        }
        if (s != null) {
            return s;
        }
        DockerStatus socket = socketProblem();
        return socket != null ? socket : DockerStatus.checking(endpoint.toString());
    }

    /** Starts a probe on a {@code docker-probe} thread unless one is running; its failure is logged. */
    public void probeInBackground() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        try {
            probes.execute(() -> {
                try {
                    refresh();
                } catch (RuntimeException e) {
                    LOG.warn("Docker probe failed: {}", e.toString());
                } finally {
                    probing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            probing.set(false); // stopping: the status stays as it was
        }
    }

    /** The status, probed at most every few seconds (waits for a probe when stale: for callers that need Docker). */
    public DockerStatus status() {
        if (status == null || clock.instant().isAfter(checkedAt.plus(STATUS_TTL))) {
            return refresh();
        }
        return status;
    }

    /** Probes the engine now. */
    public synchronized DockerStatus refresh() {
        DockerStatus previous = status;
        DockerStatus now = probe();
        status = now;
        checkedAt = clock.instant();
        if (previous == null || previous.available() != now.available()) {
            if (now.available()) {
                LOG.info("Docker available host={} version={} api={}", now.host(), now.serverVersion(), now.apiVersion());
            } else if (runsNeedDocker) {
                LOG.warn("Docker unavailable host={} reason=\"{}\" hint=\"{}\"", now.host(), now.reason(), now.hint());
            } else {
                // the default process adapter runs agents without Docker: its absence is a fact, not a fault
                LOG.info("Docker unavailable host={} reason=\"{}\" hint=\"{}\"", now.host(), now.reason(), now.hint());
            }
        }
        return now;
    }

    /** The client when Docker answers; otherwise a {@link DockerUnavailableException} that says why. */
    public DockerClient require() {
        DockerStatus s = status();
        if (!s.available()) {
            s = refresh();
        }
        if (!s.available()) {
            throw new DockerUnavailableException(s);
        }
        return api();
    }

    private DockerStatus probe() {
        DockerStatus socketProblem = socketProblem();
        if (socketProblem != null) {
            return socketProblem;
        }
        String host = endpoint.toString();
        DockerClient c = prober();
        // docker-java's response timeout does not hold on a Unix socket: the wait is bounded here
        Future<Version> call = probes.submit(() -> c.versionCmd().exec());
        try {
            Version v = call.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return DockerStatus.up(host, v.getVersion(), v.getApiVersion());
        } catch (TimeoutException e) {
            call.cancel(true);
            discardProber(c);
            return DockerStatus.down(host, "Docker did not answer at " + host + " within " + PROBE_TIMEOUT.toSeconds() + " s",
                    "Check that the Docker engine is running (restart it if it hangs) and that DOCKER_HOST is right");
        } catch (ExecutionException e) {
            return failure(host, e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DockerStatus.down(host, "The Docker check was interrupted", "Try again");
        }
    }

    /** Closing the client ends its hung call (and its connection); the next probe opens a new one. */
    private synchronized void discardProber(DockerClient c) {
        if (prober == c) {
            prober = null;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing the Docker probe client: {}", e.toString());
        }
    }

    /** What the socket file alone says is wrong (no engine call, no docker-java), or null. */
    private DockerStatus socketProblem() {
        String host = endpoint.toString();
        Path socket = endpoint.socketPath();
        if (socket != null) {
            if (!Files.exists(socket)) {
                String where = endpoint.source().equals("DOCKER_HOST") ? "DOCKER_HOST points to " + socket
                        : "looked for " + String.join(", ", endpoint.tried());
                return DockerStatus.down(host, "No Docker socket found (" + where + ")",
                        "Start Docker (Docker Desktop, or 'sudo systemctl start docker' on Linux), or set DOCKER_HOST "
                                + "to your engine's socket, e.g. unix://$XDG_RUNTIME_DIR/docker.sock for rootless Docker");
            }
            if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
                return DockerStatus.down(host, "Permission denied on the Docker socket " + socket,
                        "Add your user to the 'docker' group ('sudo usermod -aG docker $USER', then log out and in "
                                + "again), or use rootless Docker and set DOCKER_HOST to its socket");
            }
        }
        return null;
    }

    private static DockerStatus failure(String host, RuntimeException e) {
        Throwable root = rootCause(e);
        String msg = String.valueOf(root.getMessage());
        if (root instanceof ConnectException || msg.contains("Connection refused") || msg.contains("ECONNREFUSED")) {
            return DockerStatus.down(host, "Nothing answers at " + host + " (the Docker engine is not running)",
                    "Start Docker (Docker Desktop, or 'sudo systemctl start docker' on Linux), or fix DOCKER_HOST");
        }
        if (msg.contains("Permission denied") || msg.contains("EACCES")) {
            return DockerStatus.down(host, "Permission denied on the Docker socket " + host,
                    "Add your user to the 'docker' group ('sudo usermod -aG docker $USER', then log out and in again)");
        }
        if (root instanceof java.net.SocketTimeoutException) {
            return DockerStatus.down(host, "Docker did not answer at " + host + " within " + PROBE_TIMEOUT.toSeconds() + " s",
                    "Check that the Docker engine is running (restart it if it hangs) and that DOCKER_HOST is right");
        }
        return DockerStatus.down(host, "Docker did not answer at " + host + ": "
                        + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage()),
                "Check that the Docker engine is running and that DOCKER_HOST is right");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    @Override
    public void close() throws IOException {
        probes.shutdownNow();
        try {
            if (prober != null) {
                prober.close();
            }
        } finally {
            closeClients();
        }
    }

    private void closeClients() throws IOException {
        try {
            if (streams != null) {
                streams.close();
            }
        } finally {
            if (api != null) {
                api.close();
            }
        }
    }
}
