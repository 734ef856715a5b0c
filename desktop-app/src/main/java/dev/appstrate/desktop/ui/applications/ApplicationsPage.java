package dev.appstrate.desktop.ui.applications;

import dev.appstrate.desktop.ui.Columns;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.PermissionGuard;
import dev.appstrate.desktop.ui.Widgets;
import dev.appstrate.desktop.ui.applications.ApplicationsViewModel.Application;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Applications: list, create, delete, and choose the one the app works in. The View only binds. */
public final class ApplicationsPage implements Page {
    private final ApplicationsViewModel vm;
    private final TableView<Application> table;
    private final PermissionGuard guard;
    final TextField name = new TextField();
    private VBox view;

    public ApplicationsPage(DesktopContext ctx) {
        this.vm = new ApplicationsViewModel(ctx.client(), ctx.tasks(), ctx.notifier(),
                id -> ctx.updateSettings(ctx.settings().get().withApplicationId(id)));
        this.table = new TableView<>(vm.applications());
        this.guard = new PermissionGuard(ctx.client());
    }

    @Override
    public String title() {
        return "Applications";
    }

    public ApplicationsViewModel viewModel() {
        return vm;
    }

    public TableView<Application> table() {
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
        current.textProperty().bind(vm.currentProperty());
        current.getStyleClass().add("muted");
        name.setId("apps-name");
        name.setPromptText("New application name");
        name.textProperty().bindBidirectional(vm.nameProperty());
        Button create = new Button("Create");
        create.setId("apps-create");
        create.setOnAction(e -> vm.create());
        name.setOnAction(e -> vm.create());
        Button use = new Button("Work in this application");
        use.setId("apps-use");
        Button delete = new Button("Delete…");
        delete.setId("apps-delete");
        var sel = table.getSelectionModel().selectedItemProperty();
        use.disableProperty().bind(sel.isNull());
        delete.disableProperty().bind(sel.isNull());
        use.setOnAction(e -> vm.use(sel.get()));
        delete.setOnAction(e -> confirmDelete(sel.get()));
        table.setId("apps-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY); // 750 px of columns scrolled sideways at 900 wide
        table.setPlaceholder(new Label("No applications"));
        table.getColumns().setAll(List.of(
                Columns.text("", (Application a) -> vm.isCurrent(a) ? "●" : "", 30),
                Columns.text("Name", (Application a) -> a.name() + (a.isDefault() ? "  (default)" : ""), 220),
                Columns.textWithTooltip("Id", Application::id, 330),
                Columns.time("Created", Application::createdAt, "", 170)));
        vm.currentProperty().addListener((o, a, b) -> table.refresh());
        VBox.setVgrow(table, Priority.ALWAYS);
        // the original and our server refuse every API key here (403), whatever its scopes: the owner creates applications
        Label ownerOnly = guard.requireOwner("An API key cannot create applications: the organization's owner does.",
                "apps-create-denied", name, create);
        use.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // the reason wraps, the buttons keep their words
        delete.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox row = new HBox(8, name, create, ownerOnly, Widgets.grow(), use, delete);
        row.getStyleClass().add("toolbar-row");
        Label msg = Widgets.message(vm.messageProperty(), "apps-message");
        view.getChildren().addAll(current, msg, row, table);
        return view;
    }

    private void confirmDelete(Application app) {
        dev.appstrate.desktop.ui.Confirm.ask(view.getScene().getWindow(), "Delete application "
                + dev.appstrate.desktop.ui.Confirm.quoted(app.name()) + "?", "Its agents' installs, API keys and end-users go with it.",
                "Delete", () -> vm.delete(app));
    }

    public void refresh() {
        vm.refresh();
    }

    @Override
    public void onShow() {
        guard.update();
        vm.refresh();
    }
}
