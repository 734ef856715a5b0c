package dev.appstrate.desktop.ui.settings;

import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.settings.DesktopSettings;
import dev.appstrate.desktop.ui.Notifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Settings: the look (applies at once), the server to use, and the embedded server's settings, which apply at its
 * next start. Each server setting reads as a plain label, its variable name as secondary text, with a choice box
 * where the values are fixed.
 */
public final class SettingsViewModel {
    /** One embedded-server setting: its variable, how people call it, what it does, and its fixed values if any. */
    public record ServerSetting(String variable, String label, String help, String defaultShown, List<String> choices) {
        public boolean fixedChoices() {
            return !choices.isEmpty();
        }
    }

    public static final List<ServerSetting> SERVER_SETTINGS = List.of(
            new ServerSetting("PORT", "Port", "TCP port of the embedded server", "0 (a free port)", List.of()),
            new ServerSetting("LOG_LEVEL", "Log level", "how much the server writes to its log", "info",
                    List.of("debug", "info", "warn", "error")),
            new ServerSetting("RUN_ADAPTER", "Run agents as", "subprocesses (no isolation) or Docker containers", "process",
                    List.of("process", "docker")),
            new ServerSetting("PI_IMAGE", "Agent image", "the image agents run in (Docker)", "appstrate/runner:local", List.of()),
            new ServerSetting("SIDECAR_IMAGE", "Sidecar image", "the network relay next to each agent (Docker)",
                    "appstrate/sidecar:local", List.of()),
            new ServerSetting("SIDECAR_POOL_SIZE", "Pre-started sidecars", "0–32; 0 starts one per run", "2 with Docker", List.of()),
            new ServerSetting("EGRESS_ALLOW_INTERNAL_HOSTS", "Internal hosts agents and webhooks may reach",
                    "comma-separated hosts, e.g. 127.0.0.1,localhost", "none", List.of()));

    private final Supplier<DesktopSettings> current;
    private final Consumer<DesktopSettings> saver;
    private final Notifier notifier;
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final BooleanProperty remote = new SimpleBooleanProperty();
    private final StringProperty remoteUrl = new SimpleStringProperty("");
    private final StringProperty remoteKey = new SimpleStringProperty("");
    private final Map<String, StringProperty> server = new LinkedHashMap<>();
    private final StringProperty restartNote = new SimpleStringProperty("");
    private final java.util.concurrent.Callable<Long> runsInFlight;

    public SettingsViewModel(Supplier<DesktopSettings> current, Consumer<DesktopSettings> saver, Notifier notifier) {
        this(current, saver, notifier, () -> 0L);
    }

    /**
     * {@code runsInFlight} counts the runs a restart of the server would stop (0 when the window is not on the embedded
     * server: a remote server's runs go on); it is called off the FX thread.
     */
    public SettingsViewModel(Supplier<DesktopSettings> current, Consumer<DesktopSettings> saver, Notifier notifier,
            java.util.concurrent.Callable<Long> runsInFlight) {
        this.runsInFlight = runsInFlight;
        this.current = current;
        this.saver = saver;
        this.notifier = notifier;
        DesktopSettings s = current.get();
        dark.set(s.dark());
        remote.set(s.mode() == DesktopSettings.Mode.REMOTE);
        remoteUrl.set(s.remoteUrl());
        remoteKey.set(s.remoteApiKey());
        for (ServerSetting setting : SERVER_SETTINGS) {
            server.put(setting.variable(), new SimpleStringProperty(s.serverOverrides().getOrDefault(setting.variable(), "")));
        }
        // the theme is saved the moment it changes; the View applies it to the window
        dark.addListener((o, was, on) -> saver.accept(this.current.get().withTheme(on ? "dark" : "light")));
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public BooleanProperty remoteProperty() {
        return remote;
    }

    public StringProperty remoteUrlProperty() {
        return remoteUrl;
    }

    public StringProperty remoteKeyProperty() {
        return remoteKey;
    }

    /** The value of a server setting ("" = the default). */
    public StringProperty server(String variable) {
        return server.get(variable);
    }

    public StringProperty restartNoteProperty() {
        return restartNote;
    }

    /** Saves; settings that only apply at start say so (the View offers Restart now). */
    public void save() {
        DesktopSettings before = current.get();
        Map<String, String> overrides = new LinkedHashMap<>();
        server.forEach((k, v) -> overrides.put(k, v.get() == null ? "" : v.get()));
        DesktopSettings after = before
                .withRemote(remote.get() ? DesktopSettings.Mode.REMOTE : DesktopSettings.Mode.EMBEDDED,
                        remoteUrl.get().trim(), remoteKey.get().trim())
                .withServerOverrides(overrides);
        saver.accept(after);
        boolean needsRestart = !after.serverOverrides().equals(before.serverOverrides()) || after.mode() != before.mode()
                || !after.remoteUrl().equals(before.remoteUrl()) || !after.remoteApiKey().equals(before.remoteApiKey());
        restartNote.set(needsRestart ? "Saved. These settings apply after a restart of the server." : "");
        if (!needsRestart) {
            notifier.info("Settings saved");
        }
    }

    /** The runs a restart would stop now (blocking: call it on a background task). */
    public long runsInFlight() throws Exception {
        return runsInFlight.call();
    }

    /**
     * Running and pending runs on the embedded server, in every application: what a stop of that server ends (counting
     * only the window's application, a scheduled run of another was failed without a word).
     */
    public static long runsInFlight(dev.appstrate.desktop.client.AppstrateClient client) {
        long n = 0;
        for (dev.appstrate.desktop.client.TenancyApi.Application app : new dev.appstrate.desktop.client.TenancyApi(client).applications()) {
            for (String status : List.of("running", "pending")) {
                n += dev.appstrate.desktop.client.RunPage.of(client.runsIn(app.id(), status, 1)).totalOr();
            }
        }
        return n;
    }

    /**
     * What Restart now must say before it stops the server: "" when no run is in flight (restart at once), else what
     * becomes of those runs. The original has no restart; a run the server was running is failed at its next start.
     */
    public static String restartWarning(long inFlight) {
        if (inFlight <= 0) {
            return "";
        }
        return (inFlight == 1 ? "1 run is" : inFlight + " runs are") + " in progress. Restarting the server stops "
                + (inFlight == 1 ? "it" : "them") + " and marks " + (inFlight == 1 ? "it" : "them")
                + " failed (\"Server restarted while run was in progress\"); run " + (inFlight == 1 ? "it" : "them")
                + " again afterwards, or cancel and restart once " + (inFlight == 1 ? "it has" : "they have") + " finished.";
    }

    /**
     * What the Server section says when this window is connected to a server the saved choice does not name (a launch
     * with {@code --server}): otherwise the page would show "Embedded" while the app talks to a team server.
     */
    public static String launchOnlyNote(ServerEndpoint connected, DesktopSettings saved) {
        if (connected == null || connected.embedded()) {
            return "";
        }
        String savedUrl = saved.remoteUrl() == null ? "" : saved.remoteUrl().trim().replaceFirst("/$", "");
        if (saved.mode() == DesktopSettings.Mode.REMOTE && savedUrl.equals(connected.baseUrl())) {
            return "";
        }
        return "This window is connected to " + connected.baseUrl() + " for this launch only (--server). The choice below "
                + "is the saved one: Restart now or the next launch uses it.";
    }
}
