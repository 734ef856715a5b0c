package dev.appstrate.desktop.ui.settings;

import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Theme;
import dev.appstrate.desktop.ui.Widgets;
import dev.appstrate.desktop.ui.settings.SettingsViewModel.ServerSetting;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.ToggleSwitch;

/**
 * Settings: theme (applies at once), the server to use (embedded or remote), and the embedded server's
 * settings (port, log level, run adapter, images, sidecar pool, internal hosts) which need a restart. The View binds.
 */
public final class SettingsPage implements Page {
    private final DesktopContext ctx;
    private final SettingsViewModel vm;
    final ToggleSwitch dark = new ToggleSwitch("Dark theme");
    final RadioButton embedded = new RadioButton("Embedded server (this computer)");
    final RadioButton remote = new RadioButton("Remote Appstrate server");
    final TextField remoteUrl = new TextField();
    final PasswordField remoteKey = new PasswordField();
    private final Label connectResult = new Label();
    private VBox view;
    /** The server settings' pane: a link to one of them unfolds it. */
    private TitledPane embeddedPane;
    private final java.util.Map<String, Node> fields = new java.util.HashMap<>();

    public SettingsPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.vm = new SettingsViewModel(() -> ctx.settings().get(), ctx::updateSettings, ctx.notifier(),
                () -> ctx.client().endpoint().embedded() ? SettingsViewModel.runsInFlight(ctx.client()) : 0L);
    }

    @Override
    public String title() {
        return "Settings";
    }

    public SettingsViewModel viewModel() {
        return vm;
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        view = Widgets.page("Settings");
        view.getStyleClass().add("scrollable-page");

        dark.setId("settings-dark");
        dark.selectedProperty().bindBidirectional(vm.darkProperty());
        vm.darkProperty().addListener((obs, o, on) -> {
            if (view.getScene() != null) {
                Theme.of(on ? "dark" : "light").applyTo(view.getScene());
            }
        });
        TitledPane look = new TitledPane("Appearance", new VBox(8, dark));

        ToggleGroup where = new ToggleGroup();
        embedded.setToggleGroup(where);
        remote.setToggleGroup(where);
        embedded.setId("settings-embedded");
        remote.setId("settings-remote");
        (vm.remoteProperty().get() ? remote : embedded).setSelected(true);
        remote.selectedProperty().addListener((o, a, on) -> vm.remoteProperty().set(on));
        remoteUrl.setId("settings-remote-url");
        remoteUrl.setPromptText("https://appstrate.example.com");
        remoteUrl.textProperty().bindBidirectional(vm.remoteUrlProperty());
        remoteKey.setId("settings-remote-key");
        remoteKey.setPromptText("ask_… API key");
        remoteKey.textProperty().bindBidirectional(vm.remoteKeyProperty());
        remoteUrl.disableProperty().bind(remote.selectedProperty().not());
        remoteKey.disableProperty().bind(remote.selectedProperty().not());
        GridPane rg = new GridPane();
        rg.setHgap(10);
        rg.setVgap(8);
        rg.addRow(0, new Label("URL"), remoteUrl);
        rg.addRow(1, new Label("API key"), remoteKey);
        remoteUrl.setPrefColumnCount(36);
        connectResult.setId("settings-connect-result");
        connectResult.setWrapText(true);
        Widgets.shownWhenSaying(connectResult);
        Label launchOnly = new Label();
        launchOnly.setId("settings-launch-only");
        launchOnly.setWrapText(true);
        launchOnly.getStyleClass().add("muted");
        launchOnly.managedProperty().bind(launchOnly.textProperty().isNotEmpty());
        launchOnly.visibleProperty().bind(launchOnly.managedProperty());
        Runnable showLaunchOnly = () -> launchOnly.setText(SettingsViewModel.launchOnlyNote(ctx.client().endpoint(), ctx.settings().get()));
        showLaunchOnly.run();
        ctx.settings().addListener((o, was, now) -> showLaunchOnly.run());
        TitledPane server = new TitledPane("Server", new VBox(8, launchOnly, embedded, remote, rg, connectResult));

        GridPane sg = new GridPane();
        sg.setHgap(12);
        sg.setVgap(10);
        int row = 0;
        for (ServerSetting s : SettingsViewModel.SERVER_SETTINGS) {
            sg.addRow(row++, name(s), field(s));
        }
        // below the grid, not in its narrow value column: a data folder's path reads in full (wrapped if need be)
        Label dataDir = new Label(ctx.dataDir() == null ? "" : "Data folder: " + ctx.dataDir());
        dataDir.setId("settings-data-dir");
        dataDir.setWrapText(true);
        Label envNote = new Label("Environment variables always win over these values.");
        envNote.getStyleClass().add("muted");
        embeddedPane = new TitledPane("Embedded server", new VBox(8, sg, dataDir, envNote));
        embeddedPane.setId("settings-embedded-pane");

        Button save = new Button("Save");
        save.setId("settings-save");
        save.setOnAction(e -> {
            vm.save();
            checkRemote(connectResult);
        });
        Button restart = new Button("Restart now");
        restart.setId("settings-restart");
        restart.visibleProperty().bind(vm.restartNoteProperty().isNotEmpty());
        restart.setOnAction(e -> restartAsking(restart));
        Label note = new Label();
        note.setId("settings-restart-note");
        note.textProperty().bind(vm.restartNoteProperty());
        save.defaultButtonProperty().bind(view.focusWithinProperty()); // Enter in a field saves, as forms elsewhere do
        HBox actions = new HBox(8, save, note, restart);
        actions.getStyleClass().add("toolbar-row");
        view.getChildren().addAll(look, server, embeddedPane, actions);
        return view;
    }

    /**
     * Restart now stops the embedded server, and with it every run in flight (failed at the next start): with runs in
     * flight it asks first, saying so. A count that fails asks too, rather than restart blind.
     */
    private void restartAsking(Button restart) {
        javafx.stage.Window owner = restart.getScene().getWindow(); // the page may be left before the count answers
        restart.setDisable(true);
        dev.appstrate.desktop.ui.Tasks.create(vm::runsInFlight)
                .onSuccess(n -> {
                    String warning = SettingsViewModel.restartWarning(n);
                    if (warning.isEmpty()) {
                        ctx.restartAction().run();
                    } else {
                        dev.appstrate.desktop.ui.Confirm.ask(owner, "Restart the server now?",
                                warning, "Restart", ctx.restartAction());
                    }
                })
                .onError(e -> dev.appstrate.desktop.ui.Confirm.ask(owner, "Restart the server now?",
                        "Could not check for runs in progress (" + dev.appstrate.desktop.ui.Notifier.describe(e)
                                + "). A restart stops any run in progress and marks it failed.",
                        "Restart", ctx.restartAction()))
                .andFinally(() -> restart.setDisable(false))
                .on(ctx.tasks());
    }

    /**
     * Saving a remote server checks it at once (reachable, Appstrate, key accepted, what the key lacks), so a wrong key
     * is seen here rather than after the restart.
     */
    private void checkRemote(Label result) {
        String url = vm.remoteUrlProperty().get().trim();
        if (!vm.remoteProperty().get() || url.isEmpty()) {
            result.setText("");
            return;
        }
        String key = vm.remoteKeyProperty().get().trim();
        result.getStyleClass().removeAll("message-error", "muted");
        result.setText("Checking " + url + "…");
        dev.appstrate.desktop.ui.Tasks.create(() -> {
                    try (var c = new dev.appstrate.desktop.client.AppstrateClient(
                            new dev.appstrate.desktop.client.ServerEndpoint(url, key, false))) {
                        String summary = dev.appstrate.desktop.client.ServerConnect.connect(c).summary();
                        String lacking = c.capabilities().lackingSummary();
                        return "✓ " + summary + (lacking.isEmpty() ? "" : "\nThis key lacks " + lacking + ".");
                    }
                })
                .onSuccess(text -> {
                    result.getStyleClass().add("muted");
                    result.setText(text);
                })
                .onError(e -> {
                    result.getStyleClass().add("message-error");
                    result.setText("✗ " + (e instanceof dev.appstrate.desktop.client.ConnectProblem p
                            ? p.title() + ": " + p.detail() : dev.appstrate.desktop.ui.Notifier.describe(e)));
                })
                .on(ctx.tasks());
    }

    /** "Log level" over "LOG_LEVEL · how much the server writes to its log". */
    private static VBox name(ServerSetting s) {
        Label label = new Label(s.label());
        label.setId(fieldId(s.variable()) + "-label");
        Label secondary = new Label(s.variable() + " · " + s.help());
        secondary.getStyleClass().addAll("muted", "setting-variable");
        // one line when there is room; wraps instead of ending in "..." when a narrow window squeezes the name column
        secondary.setWrapText(true);
        secondary.setMinHeight(Region.USE_PREF_SIZE);
        return new VBox(1, label, secondary);
    }

    private Control field(ServerSetting s) {
        String id = fieldId(s.variable());
        if (s.fixedChoices()) {
            List<String> values = new ArrayList<>();
            values.add("");
            values.addAll(s.choices());
            ComboBox<String> box = new ComboBox<>(FXCollections.observableArrayList(values));
            box.setId(id);
            box.setConverter(new StringConverter<>() {
                @Override
                public String toString(String v) {
                    return v == null || v.isEmpty() ? "default (" + s.defaultShown() + ")" : v;
                }

                @Override
                public String fromString(String text) {
                    return text;
                }
            });
            box.valueProperty().bindBidirectional(vm.server(s.variable()));
            fields.put(s.variable(), box);
            return box;
        }
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText("default: " + s.defaultShown());
        f.setPrefColumnCount(28);
        f.textProperty().bindBidirectional(vm.server(s.variable()));
        fields.put(s.variable(), f);
        return f;
    }

    /**
     * Focuses one server setting's field and scrolls the page so it shows (a link elsewhere says "allow it here"). A
     * page shown for the first time is not in the scene yet (its scroll pane adds it when its skin is made), and a
     * focus asked for before that is lost: so it waits for the scene.
     */
    public void focusSetting(String variable) {
        view();
        Node field = fields.get(variable); // not looked up: a titled pane's content joins the graph only with its skin
        if (field == null) {
            return;
        }
        boolean animated = embeddedPane.isAnimated(); // folded by the user: a field in it cannot take the focus
        embeddedPane.setAnimated(false);
        embeddedPane.setExpanded(true);
        embeddedPane.setAnimated(animated);
        if (field.getScene() != null) {
            javafx.application.Platform.runLater(() -> reveal(field));
            return;
        }
        field.sceneProperty().addListener(new javafx.beans.value.ChangeListener<javafx.scene.Scene>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends javafx.scene.Scene> o, javafx.scene.Scene was,
                    javafx.scene.Scene now) {
                if (now != null) {
                    field.sceneProperty().removeListener(this);
                    javafx.application.Platform.runLater(() -> reveal(field));
                }
            }
        });
    }

    private void reveal(Node field) {
        field.requestFocus();
        for (Node n = view.getParent(); n != null; n = n.getParent()) {
            if (n instanceof javafx.scene.control.ScrollPane sp) {
                sp.applyCss();
                sp.layout();
                double contentHeight = view.getLayoutBounds().getHeight();
                double viewport = sp.getViewportBounds().getHeight();
                double y = view.sceneToLocal(field.localToScene(field.getLayoutBounds())).getMinY();
                if (contentHeight > viewport && viewport > 0) {
                    sp.setVvalue(Math.max(0, Math.min(1, (y - viewport / 2) / (contentHeight - viewport))));
                }
                return;
            }
        }
    }

    private static String fieldId(String variable) {
        return "settings-" + variable.toLowerCase().replace('_', '-');
    }

    /** Saves (tests and the Save button). */
    public void save() {
        vm.save();
    }

    public String restartNote() {
        return vm.restartNoteProperty().get();
    }
}
