package dev.appstrate.desktop.ui.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.PageId;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.Widgets;
import dev.appstrate.desktop.ui.logs.LiveLogView;
import dev.appstrate.desktop.ui.logs.LogLine;
import dev.appstrate.desktop.ui.logs.SseLogSource;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.SimpleStringProperty;
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
    final StringProperty runId = new SimpleStringProperty("");
    final StringProperty status = new SimpleStringProperty("");
    final StringProperty agent = new SimpleStringProperty("");
    final StringProperty started = new SimpleStringProperty("");
    final StringProperty duration = new SimpleStringProperty("");
    final StringProperty cost = new SimpleStringProperty("");
    final StringProperty output = new SimpleStringProperty("");
    final StringProperty input = new SimpleStringProperty("");
    final StringProperty model = new SimpleStringProperty("");
    final StringProperty error = new SimpleStringProperty("");
    private final javafx.beans.property.ObjectProperty<JsonNode> shownRun = new javafx.beans.property.SimpleObjectProperty<>();
    private VBox view;
    private Button cancel;

    public RunDetailPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.inspector = new RunInspector(new dev.appstrate.desktop.client.InlineRunsApi(ctx.client()));
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

    public String status() {
        return status.get();
    }

    public String output() {
        return output.get();
    }

    public String runId() {
        return runId.get();
    }

    /** The input the run was sent, as shown (pretty JSON, or "" for none). */
    public String input() {
        return input.get();
    }

    public String model() {
        return model.get();
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
        cancel.setOnAction(e -> cancelRun());
        cancel.disableProperty().bind(status.isNotEqualTo("running").and(status.isNotEqualTo("pending")));
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> reloadRun());
        Button again = new Button("Run again");
        again.setId("run-again");
        again.setTooltip(new javafx.scene.control.Tooltip("Start this agent again with the same input (Ctrl+R)"));
        again.disableProperty().bind(shownRun.isNull());
        again.setOnAction(e -> runAgain());
        view = Widgets.page("Run", back, refresh, again, cancel);
        GridPane meta = new GridPane();
        meta.setHgap(16);
        meta.setVgap(4);
        row(meta, 0, "Run", label(runId, "run-id"));
        Label chip = Widgets.chip(status);
        chip.setId("run-status");
        row(meta, 1, "Status", chip);
        row(meta, 2, "Agent", label(agent, "run-agent"));
        row(meta, 3, "Model", label(model, "run-model"));
        row(meta, 4, "Started", label(started, "run-started"));
        row(meta, 5, "Duration", label(duration, "run-duration"));
        row(meta, 6, "Cost / tokens", label(cost, "run-cost"));
        Label err = Widgets.message(error, "run-error");
        err.managedProperty().bind(error.isNotEmpty());
        TextArea out = jsonArea("run-output", output);
        TextArea in = jsonArea("run-input", input);
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
        runId.set(id);
        status.set("");
        agent.set("");
        model.set("");
        output.set("");
        input.set("");
        error.set("");
        shownRun.set(null);
        // each run opens fresh: following, no search, every level (nothing carried over from the last one)
        logView.resetView();
        inspector.clear(id);
        // a run just opened shows its live log first; the inspector loads when its tab is chosen
        tabs.getSelectionModel().select(0);
        reloadRun();
        Consumer<JsonNode> onUpdate = update -> Platform.runLater(() -> {
            String s = DesktopJson.text(update, "status");
            if (!s.isEmpty() && !s.equals(status.get())) {
                status.set(s);
                if (!s.equals("running") && !s.equals("pending")) {
                    reloadRun();
                    if (tabs.getSelectionModel().getSelectedIndex() == 1) {
                        inspector.reload();
                    }
                }
            }
        });
        logView.setSource(new SseLogSource(ctx.client(), id, onUpdate));
    }

    private void reloadRun() {
        String id = runId.get();
        Tasks.create(() -> ctx.client().run(id))
                .onSuccess(this::show)
                .onError(e -> error.set(Notifier.describe(e)))
                .start();
    }

    void show(JsonNode run) {
        shownRun.set(run);
        status.set(DesktopJson.text(run, "status"));
        agent.set(RunRow.agentOf(run));
        String source = DesktopJson.text(run, "model_source");
        model.set(DesktopJson.text(run, "model_label") + ("system".equals(source) ? " (from the server's environment)" : ""));
        JsonNode sent = run.path("input");
        input.set(sent.isMissingNode() || sent.isNull() || sent.isObject() && sent.isEmpty() ? "" : DesktopJson.pretty(sent));
        started.set(RunRow.when(DesktopJson.text(run, "started_at")));
        duration.set(RunRow.duration(run));
        cost.set(RunRow.costAndTokens(run));
        JsonNode result = run.path("result");
        output.set(result.isMissingNode() || result.isNull() ? "" : DesktopJson.pretty(result.has("output") ? result.get("output") : result));
        String err = run.path("error").isObject() ? run.path("error").path("message").asText() : DesktopJson.text(run, "error");
        error.set(err);
    }

    /** Ctrl+R: starts the same agent again with the same input, and opens the new run. */
    @Override
    public boolean runAgain() {
        JsonNode run = shownRun.get();
        if (run == null) {
            return false;
        }
        String agentId = RunRow.agentOf(run);
        JsonNode sent = run.path("input").isObject() ? run.get("input") : null;
        Tasks.create(() -> ctx.client().runAgent(agentId, sent, null))
                .onSuccess(r -> {
                    ctx.notifier().info("Started " + agentId + " again with the same input");
                    ctx.navigator().openRun(DesktopJson.text(r, "id"));
                })
                .onError(ctx.notifier()::error)
                .start();
        return true;
    }

    private void cancelRun() {
        String id = runId.get();
        Tasks.create(() -> ctx.client().cancelRun(id))
                .onSuccess(r -> {
                    show(r);
                    ctx.notifier().info("Run cancelled");
                })
                .onError(ctx.notifier()::error)
                .start();
    }

    private void chooseExportFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the whole run log");
        fc.setInitialFileName(runId.get() + ".log");
        Path file = java.util.Optional.ofNullable(fc.showSaveDialog(view.getScene().getWindow())).map(java.io.File::toPath).orElse(null);
        if (file != null) {
            exportTo(file);
        }
    }

    /** Exports every stored line of the run from the server (not just the view's buffer). */
    public Task<Long> exportTo(Path file) {
        String id = runId.get();
        return Tasks.create(() -> {
                    try (OutputStream out = Files.newOutputStream(file)) {
                        return ctx.client().exportRunLogs(id, out, row -> LogLine.fromJson(row).exportText());
                    }
                })
                .onSuccess(n -> ctx.notifier().info("Exported " + n + " log lines to " + file))
                .onError(ctx.notifier()::error)
                .start();
    }

    @Override
    public void onHide() {
        logView.close();
    }
}
