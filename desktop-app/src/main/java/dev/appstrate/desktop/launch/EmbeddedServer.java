package dev.appstrate.desktop.launch;

import dev.appstrate.server.AppstrateServer;
import dev.appstrate.server.BindFailedException;
import dev.appstrate.server.DataFolderInUseException;
import dev.appstrate.server.config.ConfigException;
import dev.appstrate.server.config.EnvConfigLoader;
import dev.appstrate.server.config.ServerConfig;
import dev.appstrate.server.logging.LogSetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Appstrate server running inside the desktop process. Only the launcher API is used here;
 * everything else talks to it over HTTP like any remote client.
 */
public final class EmbeddedServer implements AutoCloseable {
    static final String OWNER_TOKEN_FILE = "owner-token";
    /** Where a running embedded server says its address, so {@code appstrate run} can use it instead of starting another. */
    public static final String URL_FILE = "server-url";

    private final AppstrateServer server;
    private final Path dataDir;
    private final Map<String, String> env;
    private final String runAdapter;

    private EmbeddedServer(AppstrateServer server, Path dataDir, Map<String, String> env, String runAdapter) {
        this.server = server;
        this.dataDir = dataDir;
        this.env = env;
        this.runAdapter = runAdapter;
    }

    /** Prepares secrets and environment for {@code dataDir} and starts the server; blocks until it is ready. */
    public static EmbeddedServer start(Map<String, String> realEnv, Path dataDir) throws LaunchProblem {
        return start(realEnv, Map.of(), dataDir);
    }

    /** As {@link #start(Map, Path)}, with the user's saved server settings layered under the real environment. */
    public static EmbeddedServer start(Map<String, String> realEnv, Map<String, String> savedSettings, Path dataDir)
            throws LaunchProblem {
        Map<String, String> secrets;
        try {
            OwnerOnlyFiles.createDirectories(dataDir);
            secrets = FirstLaunchSecrets.loadOrCreate(dataDir);
        } catch (IOException e) {
            throw new LaunchProblem("The data folder cannot be used",
                    List.of(dataDir + ": " + e.getMessage()),
                    "Make the folder writable for your user, or set DATA_DIR to another folder, then start again.", e);
        }
        Map<String, String> env = ServerEnvironment.merge(realEnv, secrets, savedSettings, dataDir);
        ServerConfig config;
        try {
            config = EnvConfigLoader.load(env);
        } catch (ConfigException e) {
            throw new LaunchProblem("The server configuration is invalid", e.problems(),
                    "These values come from environment variables, which override the app's own settings, or from "
                            + dataDir.resolve(FirstLaunchSecrets.FILE_NAME) + ". Correct or unset the variables listed "
                            + "(or delete a bad line from that file to have it generated again), then start the app again.", e);
        }
        // LOG_LEVEL as the standalone server applies it (the terminal command sets warn to keep its stderr for the agent's log)
        LogSetup.level(config.logLevel());
        AppstrateServer server = new AppstrateServer(config, Clock.systemUTC());
        try {
            server.start();
        } catch (BindFailedException e) {
            throw new LaunchProblem("The server cannot listen on its port", List.of(e.getMessage()),
                    "Unset PORT to let the app pick a free port, or choose a port no other program uses.", e);
        } catch (DataFolderInUseException e) {
            throw new LaunchProblem("Another Appstrate server is using this data folder", List.of(e.getMessage()),
                    "Close the other Appstrate window or stop that server (pid " + e.holderPid() + ", port "
                            + e.holderPort() + "), then start again; or set DATA_DIR to another folder.", e);
        } catch (RuntimeException e) {
            throw new LaunchProblem("The server failed to start", List.of(String.valueOf(e.getMessage())),
                    "Check that the data folder " + config.storage().dataDir() + " is writable and not used by another "
                            + "Appstrate server, then start again.", e);
        }
        EmbeddedServer started = new EmbeddedServer(server, config.storage().dataDir(), env, config.runner().adapter());
        started.writeUrlFile();
        return started;
    }

    private void writeUrlFile() {
        try {
            OwnerOnlyFiles.write(dataDir.resolve(URL_FILE), (url() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // only a convenience for the terminal command, which then starts its own server
            org.slf4j.LoggerFactory.getLogger(EmbeddedServer.class).warn("Cannot write {} error={}", URL_FILE, e.toString());
        }
    }

    /** The address a server running on {@code dataDir} wrote, if any (it may have stopped since). */
    public static Optional<String> runningUrl(Path dataDir) {
        try {
            Path f = dataDir.resolve(URL_FILE);
            return Files.isRegularFile(f) ? Optional.of(Files.readString(f, StandardCharsets.UTF_8).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** "process" or "docker", as configured. */
    public String runAdapter() {
        return runAdapter;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The owner credential: APPSTRATE_OWNER_TOKEN when set, else the one the server generated in its data folder. */
    public Optional<String> ownerToken() {
        String fromEnv = env.get("APPSTRATE_OWNER_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv);
        }
        Path file = dataDir.resolve(OWNER_TOKEN_FILE);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void join() throws InterruptedException {
        server.join();
    }

    public void stop() {
        stop(null);
    }

    /** Stops giving in-flight requests {@code grace} (null: the server's own 10 s) to finish. */
    public void stop(java.time.Duration grace) {
        try {
            Files.deleteIfExists(dataDir.resolve(URL_FILE));
        } catch (IOException e) {
            // a stale file is harmless: the terminal command checks that the address answers
        }
        if (grace == null) {
            server.stop();
        } else {
            server.stop(grace);
        }
    }

    /** The grace the server's stop gave in-flight requests; empty until it stops. */
    public Optional<java.time.Duration> stoppedWith() {
        return server.stoppedWith();
    }

    @Override
    public void close() {
        stop();
    }
}
