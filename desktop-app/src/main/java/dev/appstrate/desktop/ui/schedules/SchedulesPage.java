package dev.appstrate.desktop.ui.schedules;

import dev.appstrate.desktop.ui.Columns;
import dev.appstrate.desktop.ui.Confirm;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.KeptSelection;
import dev.appstrate.desktop.ui.OpenSelected;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Widgets;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Schedules: each with its next run (in its own zone) or a clear paused state; create/edit, pause/resume, run now. */
public final class SchedulesPage implements Page {
    private final DesktopContext ctx;
    private final SchedulesViewModel vm;
    /** The schedules, whose selection (and so the recent runs below) a refresh keeps. */
    private final KeptSelection<ScheduleRow> kept;
    private final TableView<ScheduleRow> table;
    private VBox view;
    private ScheduleDialog lastDialog;

    public SchedulesPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.vm = new SchedulesViewModel(ctx.client());
        this.kept = KeptSelection.table(vm.schedules, ScheduleRow::id);
        this.table = kept.table();
    }

    @Override
    public String title() {
        return "Schedules";
    }

    public SchedulesViewModel viewModel() {
        return vm;
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Button create = new Button("New schedule…");
        create.setId("schedules-new");
        create.setOnAction(e -> openDialog(null));
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        view = Widgets.page("Schedules", create, refresh);

        table.setId("schedules-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY); // columns fill the width: no blank header at the end
        table.setPlaceholder(Widgets.emptyState(vm.empty, "schedules-empty")); // the one empty state: no second one above the table
        table.getColumns().setAll(List.of(
                Columns.chip("Status", ScheduleRow::status, 80),
                Columns.text("Name", ScheduleRow::shownName, 150),
                Columns.text("Agent", ScheduleRow::packageId, 150),
                Columns.textWithTooltip("Schedule", ScheduleRow::when, 260),
                // the next run reads whole at 1024 px (the Schedule column gives way, whole on hover); both times at 1280.
                // Not the last run too: the two minimums overflow the table at the smallest window (900 px)
                Columns.atLeast(Columns.textWithTooltip("Next run", ScheduleRow::nextRun, 190), ZONED_SAMPLE),
                Columns.textWithTooltip("Last run", ScheduleRow::lastRun, 190)));
        table.setRowFactory(tv -> {
            TableRow<ScheduleRow> row = new TableRow<>() {
                @Override
                protected void updateItem(ScheduleRow s, boolean empty) {
                    super.updateItem(s, empty);
                    // a paused schedule reads as such across the whole row, not just in its chip
                    pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("paused"), !empty && s != null && !s.enabled());
                }
            };
            return row;
        });
        OpenSelected.on(table, this::openDialog);
        VBox.setVgrow(table, Priority.ALWAYS);
        kept.selectedItem().addListener((obs, o, s) -> {
            if (s == null || o == null || !s.id().equals(o.id())) {
                vm.loadFires(s == null ? null : s.id());
            }
        });

        BooleanBinding none = kept.selectedItem().isNull();
        Button edit = new Button("Edit…");
        edit.setId("schedules-edit");
        edit.disableProperty().bind(none);
        edit.setOnAction(e -> openDialog(selected()));
        Button toggle = new Button();
        toggle.setId("schedules-toggle");
        toggle.textProperty().bind(Bindings.createStringBinding(() -> selected() != null && !selected().enabled() ? "Resume" : "Pause",
                kept.selectedItem()));
        toggle.disableProperty().bind(none);
        toggle.setOnAction(e -> vm.setEnabled(selected(), !selected().enabled(), ctx.notifier()::info));
        Button runNow = new Button("Run now");
        runNow.setId("schedules-run-now");
        runNow.disableProperty().bind(none);
        runNow.setOnAction(e -> vm.runNow(selected(), ctx.notifier()::info));
        runNow.setVisible(vm.canRunNow()); // the original has no "run now" for a schedule
        runNow.setManaged(runNow.isVisible());
        Button delete = new Button("Delete…");
        delete.setId("schedules-delete");
        delete.disableProperty().bind(none);
        delete.setOnAction(e -> confirmDelete(selected()));
        HBox actions = new HBox(8, edit, toggle, runNow, Widgets.grow(), delete);
        actions.getStyleClass().add("toolbar-row");

        TableView<SchedulesViewModel.FireRow> fires = new TableView<>(vm.fires);
        fires.setId("schedules-fires");
        fires.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        Label firesNone = new Label();
        firesNone.setId("schedules-fires-placeholder");
        firesNone.textProperty().bind(Bindings.when(none)
                .then("Select a schedule to see its recent runs").otherwise("This schedule has not run yet"));
        fires.setPlaceholder(firesNone);
        fires.setPrefHeight(170);
        fires.getColumns().setAll(List.of(
                Columns.text("Fired", SchedulesViewModel.FireRow::fireTime, 170),
                Columns.text("Trigger", SchedulesViewModel.FireRow::trigger, 90),
                Columns.chip("Status", SchedulesViewModel.FireRow::status, 90),
                Columns.text("Run", SchedulesViewModel.FireRow::runId, 300),
                Columns.text("Error", SchedulesViewModel.FireRow::error, 260)));
        OpenSelected.on(fires, f -> ctx.navigator().openRun(f.runId()), f -> !f.runId().isEmpty());

        view.getChildren().addAll(Widgets.message(vm.message, "schedules-message"), table, actions,
                Widgets.sectionTitle("Recent runs of the selected schedule"), fires);
        return view;
    }

    /** The widest usual time in a schedule's zone. */
    private static final String ZONED_SAMPLE = "Wed 2026-12-09 02:00 CEST";

    private ScheduleRow selected() {
        return kept.getSelectedItem();
    }

    /** Selects the schedule with this id, now or once the list holds it (after the list refreshed it stays selected). */
    public void select(String id) {
        kept.select(id);
    }

    /** Opens the create (null) or edit dialog; a saved schedule is selected in the list. */
    public ScheduleDialog openDialog(ScheduleRow row) {
        ScheduleDialog d = new ScheduleDialog(view.getScene().getWindow(), ctx.client(), vm.api(), row == null ? null : row.schedule());
        lastDialog = d;
        d.show(saved -> {
            ctx.notifier().info("Schedule saved: " + (saved.cronDescription().isEmpty() ? saved.cronExpression() : saved.cronDescription()));
            select(saved.id());
            vm.refresh();
        });
        return d;
    }

    public ScheduleDialog lastDialog() {
        return lastDialog;
    }

    private void confirmDelete(ScheduleRow row) {
        Confirm.ask(view.getScene().getWindow(), "Delete schedule " + Confirm.quoted(row.shownName()) + "?",
                "It will not run again; its past runs stay in Runs.", "Delete", () -> vm.delete(row, ctx.notifier()::info));
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
