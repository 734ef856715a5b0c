package dev.appstrate.desktop.ui.apikeys;

import dev.appstrate.desktop.ui.Columns;
import dev.appstrate.desktop.ui.ClipboardGuard;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Widgets;
import dev.appstrate.desktop.ui.apikeys.ApiKeysViewModel.ApiKey;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** API keys of the current application: create (the raw key is shown once), list, revoke. The View only binds. */
public final class ApiKeysPage implements Page {
    private final ApiKeysViewModel vm;
    private final dev.appstrate.desktop.ui.PermissionGuard guard;
    private final TableView<ApiKey> table;
    private final ClipboardGuard clipboard = new ClipboardGuard();
    private final DesktopContext ctx;
    final TextField name = new TextField();
    private VBox view;
    private Label orgNote;

    public ApiKeysPage(DesktopContext ctx) {
        this.vm = new ApiKeysViewModel(ctx.client(), ctx.tasks());
        this.guard = new dev.appstrate.desktop.ui.PermissionGuard(ctx.client());
        this.table = new TableView<>(vm.keys());
        this.ctx = ctx;
    }

    @Override
    public String title() {
        return "API keys";
    }

    public ApiKeysViewModel viewModel() {
        return vm;
    }

    /** The raw key of the last created key (shown once). */
    public String createdKey() {
        return vm.newKeyProperty().get();
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        view = Widgets.page("API keys");
        name.setId("apikeys-name");
        name.setPromptText("Key name, e.g. CI");
        name.textProperty().bindBidirectional(vm.nameProperty());
        Button create = new Button("Create key");
        create.setId("apikeys-create");
        create.setOnAction(e -> vm.create());
        name.setOnAction(e -> vm.create());
        TextField shown = new TextField();
        shown.setId("apikeys-new-key");
        shown.setEditable(false);
        shown.textProperty().bind(vm.newKeyProperty());
        shown.getStyleClass().add("mono");
        HBox.setHgrow(shown, Priority.ALWAYS);
        Button copy = new Button("Copy");
        copy.setId("apikeys-copy");
        copy.setTooltip(new javafx.scene.control.Tooltip("Copies the key; the clipboard is cleared after 30 s if it still holds it"));
        copy.setOnAction(e -> {
            clipboard.copy(vm.newKeyProperty().get());
            ctx.notifier().info("Key copied; the clipboard is cleared in 30 s if it still holds it");
        });
        HBox once = new HBox(8, new Label("New key (shown once):"), shown, copy);
        once.getStyleClass().add("toolbar-row");
        once.visibleProperty().bind(vm.newKeyProperty().isNotEmpty());
        once.managedProperty().bind(once.visibleProperty());
        table.setId("apikeys-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY); // 890 px of columns scrolled sideways at 900 wide
        table.setPlaceholder(guard.placeholder("api-keys:read", "No API keys yet: name one above and create it.", "apikeys-placeholder"));
        table.getColumns().setAll(List.of(
                Columns.text("Name", ApiKey::name, 180),
                Columns.text("Prefix", ApiKey::prefix, 110),
                Columns.text("Scopes", ApiKey::scopes, 90),
                Columns.time("Created", ApiKey::createdAt, "", 170),
                Columns.time("Expires", ApiKey::expiresAt, "never", 170),
                Columns.time("Last used", ApiKey::lastUsedAt, "never", 170)));
        VBox.setVgrow(table, Priority.ALWAYS);
        Button revoke = new Button("Revoke…");
        revoke.setId("apikeys-revoke");
        revoke.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        revoke.setOnAction(e -> confirmRevoke(table.getSelectionModel().getSelectedItem()));
        Label cannotCreate = guard.require("api-keys:create", "apikeys-create-denied", name, create);
        Label cannotRevoke = guard.require("api-keys:revoke", "apikeys-revoke-denied", revoke);
        vm.messageProperty().addListener((o, was, now) -> guard.update());
        HBox row = new HBox(8, name, create, cannotCreate, Widgets.grow(), revoke, cannotRevoke);
        row.getStyleClass().add("toolbar-row");
        Label msg = Widgets.message(vm.messageProperty(), "apikeys-message");
        // our server keeps org-wide changes from a key unless it holds org:write, which a key made here never does
        orgNote = new Label("A key made here acts in this application only: changing models, applications or shared "
                + "integrations needs the org:write scope, asked for through the API.");
        orgNote.setId("apikeys-org-note");
        orgNote.getStyleClass().add("muted");
        orgNote.setWrapText(true);
        orgNote.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // a narrow window wraps it, never cuts it
        orgNote.setVisible(ctx.client().capabilities().ours());
        orgNote.managedProperty().bind(orgNote.visibleProperty());
        view.getChildren().addAll(msg, row, orgNote, once, table);
        return view;
    }

    private void confirmRevoke(ApiKey key) {
        dev.appstrate.desktop.ui.Confirm.ask(view.getScene().getWindow(), "Revoke API key "
                + dev.appstrate.desktop.ui.Confirm.quoted(key.name()) + "?", "Programs using this key will get 401 from now on.",
                "Revoke", () -> vm.revoke(key));
    }

    public void refresh() {
        vm.refresh();
    }

    @Override
    public void onShow() {
        guard.update();
        if (orgNote != null) {
            orgNote.setVisible(ctx.client().capabilities().ours());
        }
        vm.refresh();
    }
}
