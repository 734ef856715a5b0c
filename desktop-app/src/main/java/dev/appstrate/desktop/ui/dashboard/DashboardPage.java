package dev.appstrate.desktop.ui.dashboard;

import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Widgets;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/** Server URL, version, uptime, database, run adapter, Docker, active runs and recent failures; refreshed every 5 s. */
public final class DashboardPage implements Page {
    private final DesktopContext ctx;
    private final DashboardViewModel vm;
    private final Timeline poll;
    private VBox view;

    public DashboardPage(DesktopContext ctx, String localRunAdapter) {
        this.ctx = ctx;
        this.vm = new DashboardViewModel(ctx.client(), localRunAdapter);
        if (ctx.connection() != null) {
            vm.connectionSummary(ctx.connection().summary());
        }
        this.poll = new Timeline(new KeyFrame(Duration.seconds(5), e -> vm.refresh(ctx.notifier())));
        poll.setCycleCount(Timeline.INDEFINITE);
    }

    public DashboardViewModel viewModel() {
        return vm;
    }

    @Override
    public String title() {
        return "Dashboard";
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Label status = Widgets.chip(vm.status);
        status.setId("dash-status");
        FlowPane cards = new FlowPane(10, 10,
                card("Status", status),
                card("Server", value(vm.serverUrl, "dash-url")),
                card("Version", value(vm.version, "dash-version")),
                card("Uptime", value(vm.uptime, "dash-uptime")),
                card("Database", value(vm.database, "dash-database")),
                card("Run adapter", value(vm.runAdapter, "dash-adapter")),
                card("Docker", value(vm.docker, "dash-docker"), dockerReason()),
                card("Active runs", value(vm.activeRuns, "dash-active-runs")));
        Label runsNote = new Label();
        runsNote.textProperty().bind(vm.runsNote);
        runsNote.getStyleClass().add("muted");
        runsNote.setId("dash-runs-note");
        Widgets.shownWhenSaying(runsNote);
        Label err = new Label();
        err.textProperty().bind(vm.error);
        err.getStyleClass().add("message-error");
        err.setId("dash-error");
        err.setWrapText(true);
        Widgets.shownWhenSaying(err);
        ListView<DashboardViewModel.FailedRun> failures = new ListView<>(vm.failures);
        failures.setId("dash-failures");
        failures.setPrefHeight(180);
        failures.setPlaceholder(new Label("No recent failures"));
        failures.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(DashboardViewModel.FailedRun r, boolean empty) {
                super.updateItem(r, empty);
                // the error is the server's one-sentence cause; wrapped so it reads in full
                setText(empty || r == null ? null : r.agent() + "  ·  " + r.when() + "\n" + r.error());
                setWrapText(true);
                setPrefWidth(0);
            }
        });
        dev.appstrate.desktop.ui.OpenSelected.on(failures, r -> ctx.navigator().openRun(r.id()));
        Label connection = new Label();
        connection.textProperty().bind(vm.connection);
        connection.setId("dash-connection");
        connection.setWrapText(true);
        connection.getStyleClass().add("muted");
        connection.managedProperty().bind(vm.connection.isNotEmpty());
        Button refresh = new Button("Refresh");
        refresh.setId("dash-refresh");
        refresh.disableProperty().bind(vm.loading);
        refresh.setOnAction(e -> vm.refresh(ctx.notifier()));
        view = Widgets.page("Dashboard", refresh);
        view.getStyleClass().add("scrollable-page"); // on a short window the cards scroll, not push the status bar off
        view.getChildren().addAll(connection, err, cards, runsNote, Widgets.sectionTitle("Recent failures"), failures);
        return view;
    }

    private Label dockerReason() {
        Label r = new Label();
        r.textProperty().bind(vm.dockerReason);
        r.getStyleClass().add("muted");
        r.setId("dash-docker-reason");
        r.setWrapText(true);
        r.setMaxWidth(320);
        r.managedProperty().bind(vm.dockerReason.isNotEmpty());
        r.visibleProperty().bind(vm.dockerReason.isNotEmpty());
        return r;
    }

    private static VBox card(String label, Node... value) {
        Label l = new Label(label);
        l.getStyleClass().add("card-label");
        VBox c = new VBox(l);
        c.getChildren().addAll(value);
        c.getStyleClass().add("card");
        return c;
    }

    private static Label value(StringProperty p, String id) {
        Label v = new Label();
        v.textProperty().bind(p);
        v.getStyleClass().add("card-value");
        v.setId(id);
        v.setWrapText(true);
        v.setMaxWidth(320);
        return v;
    }

    @Override
    public void onShow() {
        vm.refresh(ctx.notifier());
        poll.play();
    }

    @Override
    public void onHide() {
        poll.stop();
    }
}
