package dev.appstrate.desktop.ui.apikeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.Widgets;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** API keys of the current application: create (the raw key is shown once), list, revoke. */
public final class ApiKeysPage implements Page {
    private final DesktopContext ctx;
    private final ObservableList<JsonNode> keys = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty newKey = new SimpleStringProperty("");
    private final TableView<JsonNode> table = new TableView<>(keys);
    final TextField name = new TextField();
    private VBox view;

    public ApiKeysPage(DesktopContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String title() {
        return "API keys";
    }

    public ObservableList<JsonNode> keys() {
        return keys;
    }

    /** The raw key of the last created key (shown once). */
    public String createdKey() {
        return newKey.get();
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        view = Widgets.page("API keys");
        name.setId("apikeys-name");
        name.setPromptText("Key name, e.g. CI");
        Button create = new Button("Create key");
        create.setId("apikeys-create");
        create.setOnAction(e -> create());
        name.setOnAction(e -> create());
        TextField shown = new TextField();
        shown.setId("apikeys-new-key");
        shown.setEditable(false);
        shown.textProperty().bind(newKey);
        shown.getStyleClass().add("mono");
        HBox.setHgrow(shown, Priority.ALWAYS);
        Button copy = new Button("Copy");
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(newKey.get());
            Clipboard.getSystemClipboard().setContent(c);
        });
        HBox once = new HBox(8, new Label("New key (shown once):"), shown, copy);
        once.getStyleClass().add("toolbar-row");
        once.visibleProperty().bind(newKey.isNotEmpty());
        once.managedProperty().bind(once.visibleProperty());
        table.setId("apikeys-table");
        table.setPlaceholder(new Label("No API keys"));
        table.getColumns().setAll(List.of(
                col("Name", k -> DesktopJson.text(k, "name"), 180),
                col("Prefix", k -> DesktopJson.text(k, "keyPrefix") + "…", 110),
                col("Scopes", k -> k.path("scopes").size() + " scopes", 90),
                col("Created", k -> DesktopJson.text(k, "createdAt"), 190),
                col("Expires", k -> DesktopJson.text(k, "expiresAt").isEmpty() ? "never" : DesktopJson.text(k, "expiresAt"), 170),
                col("Last used", k -> DesktopJson.text(k, "lastUsedAt"), 190)));
        VBox.setVgrow(table, Priority.ALWAYS);
        Button revoke = new Button("Revoke…");
        revoke.setId("apikeys-revoke");
        revoke.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        revoke.setOnAction(e -> confirmRevoke(table.getSelectionModel().getSelectedItem()));
        HBox row = new HBox(8, name, create, Widgets.grow(), revoke);
        row.getStyleClass().add("toolbar-row");
        view.getChildren().addAll(Widgets.message(message, "apikeys-message"), row, once, table);
        return view;
    }

    private static TableColumn<JsonNode, String> col(String n, java.util.function.Function<JsonNode, String> f, double w) {
        TableColumn<JsonNode, String> c = new TableColumn<>(n);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    public void refresh() {
        Tasks.create(() -> ctx.client().apiKeys().path("data"))
                .onSuccess(data -> {
                    List<JsonNode> out = new ArrayList<>();
                    data.forEach(out::add);
                    keys.setAll(out);
                    message.set("");
                })
                .onError(e -> message.set(e instanceof ApiProblem p && p.notAvailable()
                        ? "API keys are not available on this server yet." : Notifier.describe(e)))
                .start();
    }

    public void create() {
        String n = name.getText().trim();
        if (n.isEmpty()) {
            message.set("Give the key a name.");
            return;
        }
        Tasks.create(() -> ctx.client().createApiKey(n))
                .onSuccess(r -> {
                    newKey.set(DesktopJson.text(r, "key"));
                    name.clear();
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    private void confirmRevoke(JsonNode key) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Programs using this key will get 401 from now on.",
                ButtonType.OK, ButtonType.CANCEL);
        a.setHeaderText("Revoke " + DesktopJson.text(key, "name") + "?");
        dev.appstrate.desktop.ui.DialogFit.apply(a, view.getScene().getWindow());
        a.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> revoke(key));
    }

    public void revoke(JsonNode key) {
        Tasks.run(() -> ctx.client().revokeApiKey(DesktopJson.text(key, "id")))
                .onSuccess(x -> refresh())
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    @Override
    public void onShow() {
        refresh();
    }
}
