package dev.appstrate.desktop.launch;

import dev.appstrate.desktop.concurrent.NamedExecutors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app per data folder: a lock file says who owns it, and a small loopback "activation" socket
 * lets a second launch ask the running one to bring its window forward instead of starting a second server.
 */
public final class SingleInstance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SingleInstance.class);
    static final String LOCK_FILE = "instance.lock";
    static final String PORT_FILE = "instance.port";
    private static final String ACTIVATE = "activate";
    private static final String QUITTING = "quitting";
    /** How long a launch waits for an instance that is quitting (or does not answer) to let the data folder go. */
    public static final Duration RELEASE_WAIT = Duration.ofSeconds(30);

    private final FileChannel channel;
    private final FileLock lock;
    private final ServerSocket socket;
    private final Path portFile;
    private final String nonce;
    private volatile Runnable onActivate = () -> { };
    private volatile boolean quitting;

    private SingleInstance(FileChannel channel, FileLock lock, ServerSocket socket, Path portFile, String nonce) {
        this.channel = channel;
        this.lock = lock;
        this.socket = socket;
        this.portFile = portFile;
        this.nonce = nonce;
    }

    /** Takes ownership of {@code dataDir}, or returns empty when another instance holds it. */
    public static Optional<SingleInstance> tryAcquire(Path dataDir) throws IOException {
        OwnerOnlyFiles.createDirectories(dataDir);
        FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        String nonce = HexFormat.of().formatHex(b);
        Path portFile = dataDir.resolve(PORT_FILE);
        // the nonce keeps other local programs from poking the window; the file is owner-only
        OwnerOnlyFiles.write(portFile, (socket.getLocalPort() + " " + nonce + "\n").getBytes(StandardCharsets.UTF_8));
        SingleInstance instance = new SingleInstance(channel, lock, socket, portFile, nonce);
        NamedExecutors.startDaemon("single-instance-activation", instance::acceptLoop);
        return Optional.of(instance);
    }

    /**
     * Takes ownership of {@code dataDir} once the instance holding it lets go (it is quitting), trying every 100 ms for
     * up to {@code patience}; empty if it still holds it then.
     */
    public static Optional<SingleInstance> acquireWithin(Path dataDir, Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<SingleInstance> mine = tryAcquire(dataDir);
            if (mine.isPresent() || System.nanoTime() > deadline) {
                return mine;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * Asks the instance that owns {@code dataDir} to come forward; true when it did. False at once when it is quitting
     * (its window is gone and it holds the folder only until its server has stopped), or after ~2 s of no answer.
     */
    public static boolean activateRunning(Path dataDir) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                String[] parts = Files.readString(dataDir.resolve(PORT_FILE), StandardCharsets.UTF_8).trim().split(" ");
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(parts[0])), 1000);
                    s.setSoTimeout(2000);
                    OutputStream out = s.getOutputStream();
                    out.write((ACTIVATE + " " + parts[1] + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    if ("ok".equals(reply)) {
                        return true;
                    }
                    if (QUITTING.equals(reply)) {
                        return false;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the running instance may still be writing its port file: retry briefly
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Whether this instance still owns the data folder (its lock is valid). */
    public boolean held() {
        return lock.isValid();
    }

    public void onActivate(Runnable action) {
        this.onActivate = action;
    }

    /** The app is quitting: a launch now is told so, and waits for the lock, instead of being sent to a window that is gone. */
    public void quitting() {
        this.quitting = true;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(2000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                boolean valid = (ACTIVATE + " " + nonce).equals(line);
                boolean leaving = valid && quitting;
                s.getOutputStream().write((leaving ? QUITTING + "\n" : valid ? "ok\n" : "no\n").getBytes(StandardCharsets.UTF_8));
                if (valid && !leaving) {
                    LOG.info("Second launch detected: bringing the window forward");
                    onActivate.run();
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.debug("Activation connection failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                LOG.warn("Activation handler failed", e);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            Files.deleteIfExists(portFile);
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.debug("Releasing the instance lock failed: {}", e.toString());
        }
    }
}
