package dev.appstrate.desktop.ui.secrets;

import dev.appstrate.desktop.client.SecretsApi;
import dev.appstrate.desktop.ui.ClipboardGuard;
import dev.appstrate.desktop.ui.Columns;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Widgets;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TitledPane;
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
    private final ConnectionForm form;
    private final dev.appstrate.desktop.ui.PermissionGuard guard;
    private SecretField modelKey;
    private VBox view;

    public SecretsPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.vm = new SecretsViewModel(new SecretsApi(ctx.client()));
        this.connections = new TableView<>(vm.connections);
        this.modelKeys = new TableView<>(vm.modelKeys);
        this.guard = new dev.appstrate.desktop.ui.PermissionGuard(ctx.client());
        this.form = new ConnectionForm(vm, clipboard, ctx.notifier(), () -> view.getScene().getWindow());
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
        return form.field(name);
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
        Label message = Widgets.message(vm.message, "secrets-message");
        view.getChildren().addAll(message, note, connectionsPane(), modelKeysPane(),
                encryptionPane());
        return view;
    }

    private TitledPane connectionsPane() {
        connections.setId("secrets-connections");
        Label none = new Label();
        none.setId("secrets-connections-none");
        none.setWrapText(true);
        // a server without a list of every connection says so here, short and in place
        none.textProperty().bind(javafx.beans.binding.Bindings.when(vm.connectionsNote.isEmpty())
                .then("No connections yet").otherwise(vm.connectionsNote));
        connections.setPlaceholder(none);
        connections.setPrefHeight(130);
        connections.getColumns().setAll(List.of(
                Columns.text("Integration", SecretsViewModel.ConnectionRow::packageId, 160),
                Columns.text("Auth", SecretsViewModel.ConnectionRow::authKey, 90),
                Columns.text("Label", SecretsViewModel.ConnectionRow::label, 140),
                Columns.text("Stored value", SecretsViewModel.ConnectionRow::hints, 260),
                Columns.text("Updated", SecretsViewModel.ConnectionRow::updated, 150)));
        connections.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        Button delete = new Button("Delete…");
        delete.setId("secrets-connection-delete");
        delete.disableProperty().bind(connections.getSelectionModel().selectedItemProperty().isNull());
        delete.setOnAction(e -> confirmDelete(connections.getSelectionModel().getSelectedItem()));
        Button replace = new Button("Replace value…");
        replace.setId("secrets-connection-replace");
        replace.disableProperty().bind(connections.getSelectionModel().selectedItemProperty().isNull());
        replace.setOnAction(e -> form.startReplacing(connections.getSelectionModel().getSelectedItem()));
        dev.appstrate.desktop.ui.OpenSelected.on(connections, form::startReplacing, c -> vm.connectionsNote.get().isEmpty());

        HBox actions = new HBox(8, Widgets.grow(), replace, delete);
        actions.getStyleClass().add("toolbar-row");
        actions.visibleProperty().bind(vm.connectionsNote.isEmpty());
        actions.managedProperty().bind(actions.visibleProperty());
        VBox box = new VBox(8, connections, actions, Widgets.sectionTitle("Add or replace a connection"), form.view());
        if (vm.canRegisterIntegrations()) {
            // on our server an application's key replaces (re-registers) an integration only with org:write: registering a
            // new one stays offered, so nothing is hidden, but the page says what the server would refuse
            box.getChildren().add(guard.require("org:write", "integrations are shared by every application; this key "
                    + "registers new ones, and an owner, or a key created with org:write, replaces one already registered",
                    "secrets-integrations-org-denied"));
        }
        TitledPane p = new TitledPane("Integration connections", box);
        p.setId("secrets-connections-pane");
        return p;
    }

    private TitledPane modelKeysPane() {
        modelKeys.setId("secrets-model-keys");
        // a key without the read permission gets a 403 here: say so where the list would be, as other pages do
        modelKeys.setPlaceholder(guard.placeholder("model-provider-credentials:read",
                "No model provider yet (add one on the Models page)", "secrets-model-keys-placeholder"));
        vm.message.addListener((o, was, now) -> guard.update());
        modelKeys.setPrefHeight(130);
        modelKeys.getColumns().setAll(List.of(
                Columns.text("Label", SecretsViewModel.ModelKeyRow::label, 180),
                Columns.text("Provider", SecretsViewModel.ModelKeyRow::provider, 140),
                Columns.text("Base URL", SecretsViewModel.ModelKeyRow::baseUrl, 260),
                Columns.text("API key", SecretsViewModel.ModelKeyRow::key, 220)));
        modelKeys.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
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
        dev.appstrate.desktop.ui.OpenSelected.on(modelKeys, k -> modelKey.input().requestFocus());
        HBox row = new HBox(8, modelKey, replace);
        row.getStyleClass().add("toolbar-row");
        Label cannotReplace = guard.require("model-provider-credentials:write", "secrets-model-key-denied", row);
        TitledPane p = new TitledPane("Model provider keys", new VBox(8, modelKeys, row, cannotReplace));
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
        ring.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY); // columns fill the width, as every other table's
        ring.setPrefHeight(110);
        ring.setPlaceholder(new Label("—"));
        ring.getColumns().setAll(List.of(
                Columns.text("Key id", SecretsViewModel.KeyRow::kid, 200),
                Columns.chip("State", k -> k.active() ? "active" : "retired", 80),
                Columns.text("Values it encrypts", k -> String.valueOf(k.values()), 150)));
        rot.getStyleClass().add("muted");
        vm.rotation.addListener((obs, o, n) -> {
            rot.getStyleClass().removeAll("muted", "message-error");
            rot.getStyleClass().add(n.startsWith("Every") ? "muted" : "message-error");
        });
        ring.visibleProperty().bind(vm.encryption.isNotEqualTo(SecretsViewModel.NOT_AVAILABLE));
        ring.managedProperty().bind(ring.visibleProperty());
        TitledPane p = new TitledPane("Encryption at rest", new VBox(8, enc, ring, rot));
        p.setId("secrets-encryption-pane");
        return p;
    }

    private void confirmDelete(SecretsViewModel.ConnectionRow row) {
        dev.appstrate.desktop.ui.Confirm.ask(view.getScene().getWindow(), "Delete the " + row.packageId() + " connection"
                + (row.label().isEmpty() ? "" : " " + dev.appstrate.desktop.ui.Confirm.quoted(row.label())) + "?",
                "Agents that declare " + row.packageId() + " will not run until it is connected again.", "Delete",
                () -> vm.deleteConnection(row));
    }

    @Override
    public void onShow() {
        guard.update();
        vm.refresh();
        form.reload();
    }

    /** Typed values do not outlive the page being shown. */
    @Override
    public void onHide() {
        form.forget();
        if (modelKey != null) {
            modelKey.clear();
        }
    }
}
