package dev.appstrate.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real redis-server of one test's own (Debian's redis-server, which .ci/run installs), on a free loopback port with its
 * own folder, that the test may stop and start again: for what the server does while Redis is down.
 */
public final class OwnRedis implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    private OwnRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static OwnRedis start(Path dir) {
        OwnRedis r = new OwnRedis(dir, freePort());
        r.start();
        return r;
    }

    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** Starts it (again, on the same port) and returns once it accepts connections. */
    public void start() {
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("redis-server could not be started (apt-get install redis-server; .ci/run installs it): "
                    + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!accepts()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("redis-server did not start on port " + port + "; see " + dir.resolve("redis.log"));
            }
            Thread.onSpinWait();
        }
    }

    /** Stops it (SIGTERM: it closes every client connection) and waits for the process to end. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
