package dev.appstrate.desktop.ui.docker;

import dev.appstrate.desktop.client.DockerApi;
import dev.appstrate.desktop.ui.Columns;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Widgets;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Docker: whether the engine answers (and if not, why and how to fix it); the containers, networks and volumes
 * Appstrate owns, with run, state, age and an orphan badge; removal of the selected ones or of every orphan
 * after a confirmation listing exactly what goes.
 */
public final class DockerPage implements Page {
    private final DesktopContext ctx;
    private final DockerViewModel vm;
    private final TableView<ResourceRow> containers;
    private final TableView<ResourceRow> networks;
    private final TableView<ResourceRow> volumes;
    private final dev.appstrate.desktop.ui.PermissionGuard guard;
    private CleanupDialog lastDialog;
    private VBox view;
    /** Ages are computed when a row is drawn: redraw now and then so that they grow while the screen is open. */
    private final javafx.animation.Timeline ages = new javafx.animation.Timeline(
            new javafx.animation.KeyFrame(javafx.util.Duration.seconds(15), e -> redrawAges()));

    public DockerPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.vm = new DockerViewModel(new DockerApi(ctx.client()));
        this.guard = new dev.appstrate.desktop.ui.PermissionGuard(ctx.client());
        this.containers = table("docker-containers", vm.containers, true);
        this.networks = table("docker-networks", vm.networks, false);
        this.volumes = table("docker-volumes", vm.volumes, false);
        ages.setCycleCount(javafx.animation.Animation.INDEFINITE);
    }

    private void redrawAges() {
        containers.refresh();
        networks.refresh();
        volumes.refresh();
    }

    @Override
    public String title() {
        return "Docker";
    }

    public DockerViewModel viewModel() {
        return vm;
    }

    /** The cleanup confirmation last opened (tests work it as a user would). */
    public CleanupDialog lastDialog() {
        return lastDialog;
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Button refresh = new Button("Refresh");
        refresh.setId("docker-refresh");
        refresh.setOnAction(e -> vm.refresh());
        view = Widgets.page("Docker", refresh);
        view.getChildren().addAll(statusBox(), Widgets.message(vm.message, "docker-message"), resources());
        return view;
    }

    private Node statusBox() {
        Label chip = Widgets.chip(Bindings.createStringBinding(() -> !vm.loaded.get() ? "" : vm.available.get() ? "available" : "unavailable",
                vm.loaded, vm.available));
        chip.setId("docker-chip");
        Label headline = new Label();
        headline.setId("docker-headline");
        headline.textProperty().bind(vm.headline);
        headline.setStyle("-fx-font-weight: bold;");
        Label reason = new Label();
        reason.setId("docker-reason");
        reason.textProperty().bind(vm.reason);
        reason.setWrapText(true);
        Label hint = new Label();
        hint.setId("docker-hint");
        hint.textProperty().bind(Bindings.when(vm.hint.isEmpty()).then("").otherwise(Bindings.concat("How to fix it: ", vm.hint)));
        hint.setWrapText(true);
        for (Label l : List.of(reason, hint)) {
            l.visibleProperty().bind(l.textProperty().isNotEmpty());
            l.managedProperty().bind(l.visibleProperty());
        }
        Label runtime = new Label();
        runtime.setId("docker-runtime");
        runtime.textProperty().bind(vm.runtime);
        runtime.getStyleClass().add("muted");
        HBox head = new HBox(8, chip, headline);
        head.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        VBox box = new VBox(6, head, reason, hint, runtime);
        box.getStyleClass().add("status-box");
        box.setId("docker-status");
        vm.available.addListener((obs, o, up) -> {
            box.getStyleClass().remove("unavailable");
            if (!up) {
                box.getStyleClass().add("unavailable");
            }
        });
        return box;
    }

    private Node resources() {
        TabPane tabs = new TabPane(
                tab("Containers", containers, vm.containers),
                tab("Networks", networks, vm.networks),
                tab("Volumes", volumes, vm.volumes));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("docker-tabs");
        VBox.setVgrow(tabs, Priority.ALWAYS);

        BooleanBinding noneSelected = Bindings.createBooleanBinding(() -> selected().isEmpty(),
                containers.getSelectionModel().getSelectedItems(), networks.getSelectionModel().getSelectedItems(),
                volumes.getSelectionModel().getSelectedItems());
        Button removeSelected = new Button("Remove selected…");
        removeSelected.setId("docker-remove-selected");
        removeSelected.disableProperty().bind(noneSelected);
        removeSelected.setOnAction(e -> confirmSelected());
        Button cleanOrphans = new Button();
        cleanOrphans.setId("docker-clean-orphans");
        cleanOrphans.textProperty().bind(Bindings.concat("Clean up orphans (", vm.orphans, ")…"));
        cleanOrphans.disableProperty().bind(vm.orphans.isEqualTo(0));
        cleanOrphans.setOnAction(e -> confirmOrphans());
        Label note = new Label("Orphans belong to no active run (a crash or a killed server left them). Select rows with Ctrl/Shift.");
        note.getStyleClass().add("muted");
        // removing goes through POST /api/docker/cleanup, which our server lets an application's key do only with org:write
        // (the engine's resources serve every application's runs)
        Label orgOnly = guard.require("org:write", "Docker's containers, networks and volumes serve every application; an "
                + "owner, or a key created with org:write, removes them", "docker-org-denied", removeSelected, cleanOrphans, note);
        HBox actions = new HBox(8, removeSelected, cleanOrphans, orgOnly, note);
        actions.getStyleClass().add("toolbar-row");
        Label result = new Label();
        result.setId("docker-result");
        result.textProperty().bind(vm.result);
        result.setWrapText(true);
        result.getStyleClass().add("message-ok");
        VBox box = new VBox(8, actions, result, tabs);
        VBox.setVgrow(box, Priority.ALWAYS);
        box.visibleProperty().bind(vm.available);
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private static Tab tab(String name, TableView<ResourceRow> table, ObservableList<ResourceRow> items) {
        Tab t = new Tab();
        t.textProperty().bind(Bindings.createStringBinding(() -> name + " (" + items.size() + ")", items));
        t.setContent(table);
        t.setId("docker-tab-" + name.toLowerCase());
        return t;
    }

    private static TableView<ResourceRow> table(String id, ObservableList<ResourceRow> items, boolean containers) {
        TableView<ResourceRow> t = new TableView<>(items);
        t.setId(id);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY); // 1040 px of columns: with a scroll bar, Image went past the edge
        t.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        t.setPlaceholder(new Label("Nothing managed by Appstrate"));
        List<TableColumn<ResourceRow, String>> cols = new ArrayList<>(List.of(
                Columns.chip("", ResourceRow::badge, 80),
                Columns.text("Name", ResourceRow::name, 330),
                Columns.text("Run", ResourceRow::runId, 290),
                Columns.text("State", ResourceRow::state, 90),
                Columns.text("Age", ResourceRow::age, 70)));
        if (containers) {
            cols.add(Columns.text("Image", ResourceRow::image, 180));
        }
        t.getColumns().setAll(cols);
        return t;
    }

    private List<ResourceRow> selected() {
        List<ResourceRow> out = new ArrayList<>();
        out.addAll(containers.getSelectionModel().getSelectedItems());
        out.addAll(networks.getSelectionModel().getSelectedItems());
        out.addAll(volumes.getSelectionModel().getSelectedItems());
        return out;
    }

    /** Previews removing the selected rows, then asks. */
    public void confirmSelected() {
        List<ResourceRow> rows = selected();
        if (!rows.isEmpty()) {
            preview(rows, false, "Remove these " + rows.size() + " resources?");
        }
    }

    /** Previews removing every orphan, then asks. */
    public void confirmOrphans() {
        preview(null, false, "Remove every orphan?");
    }

    private void preview(List<ResourceRow> rows, boolean force, String header) {
        List<String> ids = rows == null ? null : rows.stream().map(ResourceRow::id).toList();
        vm.result.set("");
        vm.preview(ids, force, wouldGo -> {
            if (wouldGo.isEmpty()) {
                ctx.notifier().info("Nothing to remove: it is gone already.");
                vm.refresh();
                return;
            }
            lastDialog = new CleanupDialog(view.getScene().getWindow(), header, wouldGo, force);
            lastDialog.show(confirmed -> vm.remove(confirmed, force, (gone, failed) ->
                    ctx.notifier().info("Removed " + gone + (failed > 0 ? ", " + failed + " could not be removed" : ""))));
        }, serverDetail -> {
            Alert a = dev.appstrate.desktop.ui.Confirm.alert(view.getScene().getWindow(), "Remove Docker resources that are in use?",
                    inUse(rows, serverDetail), "Review anyway");
            a.setAlertType(Alert.AlertType.WARNING);
            a.setHeaderText("Some of these are in use");
            a.getDialogPane().setId("docker-in-use-dialog");
            a.showAndWait().filter(b -> b != ButtonType.CANCEL).ifPresent(b -> preview(rows, true, header));
        });
    }

    /** What removing the in-use rows would do, in the app's words (the server's detail is written for API clients). */
    static String inUse(List<ResourceRow> rows, String serverDetail) {
        List<String> lines = new ArrayList<>();
        for (ResourceRow r : rows == null ? List.<ResourceRow>of() : rows) {
            if (r.orphaned()) {
                continue;
            }
            if ("pooled".equals(r.state()) || r.runId().isEmpty()) {
                lines.add("• " + r.name() + ": a pre-warmed sidecar waiting for the next run; the pool starts a new one.");
            } else {
                lines.add("• " + r.name() + ": belongs to run " + r.runId() + ", which is still active; removing it stops that run.");
            }
        }
        if (lines.isEmpty()) {
            return "Some of these belong to an active run; removing them stops it. Cancel the run first to keep it safe.";
        }
        return String.join("\n", lines) + "\n\nChoose Review anyway to see exactly what would go before anything is removed.";
    }

    @Override
    public void onShow() {
        guard.update();
        vm.refresh();
        ages.play();
    }

    @Override
    public void onHide() {
        ages.stop();
    }
}
