package dev.appstrate.desktop.ui.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.InlineRunsApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.Widgets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The run as a timeline of model turns (from {@code GET /api/runs/{id}/transcript}): per turn the messages
 * as sent, the response, each tool call with arguments and result, tokens, latency and cost; the system
 * prompt and tool definitions; the final output with its validation errors. Raw JSON and copy everywhere.
 * JSON stays JsonNode here: transcript payloads are free-form (messages, tool arguments and results as sent).
 */
public final class RunInspector {
    /** One entry of the timeline: the set-up, a turn, or the output. */
    public record Step(String label, String kind, JsonNode node) {
        @Override
        public String toString() {
            return label;
        }
    }

    private final InlineRunsApi api;
    private final ListView<Step> timeline = new ListView<>();
    private final VBox detail = new VBox(10);
    private final StringProperty state = new SimpleStringProperty("");
    private final BorderPane view = new BorderPane();
    private String runId = "";
    /** Called after what the inspector shows changed (the page asks its tab pane to lay it out). */
    private Runnable onChanged = () -> { };
    private JsonNode transcript = DesktopJson.object();

    public RunInspector(InlineRunsApi api) {
        this.api = api;
        timeline.setId("inspector-timeline");
        timeline.setPrefWidth(260);
        timeline.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> show(b));
        detail.setId("inspector-detail");
        detail.setPadding(new Insets(8));
        ScrollPane scroll = new ScrollPane(detail);
        scroll.setFitToWidth(true);
        SplitPane split = new SplitPane(timeline, scroll);
        split.setDividerPositions(0.28);
        Button refresh = new Button("Refresh");
        refresh.setId("inspector-refresh");
        refresh.setOnAction(e -> reload());
        Button copyAll = new Button("Copy transcript JSON");
        copyAll.setId("inspector-copy-all");
        copyAll.setOnAction(e -> copy(DesktopJson.pretty(transcript)));
        Label st = new Label();
        st.textProperty().bind(state);
        st.setId("inspector-state");
        state.addListener(o -> onChanged.run());
        st.getStyleClass().add("muted");
        HBox bar = new HBox(8, st, Widgets.grow(), copyAll, refresh);
        bar.setPadding(new Insets(4, 0, 4, 0));
        view.setTop(bar);
        view.setCenter(split);
        view.setId("run-inspector");
    }

    public Node view() {
        return view;
    }

    /** {@code r} runs on the FX thread after each change of what the inspector shows. */
    public void setOnChanged(Runnable r) {
        onChanged = r;
    }

    /** Forgets the previous run; the transcript is loaded when shown. */
    public void clear(String id) {
        runId = id;
        transcript = DesktopJson.object();
        timeline.getItems().clear();
        detail.getChildren().clear();
        state.set("");
    }

    public void reload() {
        String id = runId;
        if (id.isEmpty()) {
            return;
        }
        state.set("loading…");
        Tasks.create(() -> api.transcript(id))
                .onSuccess(t -> {
                    if (id.equals(runId)) {
                        showTranscript(t);
                    }
                })
                .onError(e -> state.set(e instanceof ApiProblem p && p.notAvailable()
                        ? "This server does not keep transcripts." : "Transcript: " + Notifier.describe(e)))
                .start();
    }

    /** The steps of the timeline (tests read them). */
    public List<Step> steps() {
        return List.copyOf(timeline.getItems());
    }

    public ListView<Step> timeline() {
        return timeline;
    }

    void showTranscript(JsonNode t) {
        transcript = t;
        int selected = Math.max(0, timeline.getSelectionModel().getSelectedIndex());
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("System prompt and tools (" + t.path("tools").size() + ")", "setup", t));
        for (JsonNode turn : t.path("turns")) {
            steps.add(new Step(turnLabel(turn), "turn", turn));
        }
        JsonNode out = t.path("output");
        if (out.isObject()) {
            steps.add(new Step("Output — " + (out.path("valid").asBoolean(false) ? "valid" : "invalid"), "output", out));
        }
        timeline.getItems().setAll(steps);
        timeline.getSelectionModel().select(Math.min(selected, steps.size() - 1));
        int turns = t.path("turns").size();
        state.set(turns == 0 ? "No model turns recorded for this run." : turns + (turns == 1 ? " turn" : " turns")
                + " · " + text(t.path("model"), "label") + " · " + totals(t));
    }

    private static String turnLabel(JsonNode turn) {
        int calls = turn.path("toolCalls").size();
        StringBuilder sb = new StringBuilder("Turn ").append(turn.path("index").asInt());
        if (calls > 0) {
            List<String> names = new ArrayList<>();
            turn.path("toolCalls").forEach(c -> names.add(text(c, "name")));
            sb.append(" — ").append(String.join(", ", names));
        } else if (!text(turn.path("response"), "text").isEmpty()) {
            sb.append(" — text");
        }
        if (turn.path("latencyMs").isNumber()) {
            sb.append(" · ").append(turn.path("latencyMs").asLong()).append(" ms");
        }
        return sb.toString();
    }

    private static String totals(JsonNode t) {
        long in = 0;
        long out = 0;
        double cost = 0;
        for (JsonNode turn : t.path("turns")) {
            in += turn.path("usage").path("inputTokens").asLong(0);
            out += turn.path("usage").path("outputTokens").asLong(0);
            cost += turn.path("usage").path("costUsd").asDouble(0);
        }
        return in + " in / " + out + " out tokens" + String.format(Locale.ROOT, " · $%.4f", cost);
    }

    private void show(Step s) {
        detail.getChildren().clear();
        if (s == null) {
            return;
        }
        switch (s.kind()) {
            case "setup" -> showSetup(s.node());
            case "turn" -> showTurn(s.node());
            default -> showOutput(s.node());
        }
        detail.getChildren().add(raw("Raw JSON of this step", s.node()));
        onChanged.run();
    }

    private void showSetup(JsonNode t) {
        detail.getChildren().add(Widgets.sectionTitle("System prompt (as sent, rendered with the input)"));
        detail.getChildren().add(block(text(t, "systemPrompt"), "inspector-system-prompt", 12));
        detail.getChildren().add(kv("Input", t.path("input").isMissingNode() ? "" : t.path("input").toString()));
        detail.getChildren().add(Widgets.sectionTitle("Tool definitions"));
        for (JsonNode tool : t.path("tools")) {
            TitledPane p = titled(text(tool, "name") + " — " + text(tool, "description"),
                    block(DesktopJson.pretty(tool.path("parameters")), null, 6));
            p.setExpanded(false);
            detail.getChildren().add(p);
        }
    }

    private void showTurn(JsonNode turn) {
        JsonNode usage = turn.path("usage");
        Label head = Widgets.sectionTitle("Turn " + turn.path("index").asInt());
        // the local time every other page shows, not the raw "2026-12-07T22:06:32.949Z"
        Label meta = new Label(dev.appstrate.desktop.ui.Shown.when(text(turn, "startedAt")) + "   latency "
                + turn.path("latencyMs").asLong(0) + " ms   tokens "
                + usage.path("inputTokens").asLong(0) + " in / " + usage.path("outputTokens").asLong(0) + " out   cost "
                + String.format(Locale.ROOT, "$%.4f", usage.path("costUsd").asDouble(0)));
        meta.setId("inspector-turn-meta");
        meta.getStyleClass().add("muted");
        detail.getChildren().addAll(head, meta);
        VBox messages = new VBox(6);
        for (JsonNode m : turn.path("request").path("messages")) {
            messages.getChildren().add(new Label(text(m, "role")));
            JsonNode content = m.path("content");
            messages.getChildren().add(block(content.isTextual() ? content.asText() : DesktopJson.pretty(content), null, 4));
        }
        TitledPane sent = titled("Messages as sent (" + turn.path("request").path("messages").size() + ")", messages);
        sent.setExpanded(false);
        sent.setId("inspector-messages");
        detail.getChildren().add(sent);
        String response = text(turn.path("response"), "text");
        detail.getChildren().add(Widgets.sectionTitle("Response" + (text(turn.path("response"), "stopReason").isEmpty() ? ""
                : " (" + text(turn.path("response"), "stopReason") + ")")));
        detail.getChildren().add(response.isEmpty() ? muted("(no text: tool calls only)") : block(response, "inspector-response", 4));
        for (JsonNode call : turn.path("toolCalls")) {
            detail.getChildren().add(toolCall(call));
        }
    }

    private Node toolCall(JsonNode call) {
        JsonNode r = call.path("result");
        VBox box = new VBox(6);
        box.getStyleClass().add("tool-call");
        String id = text(call, "id");
        box.setId("inspector-call-" + id);
        box.getChildren().add(new Label("Arguments"));
        box.getChildren().add(block(DesktopJson.pretty(call.path("arguments")), "inspector-args-" + id, 4));
        List<String> facts = new ArrayList<>();
        if (r.path("exitCode").isNumber()) {
            facts.add("exit code " + r.path("exitCode").asInt());
        }
        if (r.path("isError").asBoolean(false)) {
            facts.add("error");
        }
        if (call.path("durationMs").isNumber()) {
            facts.add(call.path("durationMs").asLong() + " ms");
        }
        if (r.path("bytes").isNumber()) {
            facts.add(r.path("bytes").asLong() + " bytes");
        }
        box.getChildren().add(muted(String.join(" · ", facts)));
        if (!text(r, "stdout").isEmpty()) {
            box.getChildren().addAll(new Label("stdout"), block(text(r, "stdout"), "inspector-stdout-" + id, 4));
        }
        if (!text(r, "stderr").isEmpty()) {
            box.getChildren().addAll(new Label("stderr"), block(text(r, "stderr"), "inspector-stderr-" + id, 3));
        }
        if (r.path("paths").size() > 0) {
            List<String> paths = new ArrayList<>();
            r.path("paths").forEach(p -> paths.add(p.asText()));
            box.getChildren().add(kv("Files", String.join(", ", paths)));
        }
        TextArea result = area(text(r, "text"), "inspector-result-" + id, 5);
        box.getChildren().addAll(new Label("Result"), copyable(result));
        if (r.path("truncated").asBoolean(false)) {
            Button whole = new Button("Show whole result");
            whole.setId("inspector-whole-" + id);
            String run = runId;
            whole.setOnAction(e -> Tasks.create(() -> api.toolCallResult(run, id))
                    .onSuccess(full -> {
                        result.setText(full);
                        whole.setDisable(true);
                        whole.setText("Whole result shown (" + full.length() + " characters)");
                        onChanged.run();
                    })
                    .onError(ex -> whole.setText("Not available: " + Notifier.describe(ex)))
                    .start());
            box.getChildren().add(whole);
        }
        TitledPane pane = titled(text(call, "name") + (facts.isEmpty() ? "" : " — " + String.join(" · ", facts)), box);
        pane.setExpanded(true);
        return pane;
    }

    private void showOutput(JsonNode out) {
        Label valid = Widgets.chip(out.path("valid").asBoolean(false) ? "valid" : "invalid");
        valid.setId("inspector-output-valid");
        detail.getChildren().addAll(new HBox(8, Widgets.sectionTitle("Final output"), valid),
                block(DesktopJson.pretty(out.path("value")), "inspector-output", 8));
        VBox errors = new VBox(4);
        errors.setId("inspector-output-errors");
        for (JsonNode e : out.path("errors")) {
            Label l = new Label(text(e, "field") + " — " + text(e, "message"));
            l.getStyleClass().add("message-error");
            errors.getChildren().add(l);
        }
        if (!errors.getChildren().isEmpty()) {
            detail.getChildren().addAll(Widgets.sectionTitle("Does not match the output schema"), errors);
        }
    }

    private Node raw(String title, JsonNode node) {
        TitledPane p = titled(title, block(DesktopJson.pretty(node), "inspector-raw", 14));
        p.setExpanded(false);
        return p;
    }

    /**
     * A section that folds; its title is cut to the pane's width rather than widening it (a tool's description made the
     * whole detail as wide as its title bar, the texts and their Copy buttons off to the right).
     */
    private static TitledPane titled(String title, Node content) {
        TitledPane p = new TitledPane(title, content);
        p.setMinWidth(0);
        return p;
    }

    /** A read-only monospace text with a copy button beside it. */
    private Node block(String text, String id, int rows) {
        return copyable(area(text, id, rows));
    }

    private static TextArea area(String text, String id, int rows) {
        TextArea a = new TextArea(text);
        a.setEditable(false);
        a.setWrapText(true);
        a.getStyleClass().add("mono");
        a.setPrefRowCount(Math.max(1, Math.min(rows, (int) text.lines().count() + 1)));
        if (id != null) {
            a.setId(id);
        }
        a.setContextMenu(new javafx.scene.control.ContextMenu(menu("Copy all", () -> copy(a.getText()))));
        return a;
    }

    private static Node copyable(TextArea a) {
        Button copy = new Button("Copy");
        copy.getStyleClass().add("copy-button");
        copy.setOnAction(e -> copy(a.getText()));
        HBox.setHgrow(a, Priority.ALWAYS);
        HBox box = new HBox(4, a, copy);
        return box;
    }

    private static javafx.scene.control.MenuItem menu(String name, Runnable r) {
        javafx.scene.control.MenuItem m = new javafx.scene.control.MenuItem(name);
        m.setOnAction(e -> r.run());
        return m;
    }

    private static Node kv(String k, String v) {
        Label key = new Label(k);
        key.getStyleClass().add("muted");
        Label value = new Label(v);
        value.setWrapText(true);
        HBox.setHgrow(value, Priority.ALWAYS);
        return new HBox(8, key, value);
    }

    private static Label muted(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("muted");
        return l;
    }

    static void copy(String s) {
        ClipboardContent c = new ClipboardContent();
        c.putString(s == null ? "" : s);
        Clipboard.getSystemClipboard().setContent(c);
    }

    private static String text(JsonNode n, String f) {
        return DesktopJson.text(n, f);
    }
}
