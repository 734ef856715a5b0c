package dev.appstrate.desktop.ui.agents;

import dev.appstrate.desktop.client.AgentsApi;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.Widgets;
import java.io.File;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** Agents: search, import (.afps by chooser or drop), detail (manifest, prompt, versions) and Run. */
public final class AgentsPage implements Page {
    private final DesktopContext ctx;
    private final AgentsViewModel vm;
    private final ListView<AgentsViewModel.AgentItem> list;
    private VBox view;

    public AgentsPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.vm = new AgentsViewModel(ctx.client());
        this.list = new ListView<>(vm.filtered);
    }

    public AgentsViewModel viewModel() {
        return vm;
    }

    @Override
    public String title() {
        return "Agents";
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Button importBtn = new Button("Import .afps…");
        importBtn.setId("agents-import");
        importBtn.disableProperty().bind(vm.busy);
        importBtn.setOnAction(e -> chooseAndImport());
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        view = Widgets.page("Agents", importBtn, refresh);
        TextField search = new TextField();
        search.setId("agents-search");
        search.setPromptText("Search agents");
        search.textProperty().bindBidirectional(vm.query);
        Label message = new Label();
        message.setId("agents-message");
        message.textProperty().bind(vm.message);
        message.getStyleClass().add("muted");
        message.setWrapText(true);
        Widgets.shownWhenSaying(message); // the empty list's hint gone leaves no blank line over the list
        ListView<String> errors = new ListView<>(vm.importErrors);
        errors.setId("agents-import-errors");
        errors.setPrefHeight(110);
        errors.getStyleClass().add("message-error");
        errors.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.importErrors));
        errors.managedProperty().bind(errors.visibleProperty());

        list.setId("agents-list");
        list.setCellFactory(lv -> new AgentCell());
        list.getSelectionModel().selectedItemProperty().addListener((obs, o, a) -> vm.loadDetail(a == null ? null : a.id()));
        // the detail beside the list follows the selection; opening an agent is running it
        dev.appstrate.desktop.ui.OpenSelected.on(list, a -> {
            if (vm.detail.get() != null && vm.detail.get().id().equals(a.id())) {
                openRunDialog();
            }
        });
        vm.agents.addListener((javafx.collections.ListChangeListener<AgentsViewModel.AgentItem>) c -> {
            String want = vm.takePendingSelection();
            if (want != null) {
                select(want);
            }
        });
        VBox left = new VBox(8, search, list);
        VBox.setVgrow(list, Priority.ALWAYS);
        SplitPane split = new SplitPane(left, detailPane());
        split.setDividerPositions(0.38);
        VBox.setVgrow(split, Priority.ALWAYS);
        view.getChildren().addAll(message, errors, split);
        installDrop(view);
        return view;
    }

    private Node detailPane() {
        Label name = new Label("Select an agent");
        name.setId("agent-name");
        name.getStyleClass().add("page-title");
        Label meta = new Label();
        meta.setId("agent-meta");
        meta.getStyleClass().add("muted");
        meta.setWrapText(true);
        Widgets.shownWhenSaying(meta);
        Button run = new Button("Run…");
        run.setId("agent-run");
        run.disableProperty().bind(vm.detail.isNull());
        run.setOnAction(e -> openRunDialog());
        Button runs = new Button("Runs");
        runs.disableProperty().bind(vm.detail.isNull());
        runs.setOnAction(e -> ctx.navigator().show(dev.appstrate.desktop.ui.PageId.RUNS));
        TextArea manifest = new TextArea();
        manifest.setId("agent-manifest");
        manifest.setEditable(false);
        manifest.getStyleClass().add("mono");
        TextArea prompt = new TextArea();
        prompt.setId("agent-prompt");
        prompt.setEditable(false);
        prompt.setWrapText(true);
        ListView<String> versions = new ListView<>(vm.versions);
        versions.setId("agent-versions");
        versions.setPlaceholder(new Label("No published versions"));
        TabPane tabs = new TabPane(new Tab("Manifest", manifest), new Tab("Prompt", prompt), new Tab("Versions", versions));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        vm.detail.addListener((obs, o, d) -> {
            if (d == null) {
                name.setText("Select an agent");
                meta.setText("");
                manifest.clear();
                prompt.clear();
                return;
            }
            name.setText(d.title());
            meta.setText(d.id() + "  ·  v" + d.version() + (d.description() == null || d.description().isBlank() ? "" : "  ·  " + d.description()));
            manifest.setText(DesktopJson.pretty(d.manifest())); // the author's manifest, shown as written
            prompt.setText(d.prompt());
        });
        VBox box = new VBox(8, name, meta, new javafx.scene.layout.HBox(8, run, runs), tabs);
        box.setPadding(new javafx.geometry.Insets(0, 0, 0, 12));
        return box;
    }

    private void chooseAndImport() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Import an agent package");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Agent packages", "*.afps", "*.zip"));
        File f = fc.showOpenDialog(view.getScene().getWindow());
        if (f != null) {
            vm.importFile(f.toPath(), () -> { });
        }
    }

    private void installDrop(Node target) {
        target.addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
                if (!target.getStyleClass().contains("drop-target")) {
                    target.getStyleClass().add("drop-target");
                }
            }
            e.consume();
        });
        target.addEventHandler(DragEvent.DRAG_EXITED, e -> target.getStyleClass().remove("drop-target"));
        target.addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            target.getStyleClass().remove("drop-target");
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                dropFiles(e.getDragboard().getFiles());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** What a drop of files does: import each .afps. */
    public void dropFiles(List<File> files) {
        for (File f : files) {
            vm.importFile(f.toPath(), () -> { });
        }
    }

    /** Selects the agent with this id once it is listed. */
    public void select(String packageId) {
        for (AgentsViewModel.AgentItem a : vm.filtered) {
            if (a.id().equals(packageId)) {
                list.getSelectionModel().select(a);
                list.scrollTo(a);
                return;
            }
        }
    }

    /** Opens the Run dialog for the selected agent; a started run opens in the run view. */
    public RunDialog openRunDialog() {
        AgentsApi.Detail d = vm.detail.get();
        if (d == null) {
            return null;
        }
        String id = d.id();
        RunDialog dialog = new RunDialog(view.getScene().getWindow(), id, d.inputSpec());
        AgentsApi agents = new AgentsApi(ctx.client());
        dialog.show(values -> Tasks.create(() -> {
                    try {
                        return agents.run(id, values, null);
                    } catch (dev.appstrate.desktop.client.ApiProblem p) {
                        // nothing published yet: run the working copy, as the original's "draft" does
                        if ("no_published_version".equals(p.code())) {
                            return agents.run(id, values, "draft");
                        }
                        throw p;
                    }
                })
                .onSuccess(run -> ctx.navigator().openRun(run.id()))
                .onError(ctx.notifier()::error)
                .start());
        return dialog;
    }

    @Override
    public void onShow() {
        vm.refresh();
    }
}
