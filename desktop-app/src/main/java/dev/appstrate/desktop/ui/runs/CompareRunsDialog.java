package dev.appstrate.desktop.ui.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.InlineRunsApi;
import dev.appstrate.desktop.runs.JsonDiff;
import dev.appstrate.desktop.runs.RunComparison;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.Widgets;
import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Runs → Compare: two runs side by side, their input and output diffs, and the first model turn where they diverge. */
public final class CompareRunsDialog {
    private final Dialog<Void> dialog = new Dialog<>();
    private final VBox body = new VBox(10);
    private RunComparison comparison;

    public CompareRunsDialog(Window owner) {
        dev.appstrate.desktop.ui.DialogFit.apply(dialog, owner);
        dialog.setTitle("Compare runs");
        dialog.setHeaderText("Compare two runs");
        dialog.setResizable(true);
        dialog.getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);
        dialog.getDialogPane().setId("compare-dialog");
        body.setPadding(new Insets(4));
        body.getChildren().add(new Label("Loading both runs…"));
        ScrollPane sp = new ScrollPane(body);
        sp.setFitToWidth(true);
        sp.setPrefViewportWidth(900);
        sp.setPrefViewportHeight(560);
        dialog.getDialogPane().setContent(sp);
        // sized up front: the content arrives after the dialog is shown, and a dialog does not grow to fit it
        dialog.getDialogPane().setPrefSize(1000, 700);
    }

    /** Loads both runs and their transcripts, then shows the comparison. */
    public void show(AppstrateClient client, String runA, String runB) {
        InlineRunsApi inline = new InlineRunsApi(client);
        Tasks.create(() -> RunComparison.of(client.run(runA), client.run(runB), transcript(inline, runA), transcript(inline, runB)))
                .onSuccess(this::render)
                .onError(e -> body.getChildren().setAll(new Label("The runs could not be compared: " + Notifier.describe(e))))
                .start();
        dialog.show();
    }

    private static JsonNode transcript(InlineRunsApi inline, String runId) {
        try {
            return inline.transcript(runId);
        } catch (ApiProblem p) {
            if (p.notAvailable()) {
                return DesktopJson.object();
            }
            throw p;
        }
    }

    public RunComparison comparison() {
        return comparison;
    }

    void render(RunComparison c) {
        this.comparison = c;
        GridPane grid = new GridPane();
        grid.setId("compare-fields");
        grid.setHgap(16);
        grid.setVgap(4);
        grid.getColumnConstraints().setAll(new javafx.scene.layout.ColumnConstraints(90),
                new javafx.scene.layout.ColumnConstraints(400), new javafx.scene.layout.ColumnConstraints(400));
        int row = 0;
        for (RunComparison.Field f : c.fields()) {
            Label name = new Label(f.name());
            name.getStyleClass().add("muted");
            Label left = new Label(f.left());
            Label right = new Label(f.right());
            left.setWrapText(true);
            right.setWrapText(true);
            left.setMaxWidth(380);
            right.setMaxWidth(380);
            if (!f.same()) {
                left.getStyleClass().add("diff-changed");
                right.getStyleClass().add("diff-changed");
                left.setStyle("-fx-font-weight: bold;");
                right.setStyle("-fx-font-weight: bold;");
            }
            grid.addRow(row++, name, left, right);
        }
        Label divergence = new Label(c.divergence().map(RunComparison.Divergence::describe)
                .orElse("No diverging turn: both runs sent and received the same at every turn."));
        divergence.setId("compare-divergence");
        divergence.setStyle("-fx-font-weight: bold;");
        body.getChildren().setAll(grid, Widgets.sectionTitle("Input"), diff(c.inputDiff(), "compare-input-diff"),
                Widgets.sectionTitle("Output (JSON diff)"), diff(c.outputDiff(), "compare-output-diff"),
                Widgets.sectionTitle("First diverging turn"), divergence);
        c.divergence().ifPresent(d -> {
            GridPane sides = new GridPane();
            sides.setHgap(8);
            sides.addRow(0, new Label("First run"), new Label("Second run"));
            sides.addRow(1, area(d.left(), "compare-divergence-left"), area(d.right(), "compare-divergence-right"));
            body.getChildren().add(sides);
        });
    }

    private static Label diff(List<JsonDiff.Change> changes, String id) {
        Label l = new Label(changes.isEmpty() ? "identical" : String.join("\n", changes.stream().map(JsonDiff.Change::describe).toList()));
        l.getStyleClass().add("mono");
        l.setWrapText(true);
        l.setId(id);
        return l;
    }

    private static TextArea area(String text, String id) {
        TextArea a = new TextArea(text);
        a.setEditable(false);
        a.setWrapText(true);
        a.setPrefRowCount(6);
        a.setPrefColumnCount(40);
        a.getStyleClass().add("mono");
        a.setId(id);
        return a;
    }
}
