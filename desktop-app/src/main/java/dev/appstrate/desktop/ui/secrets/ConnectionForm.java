package dev.appstrate.desktop.ui.secrets;

import dev.appstrate.desktop.client.SecretsApi;
import dev.appstrate.desktop.ui.ClipboardGuard;
import dev.appstrate.desktop.ui.Notifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
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
        auth.setPromptText("Choose an integration first");
        vm.integration.addListener((obs, o, d) -> showAuths(d));
        auth.valueProperty().addListener((obs, o, a) -> showFields(vm.integration.get(), a));
        Button register = new Button("Register an integration…");
        register.setId("secrets-register");
        register.setOnAction(e -> new IntegrationDialog(owner.get(), vm, item -> {
            notifier.info("Integration " + item.id() + " registered: connect it below");
            integration.setValue(item); // equal to the listed one once the list refreshes
        }).show());
        register.setVisible(vm.canRegisterIntegrations());
        register.setManaged(register.isVisible());
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
        Label authTitle = new Label("Auth");
        authTitle.setLabelFor(auth);
        // rows with nothing to say take no room
        authInfo.managedProperty().bind(authNote.isNotEmpty());
        fieldGrid.managedProperty().bind(Bindings.isNotEmpty(fieldGrid.getChildren()));
        // each list on its own row, as wide as the other fields: side by side with the button they were squeezed to
        // "Choose an in…" at 900 px; the button keeps its words
        register.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        for (ComboBox<?> list : List.of(integration, auth)) {
            list.setMinWidth(200);
            list.setPrefWidth(320);
            list.setMaxWidth(460);
            HBox.setHgrow(list, javafx.scene.layout.Priority.ALWAYS);
        }
        HBox choice = new HBox(8, integration, register);
        choice.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        form.addRow(0, new Label("Integration"), choice);
        form.addRow(1, authTitle, auth);
        form.add(authInfo, 1, 2);
        form.add(replacingRow, 1, 3);
        form.add(fieldGrid, 0, 4, 2, 1);
        form.addRow(5, new Label("Label"), label);
        form.add(save, 1, 6);
        // Enter in the form saves, as in Models' form; Enter elsewhere on the page keeps its own meaning
        save.defaultButtonProperty().bind(form.focusWithinProperty());
        dev.appstrate.desktop.ui.Widgets.rowGaps(form, 8); // the auth note, replacing and field rows are often empty
        // the credential fields' labels line up with the form's own
        form.getColumnConstraints().setAll(labelColumn(), new javafx.scene.layout.ColumnConstraints());
        fieldGrid.getColumnConstraints().setAll(labelColumn(), new javafx.scene.layout.ColumnConstraints());
        label.setMaxWidth(460);
        return form;
    }

    private static javafx.scene.layout.ColumnConstraints labelColumn() {
        javafx.scene.layout.ColumnConstraints c = new javafx.scene.layout.ColumnConstraints();
        c.setMinWidth(110);
        return c;
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

    private void showAuths(SecretsApi.IntegrationDetail detail) {
        List<String> keys = new ArrayList<>();
        if (detail != null) {
            detail.auths().stream().filter(SecretsApi.Auth::supported).forEach(a -> keys.add(a.key()));
        }
        String before = auth.getValue();
        if (!auth.getItems().equals(keys)) {
            auth.getItems().setAll(keys);
        }
        String want = before != null && keys.contains(before) ? before : keys.isEmpty() ? null : keys.get(0);
        auth.setValue(want);
        showFields(detail, want); // the same auth again: its readiness may have changed
    }

    /** A masked field per credential the auth's manifest declares ({@code credentials.schema}). */
    private void showFields(SecretsApi.IntegrationDetail detail, String authKey) {
        SecretsApi.Auth a = detail == null || authKey == null ? null : detail.auth(authKey);
        String key = a == null ? "" : detail.packageId() + "/" + authKey + ":" + a.fields();
        if (!key.equals(shownFields)) { // a refresh of the same form keeps what is being typed
            shownFields = key;
            fields.values().forEach(SecretField::clear);
            fields.clear();
            fieldGrid.getChildren().clear();
            int row = 0;
            for (SecretsApi.CredentialField f : a == null ? List.<SecretsApi.CredentialField>of() : a.fields()) {
                SecretField sf = new SecretField("secrets-field-" + f.name(), f.description().isEmpty() ? f.name() : f.description(),
                        clipboard);
                sf.setPrefWidth(460);
                fields.put(f.name(), sf);
                Label l = new Label(f.name() + (f.required() ? " *" : ""));
                l.setMinWidth(Region.USE_PREF_SIZE);
                fieldGrid.addRow(row++, l, sf);
            }
        }
        authNote.set("");
        if (a != null) {
            String pkg = detail.packageId();
            authNote.set(a.type() + " · "
                    + (a.ready() ? "connected (" + a.connections() + "): agents that declare " + pkg + " can run"
                    : "not connected yet: agents that declare " + pkg + " cannot run")
                    + (a.authorizedUris().isEmpty() ? "" : " · sent only to " + String.join(", ", a.authorizedUris())));
        }
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
