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
        Label chip = Widgets.chip(vm.status);
        chip.setId("run-status");
        ((javafx.scene.layout.HBox) view.getChildren().get(0)).getChildren().add(1, chip); // "Run  success" as the title
        // two facts a row: seven rows of them left the log two lines in a 900 × 600 window
        fact(meta, 0, 0, "Run", label(vm.runId, "run-id"));
        fact(meta, 0, 1, "Agent", label(vm.agent, "run-agent"));
        fact(meta, 1, 0, "Model", label(vm.model, "run-model"));
        fact(meta, 1, 1, "Started", label(vm.started, "run-started"));
        fact(meta, 2, 0, "Cost / tokens", label(vm.cost, "run-cost"));
        fact(meta, 2, 1, "Duration", label(vm.duration, "run-duration"));
        Label err = Widgets.message(vm.error, "run-error");
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
        // a tab's content is a layout root (TabPaneSkin's content region is not managed): a change inside it only marks
        // the branch above, and in a real window that never brought a layout pass — the Inspector kept "loading…" and
        // a blank detail until the window was resized. Each change of the inspector asks the TabPane itself, whose
        // request goes up to the scene.
        inspector.setOnChanged(tabs::requestLayout);
        // the transcript is read when the tab is looked at, not for every run opened
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b == inspectTab) {
                inspector.reload();
            }
        });
        SplitPane split = new LogFirstSplit(data, tabs, logView.listView());
        split.setId("run-split");
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

    /** A fact's name and value in row {@code r}, in the left ({@code pair} 0) or right (1) pair of columns. */
    private static void fact(GridPane g, int r, int pair, String name, Node value) {
        Label l = new Label(name);
        l.getStyleClass().add("muted");
        if (pair == 1) {
            GridPane.setMargin(l, new javafx.geometry.Insets(0, 0, 0, 16));
        }
        g.add(l, pair * 2, r);
        g.add(value, pair * 2 + 1, r);
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
