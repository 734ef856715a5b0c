package dev.appstrate.desktop.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.launch.LaunchProblem;
import dev.appstrate.desktop.launch.SingleInstance;
import dev.appstrate.desktop.settings.DesktopSettings;
import dev.appstrate.desktop.settings.SettingsStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JavaFX application: a splash while the embedded server boots (or the remote one is reached),
 * then the main window. Started by {@link dev.appstrate.desktop.Launcher}, never as the main class.
 */
public final class DesktopApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopApp.class);
    private static Path launchDataDir;
    private static SingleInstance launchInstance;
    private static Map<String, String> launchEnv = System.getenv();

    private Stage stage;
    private Stage splash;
    private EmbeddedServer server;
    private AppstrateClient client;
    private AppShell shell;

    /** Called by the launcher: hands over the data folder and the single-instance lock, then blocks until exit. */
    public static void launch(Path dataDir, SingleInstance instance) {
        launchDataDir = dataDir;
        launchInstance = instance;
        Application.launch(DesktopApp.class);
    }

    @Override
    public void start(Stage primary) {
        this.stage = primary;
        stage.setTitle("Appstrate Desktop");
        WindowIcons.applyTo(stage);
        if (launchInstance != null) {
            launchInstance.onActivate(() -> Platform.runLater(this::bringForward));
        }
        boot();
    }

    private void boot() {
        SettingsStore store = new SettingsStore(launchDataDir);
        DesktopSettings settings = store.load();
        showSplash(settings.mode() == DesktopSettings.Mode.REMOTE
                ? "Connecting to " + settings.remoteUrl() + "…" : "Starting the Appstrate server…");
        Tasks.create(() -> connect(settings))
                .onSuccess(c -> showMain(c, store))
                .onError(this::failedToStart)
                .start();
    }

    /** Off the FX thread: start or reach the server, then pick the application to work in. */
    private AppstrateClient connect(DesktopSettings settings) throws LaunchProblem {
        ServerEndpoint endpoint;
        if (settings.mode() == DesktopSettings.Mode.REMOTE && !settings.remoteUrl().isBlank()) {
            endpoint = new ServerEndpoint(settings.remoteUrl(), settings.remoteApiKey(), false);
        } else {
            server = EmbeddedServer.start(launchEnv, settings.serverOverrides(), launchDataDir);
            endpoint = new ServerEndpoint(server.url(), server.ownerToken().orElse(""), true);
        }
        AppstrateClient c = new AppstrateClient(endpoint);
        c.health();
        c.applicationId(chooseApplication(c, settings.applicationId()));
        return c;
    }

    /** The saved application if it still exists, else the default one; null when the server has no applications API. */
    static String chooseApplication(AppstrateClient c, String saved) {
        if (c.endpoint().apiKey()) {
            return null;
        }
        try {
            JsonNode apps = c.applications().path("data");
            String first = null;
            String byDefault = null;
            for (JsonNode a : apps) {
                String id = a.path("id").asText();
                if (id.equals(saved)) {
                    return id;
                }
                first = first == null ? id : first;
                byDefault = a.path("isDefault").asBoolean(false) ? id : byDefault;
            }
            return byDefault != null ? byDefault : first;
        } catch (ApiProblem p) {
            LOG.info("No applications list on this server ({}); app-scoped screens may ask for one", p.detail());
            return null;
        }
    }

    private void showMain(AppstrateClient c, SettingsStore store) {
        this.client = c;
        DesktopContext ctx = new DesktopContext(c, store, launchDataDir);
        ctx.localRunAdapter(server == null ? null : server.runAdapter());
        ctx.restartAction(this::restart);
        shell = new AppShell(ctx);
        Scene scene = new Scene(shell.root(), 1240, 800);
        Theme.of(ctx.settings().get().theme()).applyTo(scene);
        shell.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        closeSplash();
        shell.show(PageId.DASHBOARD);
        Welcome.offerModelSetup(ctx);
    }

    private void failedToStart(Throwable t) {
        closeSplash();
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.setTitle("Appstrate Desktop cannot start");
        if (t instanceof LaunchProblem p) {
            alert.setHeaderText(p.title());
            Label fix = new Label(p.fix());
            fix.setWrapText(true);
            TextArea problems = new TextArea(String.join("\n", p.problems()));
            problems.setEditable(false);
            problems.setWrapText(true);
            problems.setPrefRowCount(Math.min(8, p.problems().size() + 1));
            VBox box = new VBox(8, problems, fix);
            box.setPrefWidth(560);
            alert.getDialogPane().setContent(box);
        } else {
            alert.setHeaderText("The server could not be reached");
            alert.setContentText(Notifier.describe(t)
                    + "\n\nCheck the server address and API key in settings.properties, or remove it to use the embedded server.");
        }
        alert.getButtonTypes().setAll(ButtonType.CLOSE);
        LOG.error("Start-up failed: {}", t.getMessage());
        alert.showAndWait();
        Platform.exit();
    }

    private void showSplash(String text) {
        ProgressIndicator p = new ProgressIndicator();
        Label l = new Label(text);
        l.setId("splash-text");
        VBox box = new VBox(16, p, l);
        box.setAlignment(Pos.CENTER);
        box.setPrefSize(380, 200);
        splash = new Stage();
        splash.setTitle("Appstrate Desktop");
        WindowIcons.applyTo(splash);
        Scene s = new Scene(box);
        Theme.LIGHT.applyTo(s);
        splash.setScene(s);
        splash.show();
    }

    private void closeSplash() {
        if (splash != null) {
            splash.close();
            splash = null;
        }
    }

    private void bringForward() {
        if (stage != null) {
            stage.setIconified(false);
            stage.show();
            stage.toFront();
            stage.requestFocus();
        }
    }

    /** Stops everything and boots again with the saved settings (port, adapter, remote server…). */
    private void restart() {
        stage.hide();
        Tasks.run(this::stopServer).onSuccess(v -> boot()).start();
    }

    private void stopServer() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void stop() {
        stopServer();
        if (launchInstance != null) {
            launchInstance.close();
        }
    }

    /** For tests: the environment the embedded server boots with. */
    static void environment(Map<String, String> env, Path dataDir) {
        launchEnv = env;
        launchDataDir = dataDir;
    }

}
