package dev.appstrate.desktop.ui.agentdev;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.agentdev.FolderProblem;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.concurrent.NamedExecutors;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.Widgets;
import dev.appstrate.desktop.ui.agents.RunDialog;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/**
 * "In development": agent folders being edited on disk. Each save is re-validated and the problems shown
 * beside their file; Run runs the folder as it is now (inline, no package version), Run again (Ctrl+R)
 * repeats the last input.
 */
public final class AgentFoldersPage implements Page {
    private final DesktopContext ctx;
    private final AgentFoldersViewModel vm;
    private final ListView<FolderState> list = new ListView<>();
    private final VBox detail = new VBox(10);
    private VBox view;

    public AgentFoldersPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.vm = new AgentFoldersViewModel(ctx.client(), ctx.dataDir(), Tasks.executor(), Platform::runLater,
                NamedExecutors.namedDaemonPool("agent-folder-watch", 1));
        vm.load();
    }

    public AgentFoldersViewModel viewModel() {
        return vm;
    }

    @Override
    public String title() {
        return "In development";
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Button open = new Button("Open agent folder…");
        open.setId("dev-open");
        open.setOnAction(e -> chooseFolder());
        Button create = new Button("New agent…");
        create.setId("dev-new");
        create.setOnAction(e -> newAgent());
        view = Widgets.page("In development", create, open);
        Label hint = new Label("Agents as folders on disk (manifest.json + prompt.md): edit them in any editor; every save is "
                + "checked here, and Run runs what is on disk now, without installing a version.");
        hint.getStyleClass().add("muted");
        hint.setWrapText(true);
        hint.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // a short window shrinks the split, not this to "every save is …"
        list.setId("dev-folders");
        list.setItems(vm.folders);
        Label none = new Label("No agent folders yet: New agent… or Open agent folder…");
        none.setWrapText(true); // a narrow list wraps it rather than cutting the second action
        none.setPadding(new javafx.geometry.Insets(0, 12, 0, 12));
        list.setPlaceholder(none);
        list.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(FolderState s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                Label name = new Label(s.name());
                Label path = new Label(s.dir().toString());
                path.getStyleClass().add("muted");
                VBox text = new VBox(2, name, path);
                text.setMinWidth(0);
                HBox.setHgrow(text, Priority.ALWAYS);
                Label chip = chip(s);
                chip.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                HBox row = new HBox(8, text, chip);
                // the row fits the list (a long path is cut with …) so the state chip stays in view
                row.prefWidthProperty().bind(lv.widthProperty().subtract(24));
                row.setMaxWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                setGraphic(row);
                setText(null);
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && (vm.selected.get() == null || !vm.selected.get().dir().equals(b.dir()))) {
                vm.selected.set(b);
            }
        });
        vm.selected.addListener((o, a, b) -> {
            showDetail(b);
            if (b != null && list.getSelectionModel().getSelectedItem() != b) {
                list.getSelectionModel().select(b);
            }
        });
        list.setPrefWidth(320);
        detail.setId("dev-detail");
        detail.setPadding(new Insets(0, 0, 0, 12));
        SplitPane split = new SplitPane(list, detail);
        split.setDividerPositions(0.32);
        VBox.setVgrow(split, Priority.ALWAYS);
        Label message = new Label();
        message.textProperty().bind(vm.message);
        message.setId("dev-message");
        message.setWrapText(true);
        Widgets.shownWhenSaying(message);
        view.getChildren().addAll(hint, message, split);
        showDetail(vm.selected.get());
        return view;
    }

    private void showDetail(FolderState s) {
        if (s == null) {
            detail.getChildren().setAll(new Label("Select an agent folder."));
            return;
        }
        Label name = Widgets.sectionTitle(s.name());
        name.setId("dev-name");
        Label chip = chip(s);
        chip.setId("dev-state");
        Label where = new Label(s.dir().toString());
        where.getStyleClass().add("muted");
        Button run = new Button("Run");
        run.setId("dev-run");
        run.getStyleClass().add("accent");
        run.setOnAction(e -> run(s));
        Button again = new Button("Run again");
        again.setId("dev-run-again");
        again.setTooltip(new Tooltip("The same input as the last run (Ctrl+R)"));
        again.setDisable(!vm.hasLastInput(s.dir()));
        again.setOnAction(e -> runAgain());
        Button edit = new Button("Open in editor");
        edit.setId("dev-edit");
        edit.setOnAction(e -> openInEditor(s.dir().resolve(FolderProblem.PROMPT)));
        Button export = new Button("Export .afps…");
        export.setId("dev-export");
        export.setOnAction(e -> export(s));
        Button install = new Button("Install as version…");
        install.setId("dev-install");
        install.setOnAction(e -> install(s));
        Button remove = new Button("Remove from list");
        remove.setId("dev-remove");
        remove.setOnAction(e -> vm.remove(s));
        // a flow: in a narrow detail pane the buttons go on a second line instead of shrinking to "R…"
        FlowPane actions = new FlowPane(8, 6, run, again, edit, export, install, remove);
        actions.setId("dev-actions");

        GridPane files = new GridPane();
        files.setId("dev-files");
        files.setHgap(12);
        files.setVgap(6);
        int row = 0;
        List<String> shown = new java.util.ArrayList<>(List.of(FolderProblem.MANIFEST, FolderProblem.PROMPT));
        if (s.folder() != null) {
            s.folder().files().stream().filter(f -> !shown.contains(f)).forEach(shown::add);
        }
        for (String f : shown) {
            List<FolderProblem> problems = s.problemsOf(f);
            Label file = new Label(f);
            file.getStyleClass().add("mono");
            // a long problem wraps beside the name; the name itself is never squeezed to "..."
            file.setMinWidth(Region.USE_PREF_SIZE);
            Label state = new Label(problems.isEmpty() ? (s.verdict() == FolderState.Verdict.CHECKING ? "…" : "✓") : "✗");
            state.getStyleClass().add(problems.isEmpty() ? "file-ok" : "file-bad");
            VBox notes = new VBox(2);
            notes.setId("dev-problems-" + f.replaceAll("[^a-zA-Z0-9]", "-"));
            for (FolderProblem p : problems) {
                Label l = new Label((p.field().isEmpty() || p.field().equals(p.file()) ? "" : p.field() + " — ") + p.message());
                l.getStyleClass().add("message-error");
                l.setWrapText(true);
                notes.getChildren().add(l);
            }
            files.addRow(row++, state, file, notes);
        }
        for (String other : List.of(FolderProblem.INPUT, "")) {
            for (FolderProblem p : s.problemsOf(other)) {
                Label l = new Label(p.describe());
                l.getStyleClass().add("message-error");
                l.setWrapText(true);
                files.add(l, 0, row++, 3, 1);
            }
        }
        Label note = new Label(s.note());
        note.getStyleClass().add("muted");
        note.setWrapText(true);
        String skills = s.folder() == null || s.folder().skills().isEmpty() ? "" : "Skills: " + String.join(", ", s.folder().skills());
        Label skillLine = new Label(skills);
        skillLine.getStyleClass().add("muted");
        HBox head = new HBox(8, name, chip);
        detail.getChildren().setAll(head, where, actions, Widgets.sectionTitle("Files"), files, skillLine, note);
    }

    private static Label chip(FolderState s) {
        Label l = Widgets.chip(s.chip());
        l.getStyleClass().add("folder-" + s.verdict().name().toLowerCase(java.util.Locale.ROOT));
        return l;
    }

    private void run(FolderState s) {
        var folder = vm.current(s.dir());
        if (!folder.problems().isEmpty() || !folder.takesInput()) {
            vm.run(s.dir(), DesktopJson.object(), this::opened);
            return;
        }
        RunDialog dialog = new RunDialog(view.getScene().getWindow(), folder.displayName(), folder.inputSpec());
        dialog.show(input -> vm.run(s.dir(), input, this::opened));
    }

    /** Ctrl+R on this page. */
    public boolean runAgain() {
        return vm.runAgain(this::opened);
    }

    private void opened(String runId) {
        ctx.navigator().openRun(runId);
    }

    private void openInEditor(Path file) {
        Tasks.run(() -> {
            try {
                EditorLauncher.open(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).onError(e -> ctx.notifier().error("No editor could open " + file + ": " + Notifier.describe(e))).start();
    }

    private void chooseFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Open agent folder (manifest.json + prompt.md)");
        File dir = dc.showDialog(view.getScene().getWindow());
        if (dir != null) {
            vm.open(dir.toPath());
        }
    }

    private void newAgent() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Where to create the new agent's folder");
        File parent = dc.showDialog(view.getScene().getWindow());
        if (parent == null) {
            return;
        }
        TextInputDialog name = new TextInputDialog("My agent");
        dev.appstrate.desktop.ui.DialogFit.apply(name, view.getScene().getWindow());
        name.setTitle("New agent");
        name.setHeaderText("Name of the new agent (its folder is created in " + parent + ")");
        name.getDialogPane().setId("new-agent-dialog");
        // the button says what it does; TextInputDialog answers the text for any OK_DONE button, null for Cancel/Escape
        name.getDialogPane().getButtonTypes().setAll(new javafx.scene.control.ButtonType("Create",
                javafx.scene.control.ButtonBar.ButtonData.OK_DONE), javafx.scene.control.ButtonType.CANCEL);
        name.showAndWait().filter(n -> !n.isBlank()).ifPresent(n -> {
            Path dir = parent.toPath().resolve(n.trim().toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", ""));
            try {
                vm.create(dir, n.trim());
            } catch (java.io.IOException e) {
                ctx.notifier().error("The agent could not be created in " + dir + ": " + e.getMessage());
            }
        });
    }

    private void export(FolderState s) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export " + s.name() + " as .afps");
        fc.setInitialFileName(s.folder() == null ? "agent.afps" : s.folder().afpsFileName());
        Optional.ofNullable(fc.showSaveDialog(view.getScene().getWindow())).map(File::toPath).ifPresent(file ->
                Tasks.run(() -> {
                    try {
                        vm.export(s.dir(), file);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).onSuccess(v -> ctx.notifier().info("Exported " + file))
                        .onError(e -> ctx.notifier().error(Notifier.describe(e))).start());
    }

    private void install(FolderState s) {
        var folder = vm.current(s.dir());
        String id = folder.packageLabel();
        dev.appstrate.desktop.ui.Confirm.ask(view.getScene().getWindow(), "Install " + id + " as a version?",
                "It is imported into the server as an installed agent version. Bump \"version\" in manifest.json for each "
                        + "new version.", "Install", () -> Tasks.create(() -> vm.install(s.dir()))
                .onSuccess(r -> ctx.notifier().info("Installed " + id + " — it is in Agents now"))
                .onError(e -> ctx.notifier().error("Not installed: " + Notifier.describe(e)))
                .start());
    }

    @Override
    public void onShow() {
        FolderState s = vm.selected.get();
        if (s != null) {
            vm.revalidate(s.dir());
        }
    }
}
