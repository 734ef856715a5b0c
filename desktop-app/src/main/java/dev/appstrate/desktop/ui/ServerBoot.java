package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ServerConnect;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.launch.LaunchProblem;
import dev.appstrate.desktop.settings.DesktopSettings;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Off the FX thread: start the embedded server or reach a remote one, connect, pick the application to work in. */
final class ServerBoot {
    private static final Logger LOG = LoggerFactory.getLogger(ServerBoot.class);

    private ServerBoot() {
    }

    /** What a boot produced: the client, what connecting found, and the embedded server when there is one. */
    record Booted(AppstrateClient client, ServerConnect.Result connection, EmbeddedServer server) {
        void stopQuietly() {
            client.close();
            if (server != null) {
                server.stop();
            }
        }
    }

    static Booted connect(DesktopSettings settings, Map<String, String> env, Path dataDir) throws LaunchProblem {
        ServerEndpoint endpoint;
        EmbeddedServer embedded = null;
        if (settings.mode() == DesktopSettings.Mode.REMOTE && !settings.remoteUrl().isBlank()) {
            endpoint = new ServerEndpoint(settings.remoteUrl(), settings.remoteApiKey(), false);
        } else {
            embedded = EmbeddedServer.start(env, settings.serverOverrides(), dataDir);
            endpoint = new ServerEndpoint(embedded.url(), embedded.ownerToken().orElse(""), true);
        }
        AppstrateClient c = new AppstrateClient(endpoint);
        ServerConnect.Result connection;
        try {
            connection = ServerConnect.connect(c);
            c.applicationId(chooseApplication(c, settings.applicationId()));
        } catch (RuntimeException e) {
            c.close();
            if (embedded != null) {
                embedded.stop();
            }
            throw e;
        }
        return new Booted(c, connection, embedded);
    }

    /** The saved application if it still exists, else the default one (see ServerConnect); null when the list cannot be read. */
    static String chooseApplication(AppstrateClient c, String saved) {
        try {
            return ServerConnect.chooseApplication(c, saved);
        } catch (ApiProblem p) {
            if (!c.endpoint().apiKey()) {
                LOG.info("No applications list on this server ({}); app-scoped screens may ask for one", p.detail());
            }
            return null;
        }
    }
}
