package dev.appstrate.server.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the Docker engine: one long-lived client for ordinary calls (bounded response
 * time) and one without a response timeout for follow-streams (logs, waits), plus a cached status
 * that says why Docker is unreachable and how to fix it. Creating it never fails: the server keeps
 * working without Docker.
 */
public final class DockerEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);
    private static final Duration STATUS_TTL = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(90);

    private final DockerEndpoint endpoint;
    private final Clock clock;
    private volatile DockerClientConfig config;
    private volatile DockerClient api;
    private volatile DockerClient streams;
    private volatile DockerStatus status;
    private volatile Instant checkedAt = Instant.EPOCH;

    public DockerEngine(DockerEndpoint endpoint, Clock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
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

    /** The status, probed at most every few seconds. */
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
            } else {
                LOG.warn("Docker unavailable host={} reason=\"{}\" hint=\"{}\"", now.host(), now.reason(), now.hint());
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
        try {
            Version v = api().versionCmd().exec();
            return DockerStatus.up(host, v.getVersion(), v.getApiVersion());
        } catch (RuntimeException e) {
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
            return DockerStatus.down(host, "Docker did not answer at " + host + ": "
                            + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage()),
                    "Check that the Docker engine is running and that DOCKER_HOST is right");
        }
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
