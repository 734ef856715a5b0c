package dev.appstrate.desktop.launch;

import dev.appstrate.desktop.settings.SettingsStore;
import dev.appstrate.server.config.EnvConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/** {@code --headless}: the same embedded server, no window, until SIGTERM or Ctrl+C. */
public final class HeadlessServer {
    private HeadlessServer() {
    }

    /**
     * The saved settings, and the server's own event-route warm-up, which the app's embedded server turns off for the
     * window's first paint (ServerEnvironment): a headless server has no window, and its first run's events are the
     * ones the warm-up is for (the installed appstrate-server is this launcher). The environment still wins.
     */
    static Map<String, String> headlessSettings(Map<String, String> saved) {
        Map<String, String> settings = new HashMap<>(saved);
        settings.putIfAbsent(ServerEnvironment.EVENT_ROUTE_WARMUP, String.valueOf(EnvConfigLoader.EVENT_ROUTE_WARMUP_DEFAULT));
        return settings;
    }

    /** Runs until stopped; returns the process exit code. */
    public static int run(Map<String, String> env, Path dataDir, PrintStream out) {
        Optional<SingleInstance> instance;
        try {
            instance = SingleInstance.tryAcquire(dataDir);
        } catch (IOException e) {
            out.println("The data folder " + dataDir + " cannot be used: " + e.getMessage()
                    + ". Set DATA_DIR to a writable folder.");
            return 1;
        }
        if (instance.isEmpty()) {
            out.println("Another Appstrate Desktop is already running with the data folder " + dataDir
                    + ". Stop it first, or set DATA_DIR to another folder.");
            return 1;
        }
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(env, headlessSettings(new SettingsStore(dataDir).load().serverOverrides()), dataDir);
        } catch (LaunchProblem p) {
            out.println(p.describe());
            instance.get().close();
            return 1;
        }
        out.println("Appstrate server ready at " + server.url() + " (data folder: " + server.dataDir() + ")");
        AtomicBoolean exiting = new AtomicBoolean();
        Runnable graceful = () -> {
            if (exiting.compareAndSet(false, true)) {
                server.stop();
                instance.get().close();
            }
        };
        // SIGTERM/SIGINT are a normal stop: stop gracefully, then main returns 0
        Signal.handle(new Signal("TERM"), s -> new Thread(graceful, "shutdown").start());
        Signal.handle(new Signal("INT"), s -> new Thread(graceful, "shutdown").start());
        Runtime.getRuntime().addShutdownHook(new Thread(graceful, "shutdown-hook"));
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            graceful.run();
        }
        return 0;
    }
}
