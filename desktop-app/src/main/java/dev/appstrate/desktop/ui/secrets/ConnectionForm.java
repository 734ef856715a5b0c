package dev.appstrate.desktop.ui.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.ui.ClipboardGuard;
import dev.appstrate.desktop.ui.Notifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.stage.Window;

/**
 * The "add or replace a connection" form: an integration and one of its auths, a masked field per credential
 * the auth declares, a label. Saving sends the values once and clears every field, whatever the answer.
 */
final class ConnectionForm {
    private final SecretsViewModel vm;
    private final ClipboardGuard clipboard;
    private final Notifier notifier;
    private final Supplier<Window> owner;
    final ComboBox<SecretsViewModel.IntegrationItem> integration = new ComboBox<>();
    final ComboBox<String> auth = new ComboBox<>();
    final TextField label = new TextField();
    private final Map<String, SecretField> fields = new LinkedHashMap<>();
    private final GridPane fieldGrid = new GridPane();
    private final StringProperty authNote = new SimpleStringProperty("");
    /** The connection whose value the form replaces, or null to add a connection. */
    private final StringProperty replacing = new SimpleStringProperty();
    private final StringProperty replacingNote = new SimpleStringProperty("");
    private String wantedIntegration;
    private String shownFields = "";
    private GridPane form;

    ConnectionForm(SecretsViewModel vm, ClipboardGuard clipboard, Notifier notifier, Supplier<Window> owner) {
        this.vm = vm;
        this.clipboard = clipboard;
        this.notifier = notifier;
        this.owner = owner;
    }

    SecretField field(String name) {
        return fields.get(name);
    }

    Node view() {
        if (form != null) {
            return form;
        }
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
        register.setOnAction(e -> new IntegrationDialog(owner.get(), vm, item -> {
            notifier.info("Integration " + item.id() + " registered: connect it below");
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
        save.setOnAction(e -> save());

        form = new GridPane();
        form.setHgap(10);
        form.setVgap(8);
        form.addRow(0, new Label("Integration"), new HBox(8, integration, auth, register));
        form.add(authInfo, 1, 1);
        form.add(replacingRow, 1, 2);
        form.add(fieldGrid, 0, 3, 2, 1);
        form.addRow(4, new Label("Label"), label);
        form.add(save, 1, 5);
        return form;
    }

    /** The chosen integration again (its readiness may have changed). */
    void reload() {
        if (integration.getValue() != null) {
            vm.loadIntegration(integration.getValue().id());
        }
    }

    /** Clears whatever is typed. */
    void forget() {
        fields.values().forEach(SecretField::clear);
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
    void save() {
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
        vm.connect(i.id(), a, creds, l, connectionId, notifier::info);
    }

    /** Points the form at a stored connection: saving replaces its value instead of adding a connection. */
    void startReplacing(SecretsViewModel.ConnectionRow row) {
        vm.integrations.stream().filter(i -> i.id().equals(row.packageId())).findFirst().ifPresent(integration::setValue);
        auth.setValue(row.authKey());
        replacing.set(row.id());
        replacingNote.set("Replacing the value of " + row.packageId() + " (" + row.authKey() + ")"
                + (row.label().isEmpty() ? "" : " \"" + row.label() + "\"") + ", now " + row.hints() + " —");
    }
}
