package dev.appstrate.desktop.ui.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.SecretsApi;
import dev.appstrate.desktop.ui.ClipboardGuard;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Widgets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Secrets: integration connections and model-provider keys. Values are typed into masked fields (reveal while
 * typing, copy with the clipboard cleared after 30 s), sent once, and forgotten: afterwards only the server's
 * masked hint is shown. Also the encryption status: which key encrypts how many values, and whether to rotate.
 */
public final class SecretsPage implements Page {
    private final DesktopContext ctx;
    private final SecretsViewModel vm;
    private final ClipboardGuard clipboard = new ClipboardGuard();
    private final TableView<SecretsViewModel.ConnectionRow> connections;
    private final TableView<SecretsViewModel.ModelKeyRow> modelKeys;
    final ComboBox<SecretsViewModel.IntegrationItem> integration = new ComboBox<>();
    final ComboBox<String> auth = new ComboBox<>();
    final TextField label = new TextField();
    private final Map<String, SecretField> fields = new LinkedHashMap<>();
    private final GridPane fieldGrid = new GridPane();
    private final StringProperty authNote = new SimpleStringProperty("");
    /** The connection whose value the form replaces, or null to add a connection. */
    private final StringProperty replacing = new SimpleStringProperty();
    private final StringProperty replacingNote = new SimpleStringProperty("");
    private SecretField modelKey;
    private String wantedIntegration;
    private String shownFields = "";
    private VBox view;

    public SecretsPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.vm = new SecretsViewModel(new SecretsApi(ctx.client()));
        this.connections = new TableView<>(vm.connections);
        this.modelKeys = new TableView<>(vm.modelKeys);
    }

    @Override
    public String title() {
        return "Secrets";
    }

    public SecretsViewModel viewModel() {
        return vm;
    }

    public ClipboardGuard clipboard() {
        return clipboard;
    }

    /** The masked field of one credential of the connection form (tests type into it). */
    public SecretField field(String name) {
        return fields.get(name);
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        view = Widgets.page("Secrets", refresh);
        view.getStyleClass().add("scrollable-page");
        Label note = new Label("Values are stored encrypted and never shown again: after saving you see only a masked hint.");
        note.getStyleClass().add("muted");
        view.getChildren().addAll(Widgets.message(vm.message, "secrets-message"), note, connectionsPane(), modelKeysPane(),
                encryptionPane());
        return view;
    }

    private TitledPane connectionsPane() {
        connections.setId("secrets-connections");
        connections.setPlaceholder(new Label("No connections yet"));
        connections.setPrefHeight(130);
        connections.getColumns().setAll(List.of(
                Widgets.column("Integration", SecretsViewModel.ConnectionRow::packageId, 160),
                Widgets.column("Auth", SecretsViewModel.ConnectionRow::authKey, 90),
                Widgets.column("Label", SecretsViewModel.ConnectionRow::label, 140),
                Widgets.column("Stored value", SecretsViewModel.ConnectionRow::hints, 260),
                Widgets.column("Owner", SecretsViewModel.ConnectionRow::owner, 110),
                Widgets.column("Updated", SecretsViewModel.ConnectionRow::updated, 150)));
        Button delete = new Button("Delete…");
        delete.setId("secrets-connection-delete");
        delete.disableProperty().bind(connections.getSelectionModel().selectedItemProperty().isNull());
        delete.setOnAction(e -> confirmDelete(connections.getSelectionModel().getSelectedItem()));
        Button replace = new Button("Replace value…");
        replace.setId("secrets-connection-replace");
        replace.disableProperty().bind(connections.getSelectionModel().selectedItemProperty().isNull());
        replace.setOnAction(e -> startReplacing(connections.getSelectionModel().getSelectedItem()));

        integration.setId("secrets-integration");
        integration.setItems(vm.integrations);
        integration.setPromptText("Choose an integration");
        integration.setPrefWidth(320);
        integration.valueProperty().addListener((obs, o, i) -> {
            if (i != null) { // null only transiently, while the list refreshes
                wantedIntegration = i.id();
                vm.loadIntegration(i.id());
            }
        });
        // a refreshed list must not lose the integration being connected (the combo clears its value on a replace)
        vm.integrations.addListener((javafx.collections.ListChangeListener<SecretsViewModel.IntegrationItem>) c ->
                javafx.application.Platform.runLater(() -> vm.integrations.stream()
                        .filter(x -> x.id().equals(wantedIntegration)).findFirst().ifPresent(x -> {
                            if (integration.getValue() == null || !integration.getValue().id().equals(x.id())) {
                                integration.setValue(x);
                            }
                        })));
        auth.setId("secrets-auth");
        auth.setPromptText("Auth");
        vm.integration.addListener((obs, o, d) -> showAuths(d));
        auth.valueProperty().addListener((obs, o, a) -> showFields(vm.integration.get(), a));
        Button register = new Button("Register an integration…");
        register.setId("secrets-register");
        register.setOnAction(e -> new IntegrationDialog(view.getScene().getWindow(), vm, item -> {
            ctx.notifier().info("Integration " + item.id() + " registered: connect it below");
            integration.setValue(item); // equal to the listed one once the list refreshes
        }).show());
        label.setId("secrets-label");
        label.setPromptText("optional, e.g. Work account");
        fieldGrid.setHgap(10);
        fieldGrid.setVgap(6);
        fieldGrid.setId("secrets-fields");
        Label authInfo = new Label();
        authInfo.setId("secrets-auth-note");
        authInfo.textProperty().bind(authNote);
        authInfo.getStyleClass().add("muted");
        authInfo.setWrapText(true);
        Label replacingInfo = new Label();
        replacingInfo.setId("secrets-replacing");
        replacingInfo.textProperty().bind(replacingNote);
        javafx.scene.control.Hyperlink stop = new javafx.scene.control.Hyperlink("add a new connection instead");
        stop.setOnAction(e -> replacing.set(null));
        HBox replacingRow = new HBox(6, replacingInfo, stop);
        replacingRow.visibleProperty().bind(replacing.isNotNull());
        replacingRow.managedProperty().bind(replacingRow.visibleProperty());
        replacing.addListener((obs, o, n) -> {
            if (n == null) {
                replacingNote.set("");
            }
        });
        Button save = new Button("Save connection");
        save.setId("secrets-save");
        save.disableProperty().bind(auth.valueProperty().isNull());
        save.setOnAction(e -> saveConnection());

        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(8);
        form.addRow(0, new Label("Integration"), new HBox(8, integration, auth, register));
        form.add(authInfo, 1, 1);
        form.add(replacingRow, 1, 2);
        form.add(fieldGrid, 0, 3, 2, 1);
        form.addRow(4, new Label("Label"), label);
        form.add(save, 1, 5);
        HBox actions = new HBox(8, Widgets.grow(), replace, delete);
        actions.getStyleClass().add("toolbar-row");
        VBox box = new VBox(8, connections, actions, Widgets.sectionTitle("Add or replace a connection"), form);
        TitledPane p = new TitledPane("Integration connections", box);
        p.setId("secrets-connections-pane");
        return p;
    }

    private void showAuths(JsonNode detail) {
        List<String> keys = new ArrayList<>();
        if (detail != null) {
            detail.path("auths").forEach(a -> {
                if (a.path("supported").asBoolean(true)) {
                    keys.add(DesktopJson.text(a, "auth_key"));
                }
            });
        }
        String before = auth.getValue();
        if (!auth.getItems().equals(keys)) {
            auth.getItems().setAll(keys);
        }
        String want = before != null && keys.contains(before) ? before : keys.isEmpty() ? null : keys.get(0);
        auth.setValue(want);
        showFields(detail, want); // the same auth again: its readiness may have changed
    }

    private void showFields(JsonNode detail, String authKey) {
        String key = detail == null || authKey == null ? "" : DesktopJson.text(detail.path("manifest"), "name") + "/" + authKey;
        JsonNode auth = null;
        for (JsonNode a : detail == null ? DesktopJson.MAPPER.createArrayNode() : detail.path("auths")) {
            if (DesktopJson.text(a, "auth_key").equals(authKey)) {
                auth = a;
                key += ":" + a.path("credential_fields");
            }
        }
        if (!key.equals(shownFields)) { // a refresh of the same form keeps what is being typed
            shownFields = key;
            fields.values().forEach(SecretField::clear);
            fields.clear();
            fieldGrid.getChildren().clear();
            int row = 0;
            for (JsonNode f : auth == null ? DesktopJson.MAPPER.createArrayNode() : auth.path("credential_fields")) {
                String name = DesktopJson.text(f, "name");
                String desc = DesktopJson.text(f, "description");
                SecretField sf = new SecretField("secrets-field-" + name, desc.isEmpty() ? name : desc, clipboard);
                sf.setPrefWidth(460);
                fields.put(name, sf);
                fieldGrid.addRow(row++, new Label(name + (f.path("required").asBoolean() ? " *" : "")), sf);
            }
        }
        authNote.set("");
        if (auth != null) {
            JsonNode a = auth;
            int count = a.path("connections").size();
            authNote.set(DesktopJson.text(a, "type") + " · "
                    + (a.path("ready").asBoolean() ? "connected (" + count + "): agents that declare "
                    + DesktopJson.text(detail.path("manifest"), "name") + " can run"
                    : "not connected yet: agents that declare " + DesktopJson.text(detail.path("manifest"), "name") + " cannot run")
                    + (a.path("authorized_uris").isEmpty() ? "" : " · sent only to " + join(a.path("authorized_uris"))));
        }
    }

    private static String join(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(x -> out.add(x.asText()));
        return String.join(", ", out);
    }

    /** Sends the typed values once, then forgets them whatever the answer. */
    public void saveConnection() {
        SecretsViewModel.IntegrationItem i = integration.getValue();
        String a = auth.getValue();
        if (i == null || a == null) {
            return;
        }
        Map<String, String> creds = new LinkedHashMap<>();
        fields.forEach((name, f) -> {
            if (!f.text().isEmpty()) {
                creds.put(name, f.text());
            }
        });
        String l = label.getText();
        String connectionId = replacing.get();
        fields.values().forEach(SecretField::clear);
        label.clear();
        replacing.set(null);
        vm.connect(i.id(), a, creds, l, connectionId, ctx.notifier()::info);
    }

    /** Points the form at a stored connection: saving replaces its value instead of adding a connection. */
    private void startReplacing(SecretsViewModel.ConnectionRow row) {
        vm.integrations.stream().filter(i -> i.id().equals(row.packageId())).findFirst().ifPresent(integration::setValue);
        auth.setValue(row.authKey());
        replacing.set(row.id());
        replacingNote.set("Replacing the value of " + row.packageId() + " (" + row.authKey() + ")"
                + (row.label().isEmpty() ? "" : " \"" + row.label() + "\"") + ", now " + row.hints() + " —");
    }

    private TitledPane modelKeysPane() {
        modelKeys.setId("secrets-model-keys");
        modelKeys.setPlaceholder(new Label("No model provider yet (add one on the Models page)"));
        modelKeys.setPrefHeight(130);
        modelKeys.getColumns().setAll(List.of(
                Widgets.column("Label", SecretsViewModel.ModelKeyRow::label, 180),
                Widgets.column("Provider", SecretsViewModel.ModelKeyRow::provider, 140),
                Widgets.column("Base URL", SecretsViewModel.ModelKeyRow::baseUrl, 260),
                Widgets.column("API key", SecretsViewModel.ModelKeyRow::key, 220)));
        modelKey = new SecretField("secrets-model-key", "New API key for the selected provider", clipboard);
        HBox.setHgrow(modelKey, Priority.ALWAYS);
        Button replace = new Button("Replace key");
        replace.setId("secrets-model-key-save");
        replace.disableProperty().bind(modelKeys.getSelectionModel().selectedItemProperty().isNull()
                .or(modelKey.input().textProperty().isEmpty()));
        replace.setOnAction(e -> {
            String key = modelKey.text();
            modelKey.clear();
            vm.replaceModelKey(modelKeys.getSelectionModel().getSelectedItem(), key, ctx.notifier()::info);
        });
        HBox row = new HBox(8, modelKey, replace);
        row.getStyleClass().add("toolbar-row");
        TitledPane p = new TitledPane("Model provider keys", new VBox(8, modelKeys, row));
        p.setId("secrets-model-pane");
        p.setExpanded(true);
        return p;
    }

    private TitledPane encryptionPane() {
        Label enc = new Label();
        enc.setId("secrets-encryption");
        enc.textProperty().bind(vm.encryption);
        Label rot = new Label();
        rot.setId("secrets-rotation");
        rot.textProperty().bind(vm.rotation);
        rot.setWrapText(true);
        TableView<SecretsViewModel.KeyRow> ring = new TableView<>(vm.keyRing);
        ring.setId("secrets-key-ring");
        ring.setPrefHeight(110);
        ring.setPlaceholder(new Label("—"));
        ring.getColumns().setAll(List.of(
                Widgets.column("Key id", SecretsViewModel.KeyRow::kid, 200),
                Widgets.chipColumn("", k -> k.active() ? "active" : "retired", 80),
                Widgets.column("Values it encrypts", k -> String.valueOf(k.values()), 150)));
        rot.getStyleClass().add("muted");
        vm.rotation.addListener((obs, o, n) -> {
            rot.getStyleClass().removeAll("muted", "message-error");
            rot.getStyleClass().add(n.startsWith("Every") ? "muted" : "message-error");
        });
        TitledPane p = new TitledPane("Encryption at rest", new VBox(8, enc, ring, rot));
        p.setId("secrets-encryption-pane");
        return p;
    }

    private void confirmDelete(SecretsViewModel.ConnectionRow row) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION,
                "Agents that declare " + row.packageId() + " will not run until it is connected again.", ButtonType.OK, ButtonType.CANCEL);
        a.setHeaderText("Delete the " + row.packageId() + " connection" + (row.label().isEmpty() ? "" : " \"" + row.label() + "\"") + "?");
        a.initOwner(view.getScene().getWindow());
        a.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> vm.deleteConnection(row));
    }

    @Override
    public void onShow() {
        vm.refresh();
        if (integration.getValue() != null) {
            vm.loadIntegration(integration.getValue().id());
        }
    }

    /** Typed values do not outlive the page being shown. */
    @Override
    public void onHide() {
        fields.values().forEach(SecretField::clear);
        if (modelKey != null) {
            modelKey.clear();
        }
    }
}
