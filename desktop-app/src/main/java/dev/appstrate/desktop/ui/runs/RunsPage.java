package dev.appstrate.desktop.ui.runs;

import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.KeptSelection;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Columns;
import dev.appstrate.desktop.ui.Widgets;
import javafx.collections.FXCollections;
import javafx.collections.transformation.SortedList;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import java.util.List;

/** Runs: a sortable, filterable table updated live; open, cancel, delete. */
public final class RunsPage implements Page {
    private final DesktopContext ctx;
    private final RunsViewModel vm;
    /** The runs, sorted by the table's columns; a load or a live update keeps the selected runs (by id) and the focused one. */
    private final SortedList<RunRow> sorted;
    private final KeptSelection<RunRow> kept;
    private final TableView<RunRow> table;
    private VBox view;

    public RunsPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.vm = new RunsViewModel(ctx.client());
        this.sorted = new SortedList<>(vm.filtered);
        this.kept = KeptSelection.table(sorted, RunRow::id);
        this.table = kept.table();
        sorted.comparatorProperty().bind(table.comparatorProperty());
    }

    public RunsViewModel viewModel() {
        return vm;
    }

    public TableView<RunRow> table() {
        return table;
    }

    @Override
    public String title() {
        return "Runs";
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Button refresh = new Button("Refresh");
        refresh.setId("runs-refresh");
        refresh.setOnAction(e -> vm.refresh());
        Label live = new Label();
        live.textProperty().bind(javafx.beans.binding.Bindings.when(vm.live).then("● live").otherwise("○ not live"));
        live.getStyleClass().add("muted");
        live.setId("runs-live");
        view = Widgets.page("Runs", live, refresh);

        ComboBox<String> agent = new ComboBox<>(vm.agentChoices);
        agent.setId("runs-agent");
        agent.valueProperty().bindBidirectional(vm.agent);
        ComboBox<String> status = new ComboBox<>(FXCollections.observableArrayList(RunsViewModel.ALL));
        status.getItems().addAll(STATUSES);
        status.setId("runs-status");
        status.valueProperty().bindBidirectional(vm.status);
        DatePicker since = new DatePicker();
        since.setId("runs-since");
        since.setPromptText("Started since");
        since.valueProperty().bindBidirectional(vm.since);
        Button open = new Button("Open");
        open.setId("runs-open");
        Button cancel = new Button("Cancel");
        cancel.setId("runs-cancel");
        Button compare = new Button("Compare");
        compare.setId("runs-compare");
        compare.setTooltip(new javafx.scene.control.Tooltip("Select two runs (Ctrl+click) to compare them"));
        table.getSelectionModel().setSelectionMode(javafx.scene.control.SelectionMode.MULTIPLE);
        compare.disableProperty().bind(javafx.beans.binding.Bindings.size(table.getSelectionModel().getSelectedItems()).isNotEqualTo(2));
        compare.setOnAction(e -> compareSelected());
        Button delete = new Button("Delete agent's runs…");
        delete.setId("runs-delete");
        var selected = kept.selectedItem();
        open.disableProperty().bind(selected.isNull());
        delete.disableProperty().bind(selected.isNull());
        cancel.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            RunRow r = selected.get();
            return r == null || !(r.status().equals("running") || r.status().equals("pending"));
        }, selected));
        open.setOnAction(e -> ctx.navigator().openRun(selected.get().id()));
        cancel.setOnAction(e -> vm.cancel(selected.get(), ctx.notifier()));
        delete.setOnAction(e -> confirmDelete(selected.get()));
        Label total = new Label();
        total.textProperty().bind(vm.total);
        total.getStyleClass().add("muted");
        javafx.scene.control.TextField search = new javafx.scene.control.TextField();
        search.setId("runs-search");
        // short enough to read whole at 900 px (the longer one read "Search id, ager"); the tooltip says what it searches
        search.setPromptText("Search runs (Ctrl+F)");
        search.setTooltip(new javafx.scene.control.Tooltip("Searches each run's id, agent, error and input"));
        search.setPrefColumnCount(22);
        search.textProperty().bindBidirectional(vm.search);
        HBox.setHgrow(search, Priority.ALWAYS);
        Label agentLabel = new Label("Agent");
        Label statusLabel = new Label("Status");
        agentLabel.setId("runs-agent-label");
        statusLabel.setId("runs-status-label");
        for (Label l : List.of(agentLabel, statusLabel)) {
            l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // at the minimum window width they read "…"
        }
        // at the minimum width the search field gives way (the status list showed only its arrow, the date "Started si")
        status.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        since.setPrefWidth(150); // room for "Started since" and its button, no more: the search field needs the rest
        since.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        agent.setMinWidth(120);
        HBox filters = new HBox(8, agentLabel, agent, statusLabel, status, since, search);
        HBox actions = new HBox(8, total, Widgets.grow(), open, compare, cancel, delete);
        actions.getStyleClass().add("toolbar-row");
        filters.getStyleClass().add("toolbar-row");
        Label message = new Label();
        message.textProperty().bind(vm.message);
        message.setId("runs-message");
        message.managedProperty().bind(message.textProperty().isNotEmpty());
        message.getStyleClass().add("muted");

        table.setId("runs-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY); // at 1280 wide the Run column was past the edge
        TableColumn<RunRow, String> st = Columns.chip("Status", RunRow::status, 110, STATUSES);
        TableColumn<RunRow, String> started = Columns.atLeast(Columns.time("Started", RunRow::startedIso, "", 160), Columns.TIME_SAMPLE);
        // Duration sorts by milliseconds (428 ms before 19.5 s), shown as text
        TableColumn<RunRow, Number> dur = Columns.number("Duration", RunRow::durationMs, RunRow::formatDuration, 90);
        dur.setId("runs-duration");
        TableColumn<RunRow, String> idCol = Columns.textWithTooltip("Run", RunRow::id, 360); // the whole id on hover when cut
        // no minimum beyond its header: the columns fill the table, and a 300 px floor pushed Run out of it at 900 wide
        idCol.getStyleClass().add("mono");
        // the whole agent id on hover when a narrow window cuts it (a minimum width pushed the table past 900 px windows)
        table.getColumns().setAll(java.util.List.of(st, Columns.textWithTooltip("Agent", RunRow::agent, 200), started, dur,
                Columns.text("Cost / tokens", RunRow::cost, 160), idCol));
        table.setPlaceholder(Widgets.emptyState(vm.empty, "runs-empty")); // the one empty state: no second one above the table
        dev.appstrate.desktop.ui.OpenSelected.on(table, r -> ctx.navigator().openRun(r.id()));
        view.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.F,
                    javafx.scene.input.KeyCombination.SHORTCUT_DOWN).match(e)) {
                search.requestFocus();
                search.selectAll();
                e.consume();
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        view.getChildren().addAll(filters, actions, message, table);
        return view;
    }

    /** A run's statuses, as the Status filter offers them. */
    private static final List<String> STATUSES = List.of("pending", "running", "success", "failed", "timeout", "cancelled");

    /** Runs → Compare with exactly two runs selected. */
    public CompareRunsDialog compareSelected() {
        var rows = List.copyOf(table.getSelectionModel().getSelectedItems());
        if (rows.size() != 2) {
            return null;
        }
        CompareRunsDialog d = new CompareRunsDialog(view.getScene().getWindow());
        d.show(ctx.client(), rows.get(0).id(), rows.get(1).id());
        return d;
    }

    private void confirmDelete(RunRow r) {
        String agentId = r.agent();
        dev.appstrate.desktop.ui.Confirm.ask(view.getScene().getWindow(), "Delete every finished run of " + agentId + "?",
                "Their logs are deleted too. This cannot be undone.", "Delete runs", () -> vm.deleteRunsOf(agentId, ctx.notifier()));
    }

    @Override
    public void onShow() {
        vm.refresh();
        vm.startLive();
    }

    @Override
    public void onHide() {
        vm.stopLive();
    }
}
