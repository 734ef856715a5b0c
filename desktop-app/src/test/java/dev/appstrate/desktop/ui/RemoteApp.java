package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.waitUntil;

import dev.appstrate.desktop.remote.OriginalFixtureServer;
import dev.appstrate.desktop.settings.DesktopSettings;
import dev.appstrate.desktop.settings.SettingsStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The app launched in remote mode as a user launches it, against a fixture server replaying the original; closed after each test. */
final class RemoteApp implements AutoCloseable {
    private final OriginalFixtureServer fixture = new OriginalFixtureServer();
    private final Path dataDir;
    private final AtomicReference<DesktopApp> app = new AtomicReference<>();
    private final AtomicReference<Stage> stage = new AtomicReference<>();

    RemoteApp(Path dataDir) {
        this.dataDir = dataDir;
    }

    OriginalFixtureServer fixture() {
        return fixture;
    }

    DesktopApp app() {
        return app.get();
    }

    Stage stage() {
        return stage.get();
    }

    /** Saves remote settings with {@code key} and launches the app on them, in a new window. */
    void start(FxRobot robot, String key) throws Exception {
        new SettingsStore(dataDir).save(DesktopSettings.defaults().withRemote(DesktopSettings.Mode.REMOTE, fixture.url(), key));
        robot.interact(() -> {
            stage.set(new Stage());
            app.set(DesktopApp.startFor(stage.get(), Map.of("LOG_LEVEL", "warn"), dataDir, null));
        });
    }

    /** Waits until the app has connected and shows its main window. */
    void awaitShell() throws Exception {
        waitUntil(() -> app.get().shell() != null && "app-shell".equals(stage.get().getScene().getRoot().getId()));
    }

    @Override
    public void close() throws Exception {
        DesktopApp a = app.get();
        if (a != null) {
            WaitForAsyncUtils.asyncFx(() -> stage.get().hide()).get();
            a.stopForTests();
        }
        fixture.close();
    }
}
