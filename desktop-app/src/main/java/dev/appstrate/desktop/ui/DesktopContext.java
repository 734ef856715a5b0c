package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.settings.DesktopSettings;
import dev.appstrate.desktop.settings.SettingsStore;
import java.nio.file.Path;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every page may use: the API client, the settings, navigation, notifications and app-level actions. */
public final class DesktopContext {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopContext.class);

    private final AppstrateClient client;
    private final SettingsStore store;
    private final ObjectProperty<DesktopSettings> settings;
    private final Path dataDir;
    private Navigator navigator;
    private Notifier notifier;
    private Runnable restartAction = () -> { };
    private String localRunAdapter;
    private TaskExecutor tasks = TaskExecutor.FX;
    private dev.appstrate.desktop.client.ServerConnect.Result connection;

    public DesktopContext(AppstrateClient client, SettingsStore store, Path dataDir) {
        this.client = client;
        this.store = store;
        this.dataDir = dataDir;
        this.settings = new SimpleObjectProperty<>(store.load());
    }

    public AppstrateClient client() {
        return client;
    }

    public ObjectProperty<DesktopSettings> settings() {
        return settings;
    }

    /** Saves and publishes new settings; a failure to save is shown, not thrown. */
    public void updateSettings(DesktopSettings s) {
        settings.set(s);
        try {
            store.save(s);
        } catch (java.io.IOException e) {
            LOG.warn("Saving settings failed path={} error={}", store.file(), e.toString());
            notifier().error("Settings could not be saved to " + store.file() + ": " + e.getMessage());
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public Navigator navigator() {
        return navigator;
    }

    public Notifier notifier() {
        return notifier;
    }

    void wire(Navigator n, Notifier notes) {
        this.navigator = n;
        this.notifier = notes;
    }

    /** Where ViewModels run background work (the FX worker pool; tests may pass {@link TaskExecutor#SAME_THREAD}). */
    public TaskExecutor tasks() {
        return tasks;
    }

    public void tasks(TaskExecutor executor) {
        this.tasks = executor;
    }

    /** What connecting found (server kind, credential, what it lacks); null when the shell was built without connecting. */
    public dev.appstrate.desktop.client.ServerConnect.Result connection() {
        return connection;
    }

    public void connection(dev.appstrate.desktop.client.ServerConnect.Result result) {
        this.connection = result;
    }

    /** The embedded server's run adapter as the launcher configured it (null for a remote server). */
    public String localRunAdapter() {
        return localRunAdapter;
    }

    public void localRunAdapter(String adapter) {
        this.localRunAdapter = adapter;
    }

    /** Restarts the embedded server (and the window) so settings that need it take effect. */
    public Runnable restartAction() {
        return restartAction;
    }

    public void restartAction(Runnable r) {
        this.restartAction = r;
    }
}
