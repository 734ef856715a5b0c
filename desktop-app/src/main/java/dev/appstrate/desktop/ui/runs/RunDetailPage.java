package dev.appstrate.desktop.ui.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.PageId;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.Widgets;
import dev.appstrate.desktop.ui.logs.LiveLogView;
import dev.appstrate.desktop.ui.logs.SseLogSource;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.geometry.Orientation;
import javafx.stage.FileChooser;

/** One run: metadata, output, error, and its live log (history from the API, then SSE). */
public final class RunDetailPage implements Page {
    private final DesktopContext ctx;
    private final LiveLogView logView = new LiveLogView();
    private final RunInspector inspector;
    private final javafx.scene.control.TabPane tabs = new javafx.scene.control.TabPane();
    private final RunDetailViewModel vm;
    private VBox view;
    private Button cancel;

    public RunDetailPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.inspector = new RunInspector(new dev.appstrate.desktop.client.InlineRunsApi(ctx.client()));
        this.vm = new RunDetailViewModel(ctx.client(), ctx.tasks(), ctx.notifier(), id -> ctx.navigator().openRun(id));
        logView.setExportAction(v -> chooseExportFile());
    }

    @Override
    public String title() {
        return "Run";
    }

    public LiveLogView logView() {
        return logView;
    }

    public RunInspector inspector() {
        return inspector;
    }

    /** Shows the inspector tab (and loads the transcript). */
    public void showInspector() {
        tabs.getSelectionModel().select(1);
        inspector.reload();
    }

    public RunDetailViewModel viewModel() {
        return vm;
    }

    public String status() {
        return vm.status();
    }

    public String output() {
        return vm.output();
    }

    public String runId() {
        return vm.runId();
    }

    /** The input the run was sent, as shown (pretty JSON, or "" for none). */
    public String input() {
        return vm.input();
    }

    public String model() {
        return vm.model();
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Button back = new Button("← Runs");
        back.setId("run-back");
        back.setOnAction(e -> ctx.navigator().show(PageId.RUNS));
        cancel = new Button("Cancel run");
        cancel.setId("run-cancel");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.status.isNotEqualTo("running").and(vm.status.isNotEqualTo("pending")));
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.reload());
        Button again = new Button("Run again");
        again.setId("run-again");
        again.setTooltip(new javafx.scene.control.Tooltip("Start this agent again with the same input (Ctrl+R)"));
        again.disableProperty().bind(vm.shownRun.isNull());
        again.setOnAction(e -> runAgain());
        view = Widgets.page("Run", back, refresh, again, cancel);
        GridPane meta = new GridPane();
        meta.setHgap(16);
        meta.setVgap(4);
        row(meta, 0, "Run", label(vm.runId, "run-id"));
        Label chip = Widgets.chip(vm.status);
        chip.setId("run-status");
        row(meta, 1, "Status", chip);
        row(meta, 2, "Agent", label(vm.agent, "run-agent"));
        row(meta, 3, "Model", label(vm.model, "run-model"));
        row(meta, 4, "Started", label(vm.started, "run-started"));
        row(meta, 5, "Duration", label(vm.duration, "run-duration"));
        row(meta, 6, "Cost / tokens", label(vm.cost, "run-cost"));
        Label err = Widgets.message(vm.error, "run-error");
        err.managedProperty().bind(vm.error.isNotEmpty());
        TextArea out = jsonArea("run-output", vm.output);
        TextArea in = jsonArea("run-input", vm.input);
        in.setPromptText("No input");
        // input and output side by side; the divider below them gives the output as much room as the user wants
        SplitPane data = new SplitPane(titled("Output", out), titled("Input sent", in));
        data.setDividerPositions(0.62);
        data.setMinHeight(60);
        javafx.scene.control.Tab logTab = new javafx.scene.control.Tab("Live log", logView);
        logTab.setId("run-tab-log");
        javafx.scene.control.Tab inspectTab = new javafx.scene.control.Tab("Inspector", inspector.view());
        inspectTab.setId("run-tab-inspector");
        tabs.getTabs().setAll(logTab, inspectTab);
        tabs.setTabClosingPolicy(javafx.scene.control.TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("run-tabs");
        // the transcript is read when the tab is looked at, not for every run opened
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b == inspectTab) {
                inspector.reload();
            }
        });
        SplitPane split = new SplitPane(data, tabs);
        split.setId("run-split");
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.38);
        VBox.setVgrow(split, javafx.scene.layout.Priority.ALWAYS);
        view.getChildren().addAll(meta, err, split);
        return view;
    }

    private static TextArea jsonArea(String id, StringProperty text) {
        TextArea a = new TextArea();
        a.setId(id);
        a.setEditable(false);
        a.getStyleClass().add("mono");
        a.textProperty().bind(text);
        a.setPrefRowCount(8);
        return a;
    }

    private static VBox titled(String title, TextArea area) {
        Label l = new Label(title);
        l.getStyleClass().add("muted");
        VBox.setVgrow(area, javafx.scene.layout.Priority.ALWAYS);
        VBox box = new VBox(4, l, area);
        box.setMinHeight(0);
        return box;
    }

    private static void row(GridPane g, int r, String name, Node value) {
        Label l = new Label(name);
        l.getStyleClass().add("muted");
        g.addRow(r, l, value);
    }

    private static Label label(StringProperty p, String id) {
        Label l = new Label();
        l.textProperty().bind(p);
        l.setId(id);
        return l;
    }

    /** Shows {@code id}: loads its metadata and attaches its live log. */
    public void load(String id) {
        vm.load(id);
        // each run opens fresh: following, no search, every level (nothing carried over from the last one)
        logView.resetView();
        inspector.clear(id);
        // a run just opened shows its live log first; the inspector loads when its tab is chosen
        tabs.getSelectionModel().select(0);
        Consumer<JsonNode> onUpdate = update -> Platform.runLater(() -> {
            if (vm.update(update) && tabs.getSelectionModel().getSelectedIndex() == 1) {
                inspector.reload();
            }
        });
        logView.setSource(new SseLogSource(ctx.client(), id, onUpdate));
    }

    /** Ctrl+R: starts the same agent again with the same input, and opens the new run. */
    @Override
    public boolean runAgain() {
        return vm.runAgain();
    }

    private void chooseExportFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the whole run log");
        fc.setInitialFileName(vm.runId() + ".log");
        Path file = java.util.Optional.ofNullable(fc.showSaveDialog(view.getScene().getWindow())).map(java.io.File::toPath).orElse(null);
        if (file != null) {
            exportTo(file);
        }
    }

    /** Exports every stored line of the run from the server (not just the view's buffer). */
    public Task<Long> exportTo(Path file) {
        return Tasks.create(() -> vm.exportLog(file))
                .onSuccess(n -> ctx.notifier().info("Exported " + n + " log lines to " + file))
                .onError(ctx.notifier()::error)
                .start();
    }

    @Override
    public void onHide() {
        logView.close();
    }
}
