package dev.appstrate.desktop.ui.settings;

import dev.appstrate.desktop.settings.DesktopSettings;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Theme;
import dev.appstrate.desktop.ui.Widgets;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.controlsfx.control.ToggleSwitch;

/**
 * Settings: theme (applies at once), the server to use (embedded or remote), and the embedded server's
 * settings (port, log level, run adapter, images, sidecar pool, internal hosts) which need a restart.
 */
public final class SettingsPage implements Page {
    private final DesktopContext ctx;
    private final StringProperty restartNote = new SimpleStringProperty("");
    private final Map<String, TextField> serverFields = new LinkedHashMap<>();
    final ToggleSwitch dark = new ToggleSwitch("Dark theme");
    final RadioButton embedded = new RadioButton("Embedded server (this computer)");
    final RadioButton remote = new RadioButton("Remote Appstrate server");
    final TextField remoteUrl = new TextField();
    final PasswordField remoteKey = new PasswordField();
    private VBox view;

    public SettingsPage(DesktopContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String title() {
        return "Settings";
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        view = Widgets.page("Settings");
        view.getStyleClass().add("scrollable-page");
        DesktopSettings s = ctx.settings().get();

        dark.setId("settings-dark");
        dark.setSelected(s.dark());
        dark.selectedProperty().addListener((obs, o, on) -> {
            String theme = on ? "dark" : "light";
            ctx.updateSettings(ctx.settings().get().withTheme(theme));
            if (view.getScene() != null) {
                Theme.of(theme).applyTo(view.getScene());
            }
        });
        TitledPane look = new TitledPane("Appearance", new VBox(8, dark));

        ToggleGroup where = new ToggleGroup();
        embedded.setToggleGroup(where);
        remote.setToggleGroup(where);
        embedded.setId("settings-embedded");
        remote.setId("settings-remote");
        (s.mode() == DesktopSettings.Mode.REMOTE ? remote : embedded).setSelected(true);
        remoteUrl.setId("settings-remote-url");
        remoteUrl.setPromptText("https://appstrate.example.com");
        remoteUrl.setText(s.remoteUrl());
        remoteKey.setId("settings-remote-key");
        remoteKey.setPromptText("ask_… API key");
        remoteKey.setText(s.remoteApiKey());
        remoteUrl.disableProperty().bind(remote.selectedProperty().not());
        remoteKey.disableProperty().bind(remote.selectedProperty().not());
        GridPane rg = new GridPane();
        rg.setHgap(10);
        rg.setVgap(8);
        rg.addRow(0, new Label("URL"), remoteUrl);
        rg.addRow(1, new Label("API key"), remoteKey);
        remoteUrl.setPrefColumnCount(36);
        TitledPane server = new TitledPane("Server", new VBox(8, embedded, remote, rg));

        GridPane sg = new GridPane();
        sg.setHgap(10);
        sg.setVgap(8);
        int row = 0;
        String[][] help = {
            {"PORT", "0 (a free port)", "TCP port of the embedded server"},
            {"LOG_LEVEL", "info", "debug, info, warn or error"},
            {"RUN_ADAPTER", "process", "process or docker"},
            {"PI_IMAGE", "", "agent image (docker adapter)"},
            {"SIDECAR_IMAGE", "", "sidecar image (docker adapter)"},
            {"SIDECAR_POOL_SIZE", "", "pre-started sidecars, 0–32"},
            {"EGRESS_ALLOW_INTERNAL_HOSTS", "", "comma-separated internal hosts agents may reach"},
        };
        for (String[] h : help) {
            TextField f = new TextField(s.serverOverrides().getOrDefault(h[0], ""));
            f.setId("settings-" + h[0].toLowerCase().replace('_', '-'));
            f.setPromptText(h[1].isEmpty() ? "default" : h[1]);
            Label d = new Label(h[2]);
            d.getStyleClass().add("muted");
            sg.addRow(row++, new Label(h[0]), f, d);
            serverFields.put(h[0], f);
        }
        Label dataDir = new Label(ctx.dataDir() == null ? "" : ctx.dataDir().toString());
        dataDir.setId("settings-data-dir");
        sg.addRow(row, new Label("Data folder"), dataDir);
        Label envNote = new Label("Environment variables always win over these values.");
        envNote.getStyleClass().add("muted");
        TitledPane embeddedPane = new TitledPane("Embedded server", new VBox(8, sg, envNote));

        Button save = new Button("Save");
        save.setId("settings-save");
        save.setOnAction(e -> save());
        Button restart = new Button("Restart now");
        restart.setId("settings-restart");
        restart.visibleProperty().bind(restartNote.isNotEmpty());
        restart.setOnAction(e -> ctx.restartAction().run());
        Label note = new Label();
        note.setId("settings-restart-note");
        note.textProperty().bind(restartNote);
        HBox actions = new HBox(8, save, note, restart);
        actions.getStyleClass().add("toolbar-row");
        view.getChildren().addAll(look, server, embeddedPane, actions);
        return view;
    }

    /** Saves; settings that only apply at start say so and offer a restart. */
    public void save() {
        DesktopSettings before = ctx.settings().get();
        Map<String, String> overrides = new LinkedHashMap<>();
        serverFields.forEach((k, f) -> overrides.put(k, f.getText()));
        DesktopSettings after = before
                .withRemote(remote.isSelected() ? DesktopSettings.Mode.REMOTE : DesktopSettings.Mode.EMBEDDED,
                        remoteUrl.getText().trim(), remoteKey.getText().trim())
                .withServerOverrides(overrides);
        ctx.updateSettings(after);
        boolean needsRestart = !after.serverOverrides().equals(before.serverOverrides()) || after.mode() != before.mode()
                || !after.remoteUrl().equals(before.remoteUrl()) || !after.remoteApiKey().equals(before.remoteApiKey());
        restartNote.set(needsRestart ? "Saved. These settings apply after a restart of the server." : "");
        if (!needsRestart) {
            ctx.notifier().info("Settings saved");
        }
    }

    public String restartNote() {
        return restartNote.get();
    }

}
