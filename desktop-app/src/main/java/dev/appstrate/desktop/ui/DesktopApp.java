package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ConnectProblem;
import dev.appstrate.desktop.client.SchedulesApi;
import dev.appstrate.desktop.client.ServerConnect;
import dev.appstrate.desktop.concurrent.NamedExecutors;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.launch.LaunchProblem;
import dev.appstrate.desktop.launch.SingleInstance;
import dev.appstrate.desktop.settings.DesktopSettings;
import dev.appstrate.desktop.settings.SettingsStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JavaFX application: one main window from the first frame to the last. It shows start-up progress while the
 * embedded server boots (the boot began before JavaFX did, see {@link #launch}), then the app; a restart swaps
 * the progress back in, so the window, and the single-instance lock, stay for the whole life of the process.
 * Started by {@link dev.appstrate.desktop.Launcher}, never as the main class.
 */
public final class DesktopApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopApp.class);
    static final String TITLE = "Appstrate Desktop";
    private static final ExecutorService BOOT = NamedExecutors.namedDaemonPool("server-boot", 1);
    private static Path launchDataDir;
    private static SingleInstance launchInstance;
    private static Map<String, String> launchEnv = System.getenv();
    /** The first boot, started before the FX toolkit so both start in parallel. */
    private static CompletableFuture<ServerBoot.Booted> earlyBoot;
    /** {@code --server}: URL and key for the first boot only (null: the saved settings). */
    private static String[] launchServer;

    private Stage stage;
    private Scene scene;
    private final Label progressText = new Label();
    private volatile EmbeddedServer server;
    private volatile AppstrateClient client;
    private AppShell shell;
    private SettingsStore store;
    private WindowPlacement normalPlacement;
    private boolean closing;
    /** Enabled schedules as last seen, so that closing needs no request and the window goes at once. */
    private volatile int enabledSchedules;
    private final javafx.animation.Timeline scheduleWatch = new javafx.animation.Timeline(
            new javafx.animation.KeyFrame(javafx.util.Duration.seconds(15), e -> refreshScheduleCount()));
    private Runnable exit = Platform::exit;

    /** Called by the launcher: hands over the data folder and the single-instance lock, then blocks until exit. */
    public static void launch(Path dataDir, SingleInstance instance) {
        launch(dataDir, instance, null, null);
    }

    /**
     * The same, connected to {@code serverUrl} with {@code apiKey} for this launch ({@code --server URL}, the key from
     * {@code APPSTRATE_API_KEY}) whatever Settings say; a restart from Settings uses the saved choice again.
     */
    public static void launch(Path dataDir, SingleInstance instance, String serverUrl, String apiKey) {
        launchDataDir = dataDir;
        launchInstance = instance;
        launchServer = serverUrl == null ? null : new String[] {serverUrl, apiKey == null ? "" : apiKey};
        DesktopSettings settings = launchSettings(new SettingsStore(dataDir).load());
        earlyBoot = boot(settings);
        Application.launch(DesktopApp.class);
    }

    /** For tests: boots as a launch would, on {@code stage}, holding {@code instance} (may be null). */
    static DesktopApp startFor(Stage stage, Map<String, String> env, Path dataDir, SingleInstance instance) {
        launchEnv = env;
        launchDataDir = dataDir;
        launchInstance = instance;
        earlyBoot = null;
        DesktopApp app = new DesktopApp();
        app.exit = () -> { };
        app.start(stage);
        return app;
    }

    @Override
    public void start(Stage primary) {
        this.stage = primary;
        // the app decides when to exit: hiding the window (background mode, close) must not end the FX thread
        Platform.setImplicitExit(false);
        store = new SettingsStore(launchDataDir);
        DesktopSettings settings = launchSettings(store.load());
        launchServer = null;
        stage.setTitle(TITLE + " — starting…");
        WindowIcons.applyTo(stage);
        progressText.setId("startup-text");
        scene = new Scene(progressView(), WindowPlacement.DEFAULT_WIDTH, WindowPlacement.DEFAULT_HEIGHT);
        Theme theme = Theme.of(settings.theme());
        theme.applyTo(scene);
        scene.setFill(theme == Theme.DARK ? Color.web("#1d2026") : Color.web("#f7f8fa")); // never a white flash
        stage.setScene(scene);
        WindowPlacement.restore(stage, WindowPlacement.load(launchDataDir));
        trackNormalPlacement();
        scheduleWatch.setCycleCount(javafx.animation.Animation.INDEFINITE);
        // a schedule saved in a dialog is counted when the main window gets the focus back
        stage.focusedProperty().addListener((o, was, is) -> refreshScheduleCount());
        stage.setOnCloseRequest(e -> {
            e.consume();
            requestClose();
        });
        if (launchInstance != null) {
            launchInstance.onActivate(() -> Platform.runLater(this::bringForward));
        }
        stage.show();
        stage.toFront();
        stage.requestFocus();
        CompletableFuture<ServerBoot.Booted> first = earlyBoot != null ? earlyBoot : boot(settings);
        earlyBoot = null;
        await(first, settings);
    }

    private static CompletableFuture<ServerBoot.Booted> boot(DesktopSettings settings) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ServerBoot.connect(settings, launchEnv, launchDataDir);
            } catch (LaunchProblem p) {
                throw new CompletionException(p);
            }
        }, BOOT);
    }

    private static DesktopSettings launchSettings(DesktopSettings saved) {
        return launchServer == null ? saved
                : saved.withRemote(DesktopSettings.Mode.REMOTE, launchServer[0], launchServer[1]);
    }

    private void await(CompletableFuture<ServerBoot.Booted> boot, DesktopSettings settings) {
        progressText.setText(settings.mode() == DesktopSettings.Mode.REMOTE
                ? "Connecting to " + settings.remoteUrl() + "…" : "Starting the Appstrate server…");
        boot.whenComplete((b, e) -> Platform.runLater(() -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof ConnectProblem p && settings.mode() == DesktopSettings.Mode.REMOTE && !closing) {
                notConnected(p, settings);
            } else if (e != null) {
                failedToStart(cause);
            } else if (closing) {
                b.stopQuietly();
            } else {
                server = b.server();
                showMain(b.client(), b.connection());
            }
        }));
    }

    /** A remote server refused or could not be reached: say why once, in the window, with the fields to fix it. */
    private void notConnected(ConnectProblem p, DesktopSettings tried) {
        LOG.warn("Connecting to the remote server failed url={} problem={}", tried.remoteUrl(), p.title());
        stage.setTitle(TITLE + " — not connected");
        scene.getAccelerators().clear();
        scene.setRoot(ConnectProblemView.build(p, tried, next -> {
            try {
                store.save(next);
            } catch (java.io.IOException e) {
                LOG.warn("Saving settings failed path={} error={}", store.file(), e.toString());
            }
            scene.setRoot(progressView());
            stage.setTitle(TITLE + " — starting…");
            await(boot(next), next);
        }, this::quit));
    }

    private void showMain(AppstrateClient c, ServerConnect.Result connection) {
        this.client = c;
        DesktopContext ctx = new DesktopContext(c, store, launchDataDir);
        ctx.connection(connection);
        ctx.localRunAdapter(server == null ? null : server.runAdapter());
        ctx.restartAction(this::restart);
        shell = new AppShell(ctx);
        Theme theme = Theme.of(ctx.settings().get().theme());
        theme.applyTo(scene);
        scene.getAccelerators().clear();
        shell.installShortcuts(scene);
        scene.setRoot(shell.root());
        shell.show(PageId.DASHBOARD);
        stage.setTitle(TITLE); // the plain title says the app is ready (bench/desktop-window.sh waits for it)
        // the keyboard goes to the window (and its first control) at launch and after a restart
        stage.toFront();
        stage.requestFocus();
        shell.root().requestFocus();
        Welcome.offerModelSetup(ctx);
        refreshScheduleCount();
        scheduleWatch.play();
    }

    void refreshScheduleCount() {
        AppstrateClient c = client;
        if (c == null || server == null || closing) {
            return;
        }
        Tasks.create(() -> countEnabledSchedules(c))
                .onSuccess(n -> enabledSchedules = n)
                .onError(e -> LOG.debug("Counting schedules failed: {}", e.toString()))
                .start();
    }

    /** The view shown while the server starts or restarts: a spinner and what is happening, in the theme's colours. */
    private VBox progressView() {
        ProgressIndicator p = new ProgressIndicator();
        p.setId("startup-progress");
        p.setMaxSize(48, 48);
        VBox box = new VBox(16, p, progressText);
        box.setAlignment(Pos.CENTER);
        box.setId("startup-view");
        return box;
    }

    private void failedToStart(Throwable t) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        DialogFit.apply(alert, stage);
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
        progressText.setText("Appstrate Desktop cannot start.");
        alert.showAndWait();
        quit();
    }

    private void bringForward() {
        if (stage != null && !closing) {
            stage.setIconified(false);
            stage.show();
            stage.toFront();
            stage.requestFocus();
        }
    }

    /** Stops everything and boots again with the saved settings (port, adapter, remote server…), in the same window. */
    void restart() {
        scheduleWatch.stop();
        if (shell != null) {
            shell.close();
            shell = null;
        }
        progressText.setText("Restarting the Appstrate server…");
        stage.setTitle(TITLE + " — restarting…");
        scene.getAccelerators().clear();
        scene.setRoot(progressView());
        DesktopSettings settings = store.load();
        CompletableFuture<ServerBoot.Booted> next = CompletableFuture.runAsync(this::stopServer, BOOT).thenCompose(v -> boot(settings));
        await(next, settings);
    }

    /** The window closes at once; schedules (which only fire while the app runs) are mentioned first. */
    private void requestClose() {
        if (client == null || server == null || enabledSchedules == 0) {
            quit();
        } else {
            askKeepRunning(enabledSchedules);
        }
    }

    private static int countEnabledSchedules(AppstrateClient c) {
        return (int) new SchedulesApi(c).list().stream().filter(SchedulesApi.Schedule::enabled).count();
    }

    private void askKeepRunning(int schedules) {
        CloseDialog.ask(stage, schedules, () -> {
            saveWindowPlacement();
            stage.hide();
            LOG.info("Window closed; the server keeps running in the background schedules={}", schedules);
        }, this::quit);
    }

    /** Hides the window at once, then stops the server behind it and exits. */
    void quit() {
        if (closing) {
            return;
        }
        closing = true;
        java.util.Optional.ofNullable(launchInstance).ifPresent(SingleInstance::quitting); // a launch now waits for the lock
        scheduleWatch.stop();
        saveWindowPlacement();
        stage.hide();
        if (shell != null) {
            shell.close();
        }
        // behind the hidden window, bounded: a model call in flight held Jetty's graceful stop for its whole 10 s, and the
        // process (with the data folder's lock, so a launch meanwhile only said "already running") for 11 s
        CompletableFuture.runAsync(() -> stopServer(QUIT_GRACE), BOOT).whenComplete((v, e) -> exit.run());
    }

    /** What a quit gives in-flight requests: the runs still in flight are failed at the next start (boot recovery) either way. */
    static final java.time.Duration QUIT_GRACE = java.time.Duration.ofSeconds(1);

    private void trackNormalPlacement() {
        javafx.beans.InvalidationListener track = o -> {
            if (!stage.isMaximized() && !stage.isIconified() && stage.isShowing()) {
                normalPlacement = WindowPlacement.of(stage);
            }
        };
        stage.xProperty().addListener(track);
        stage.yProperty().addListener(track);
        stage.widthProperty().addListener(track);
        stage.heightProperty().addListener(track);
    }

    void saveWindowPlacement() {
        if (!stage.isShowing()) {
            return;
        }
        WindowPlacement p = normalPlacement != null ? normalPlacement : WindowPlacement.of(stage);
        new WindowPlacement(p.x(), p.y(), p.width(), p.height(), stage.isMaximized()).save(launchDataDir);
    }

    private void stopServer() {
        stopServer(null);
    }

    private synchronized void stopServer(java.time.Duration grace) {
        AppstrateClient c = client;
        client = null;
        if (c != null) {
            c.close();
        }
        EmbeddedServer s = server;
        server = null;
        if (s != null) {
            s.stop(grace);
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

    /** For tests: stops the server and releases the lock, as the end of the process would. */
    void stopForTests() {
        stopServer();
        if (launchInstance != null) {
            launchInstance.close();
        }
    }

    /** For tests: the window, the shell shown now (null while starting) and the embedded server. */
    Stage stage() {
        return stage;
    }

    int enabledSchedules() {
        return enabledSchedules;
    }

    AppShell shell() {
        return shell;
    }

    EmbeddedServer server() {
        return server;
    }
}
