package dev.appstrate.desktop.cli;

import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ServerConnect;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.launch.LaunchProblem;
import dev.appstrate.desktop.launch.SingleInstance;
import dev.appstrate.desktop.settings.SettingsStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server a terminal command talks to: {@code --server}/APPSTRATE_URL when given; else the desktop app's
 * own server when it is running on the app's data folder; else an embedded server started for the call on
 * that same folder — so the models set up in the app work and the run shows in the app's history.
 */
final class ServerConnection implements AutoCloseable {
    private final AppstrateClient client;
    private final EmbeddedServer embedded;
    private final SingleInstance lock;

    private ServerConnection(AppstrateClient client, EmbeddedServer embedded, SingleInstance lock) {
        this.client = client;
        this.embedded = embedded;
        this.lock = lock;
    }

    /** Why no server could be used; the message says what to do. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    AppstrateClient client() {
        return client;
    }

    static ServerConnection open(CommandLine cmd, Map<String, String> env, Path dataDir, PrintStream err) {
        if (cmd.server() != null) {
            AppstrateClient c = new AppstrateClient(new ServerEndpoint(cmd.server(), cmd.apiKey(), false));
            c.applicationId(chooseApplication(c, cmd.applicationId()));
            return new ServerConnection(c, null, null);
        }
        Optional<SingleInstance> instance;
        try {
            instance = SingleInstance.tryAcquire(dataDir);
        } catch (IOException e) {
            throw new Unavailable("The data folder " + dataDir + " cannot be used: " + e.getMessage()
                    + ". Set DATA_DIR to a writable folder, or pass --server URL --api-key KEY.");
        }
        if (instance.isEmpty()) {
            return attachToRunning(cmd, dataDir);
        }
        Map<String, String> serverEnv = new HashMap<>(env);
        // the agent's log is what the terminal shows; the server's own info lines would drown it
        serverEnv.putIfAbsent("LOG_LEVEL", "warn");
        try {
            EmbeddedServer server = EmbeddedServer.start(serverEnv, new SettingsStore(dataDir).load().serverOverrides(), dataDir);
            AppstrateClient c = new AppstrateClient(new ServerEndpoint(server.url(), server.ownerToken().orElse(""), true));
            c.applicationId(chooseApplication(c, cmd.applicationId() != null ? cmd.applicationId()
                    : new SettingsStore(dataDir).load().applicationId()));
            return new ServerConnection(c, server, instance.get());
        } catch (LaunchProblem p) {
            instance.get().close();
            throw new Unavailable(p.describe());
        }
    }

    /** The desktop app (or --headless) holds the data folder: use its server with the owner credential from that folder. */
    private static ServerConnection attachToRunning(CommandLine cmd, Path dataDir) {
        Optional<String> url = EmbeddedServer.runningUrl(dataDir);
        String token = env(dataDir.resolve("owner-token"));
        if (url.isEmpty() || token.isEmpty()) {
            throw new Unavailable("Appstrate Desktop is running with the data folder " + dataDir
                    + " but does not say where its server is. Pass --server URL --api-key KEY, or set DATA_DIR to another folder.");
        }
        AppstrateClient c = new AppstrateClient(new ServerEndpoint(url.get(), token, true));
        c.applicationId(chooseApplication(c, cmd.applicationId() != null ? cmd.applicationId()
                : new SettingsStore(dataDir).load().applicationId()));
        return new ServerConnection(c, null, null);
    }

    private static String env(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The requested application, else the saved one if it exists, else the default one (see ServerConnect); none for an API key (pinned). */
    static String chooseApplication(AppstrateClient c, String wanted) {
        if (c.endpoint().apiKey()) {
            return null;
        }
        try {
            return ServerConnect.chooseApplication(c, wanted);
        } catch (ApiProblem p) {
            if (p.status() == 0) {
                throw new Unavailable(p.detail());
            }
            return wanted;
        }
    }

    @Override
    public void close() {
        client.close();
        if (embedded != null) {
            embedded.stop();
        }
        if (lock != null) {
            lock.close();
        }
    }
}
