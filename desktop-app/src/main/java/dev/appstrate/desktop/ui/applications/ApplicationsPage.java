package dev.appstrate.desktop.ui.applications;

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
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Applications: list, create, delete, and choose the one the app works in (sent as X-App-Id). */
public final class ApplicationsPage implements Page {
    private final DesktopContext ctx;
    private final ObservableList<JsonNode> apps = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty currentApp = new SimpleStringProperty("");
    private final TableView<JsonNode> table = new TableView<>(apps);
    final TextField name = new TextField();
    private VBox view;

    public ApplicationsPage(DesktopContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String title() {
        return "Applications";
    }

    public ObservableList<JsonNode> applications() {
        return apps;
    }

    public TableView<JsonNode> table() {
        return table;
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        view = Widgets.page("Applications");
        Label current = new Label();
        current.setId("apps-current");
        current.textProperty().bind(currentApp);
        current.getStyleClass().add("muted");
        name.setId("apps-name");
        name.setPromptText("New application name");
        Button create = new Button("Create");
        create.setId("apps-create");
        create.setOnAction(e -> create());
        name.setOnAction(e -> create());
        Button use = new Button("Work in this application");
        use.setId("apps-use");
        Button delete = new Button("Delete…");
        delete.setId("apps-delete");
        var sel = table.getSelectionModel().selectedItemProperty();
        use.disableProperty().bind(sel.isNull());
        delete.disableProperty().bind(sel.isNull());
        use.setOnAction(e -> use(sel.get()));
        delete.setOnAction(e -> confirmDelete(sel.get()));
        table.setId("apps-table");
        table.setPlaceholder(new Label("No applications"));
        table.getColumns().setAll(List.of(
                col("", a -> DesktopJson.text(a, "id").equals(ctx.client().applicationId()) ? "●" : "", 30),
                col("Name", a -> DesktopJson.text(a, "name") + (a.path("isDefault").asBoolean() ? "  (default)" : ""), 220),
                col("Id", a -> DesktopJson.text(a, "id"), 330),
                col("Created", a -> DesktopJson.text(a, "createdAt"), 200)));
        VBox.setVgrow(table, Priority.ALWAYS);
        HBox row = new HBox(8, name, create, Widgets.grow(), use, delete);
        row.getStyleClass().add("toolbar-row");
        view.getChildren().addAll(current, Widgets.message(message, "apps-message"), row, table);
        return view;
    }

    private static TableColumn<JsonNode, String> col(String n, java.util.function.Function<JsonNode, String> f, double w) {
        TableColumn<JsonNode, String> c = new TableColumn<>(n);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    public void refresh() {
        String appId = ctx.client().applicationId();
        currentApp.set(ctx.client().endpoint().apiKey() ? "This API key works in its own application."
                : appId == null ? "No application chosen." : "Working in " + appId);
        Tasks.create(() -> ctx.client().applications().path("data"))
                .onSuccess(data -> {
                    List<JsonNode> out = new ArrayList<>();
                    data.forEach(out::add);
                    apps.setAll(out);
                    message.set("");
                    table.refresh();
                })
                .onError(e -> message.set(e instanceof ApiProblem p && p.notAvailable()
                        ? "Applications are not available on this server yet." : Notifier.describe(e)))
                .start();
    }

    public void create() {
        String n = name.getText().trim();
        if (n.isEmpty()) {
            message.set("Give the application a name.");
            return;
        }
        Tasks.create(() -> ctx.client().createApplication(n))
                .onSuccess(a -> {
                    name.clear();
                    ctx.notifier().info("Created " + DesktopJson.text(a, "name"));
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    /** Makes {@code app} the current application for every screen, and remembers it. */
    public void use(JsonNode app) {
        String id = DesktopJson.text(app, "id");
        ctx.client().applicationId(id);
        ctx.updateSettings(ctx.settings().get().withApplicationId(id));
        ctx.notifier().info("Working in " + DesktopJson.text(app, "name"));
        refresh();
    }

    private void confirmDelete(JsonNode app) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Its agents' installs, API keys and end-users go with it.",
                ButtonType.OK, ButtonType.CANCEL);
        a.setHeaderText("Delete " + DesktopJson.text(app, "name") + "?");
        dev.appstrate.desktop.ui.DialogFit.apply(a, view.getScene().getWindow());
        a.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> delete(app));
    }

    public void delete(JsonNode app) {
        Tasks.run(() -> ctx.client().deleteApplication(DesktopJson.text(app, "id")))
                .onSuccess(x -> refresh())
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    @Override
    public void onShow() {
        refresh();
    }
}
