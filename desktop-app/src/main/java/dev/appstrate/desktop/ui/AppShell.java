package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.ui.runs.RunDetailPage;
import java.util.EnumMap;
import java.util.Map;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.Scene;

/**
 * The main window's content: a sidebar of places, the current page, a notification strip under it for messages
 * and errors (closed by ×, the next message or leaving the page), and a status bar with the server address. Ctrl+1..9 jump to the first nine places.
 */
public final class AppShell implements Navigator, Notifier {
    private final DesktopContext ctx;
    private final BorderPane root = new BorderPane();
    private final StackPane content = new StackPane();
    private final MessageBar notifications = new MessageBar();
    private final ToggleGroup navGroup = new ToggleGroup();
    private final Map<PageId, ToggleButton> navButtons = new EnumMap<>(PageId.class);
    private final Map<PageId, Page> pages = new EnumMap<>(PageId.class);
    private final Map<PageId, Node> views = new EnumMap<>(PageId.class);
    private final Label serverLabel = new Label();
    private Page current;
    private RunDetailPage runDetail;

    public AppShell(DesktopContext ctx) {
        this.ctx = ctx;
        ctx.wire(this, this);
        root.setTop(buildMenuBar());
        root.setLeft(buildSidebar());
        // a strip under the page, not over it: it covers no field; the page's header never moves, only its foot gives way
        VBox.setVgrow(content, Priority.ALWAYS);
        content.setId("page-area");
        VBox center = new VBox(content, notifications);
        notifications.holdWhilePointerOver(center.hoverProperty());
        root.setCenter(center);
        root.setBottom(buildStatusBar());
        root.setId("app-shell");
    }

    public Parent root() {
        return root;
    }

    /** Installs the keyboard shortcuts on the window's scene. */
    public void installShortcuts(Scene scene) {
        PageId[] ids = PageId.values();
        for (int i = 0; i < Math.min(9, ids.length); i++) {
            PageId id = ids[i];
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.getKeyCode(String.valueOf(i + 1)), KeyCombination.SHORTCUT_DOWN),
                    () -> show(id));
        }
        // Ctrl+R: Run again on a run's page, reload elsewhere; F5 always reloads
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), () -> {
            if (current != null && !current.runAgain()) {
                current.onShow();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), () -> {
            if (current != null) {
                current.onShow();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F1), this::showShortcuts);
    }

    /** The menu bar: every place with its Ctrl+digit, reload, run again and the shortcuts sheet. */
    private javafx.scene.control.MenuBar buildMenuBar() {
        javafx.scene.control.Menu go = new javafx.scene.control.Menu("_Go");
        PageId[] ids = PageId.values();
        for (int i = 0; i < ids.length; i++) {
            PageId id = ids[i];
            javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem(id.title());
            if (i < 9) {
                item.setAccelerator(new KeyCodeCombination(KeyCode.getKeyCode(String.valueOf(i + 1)), KeyCombination.SHORTCUT_DOWN));
            }
            item.setOnAction(e -> show(id));
            go.getItems().add(item);
        }
        javafx.scene.control.MenuItem reload = new javafx.scene.control.MenuItem("Reload page");
        reload.setAccelerator(new KeyCodeCombination(KeyCode.F5));
        reload.setOnAction(e -> {
            if (current != null) {
                current.onShow();
            }
        });
        javafx.scene.control.MenuItem again = new javafx.scene.control.MenuItem("Run again");
        again.setAccelerator(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN));
        again.setOnAction(e -> {
            if (current != null && !current.runAgain()) {
                current.onShow();
            }
        });
        javafx.scene.control.Menu run = new javafx.scene.control.Menu("_View", null, reload, again);
        javafx.scene.control.MenuItem keys = new javafx.scene.control.MenuItem("Keyboard shortcuts");
        keys.setId("menu-shortcuts");
        keys.setAccelerator(new KeyCodeCombination(KeyCode.F1));
        keys.setOnAction(e -> showShortcuts());
        javafx.scene.control.Menu help = new javafx.scene.control.Menu("_Help", null, keys);
        javafx.scene.control.MenuBar bar = new javafx.scene.control.MenuBar(go, run, help);
        bar.setId("menu-bar");
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    /** The keyboard shortcuts sheet (F1). */
    public void showShortcuts() {
        Shortcuts.sheet(root.getScene() == null ? null : root.getScene().getWindow()).show();
    }

    private VBox buildSidebar() {
        Label title = new Label("Appstrate");
        title.getStyleClass().add("app-title");
        VBox side = new VBox(title);
        side.getStyleClass().add("sidebar");
        PageId[] ids = PageId.values();
        for (int i = 0; i < ids.length; i++) {
            PageId id = ids[i];
            if (id == PageId.SCHEDULES) {
                Label section = new Label("AUTOMATION & INFRA");
                section.getStyleClass().add("nav-section");
                side.getChildren().add(section);
            }
            if (id == PageId.AGENT_FOLDERS) {
                continue;
            }
            if (id == PageId.SETTINGS) {
                Region grow = new Region();
                VBox.setVgrow(grow, Priority.ALWAYS);
                side.getChildren().add(grow);
            }
            ToggleButton b = new ToggleButton(id.title());
            b.setId(id.navId());
            b.getStyleClass().add("nav-button");
            b.setToggleGroup(navGroup);
            b.setMaxWidth(Double.MAX_VALUE);
            if (i < 9) {
                b.setTooltip(new Tooltip(id.title() + " (Ctrl+" + (i + 1) + ")"));
            }
            b.setOnAction(e -> show(id));
            navButtons.put(id, b);
            side.getChildren().add(b);
            if (id == PageId.AGENTS) {
                ToggleButton dev = new ToggleButton(PageId.AGENT_FOLDERS.title());
                dev.setId(PageId.AGENT_FOLDERS.navId());
                dev.getStyleClass().addAll("nav-button", "nav-sub");
                dev.setToggleGroup(navGroup);
                dev.setMaxWidth(Double.MAX_VALUE);
                dev.setOnAction(e -> show(PageId.AGENT_FOLDERS));
                navButtons.put(PageId.AGENT_FOLDERS, dev);
                side.getChildren().add(dev);
            }
        }
        return side;
    }

    private HBox buildStatusBar() {
        serverLabel.setId("status-server");
        String where = ctx.client().endpoint().embedded()
                ? "Embedded server " + ctx.client().endpoint().baseUrl()
                : "Remote server " + ctx.client().endpoint().baseUrl();
        serverLabel.setText(where);
        Label data = new Label(ctx.dataDir() == null ? "" : "Data: " + ctx.dataDir());
        data.getStyleClass().add("muted");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        javafx.scene.control.ProgressIndicator busy = new javafx.scene.control.ProgressIndicator();
        busy.setId("status-busy");
        busy.setPrefSize(14, 14);
        busy.visibleProperty().bind(Tasks.runningProperty().greaterThan(0));
        HBox bar = new HBox(busy, serverLabel, grow, data);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    @Override
    public void show(PageId id) {
        Page page = pages.computeIfAbsent(id, k -> Pages.create(ctx, k));
        Node view = views.computeIfAbsent(id, k -> wrap(page.view()));
        navButtons.get(id).setSelected(true);
        switchTo(page, view);
    }

    @Override
    public void openRun(String runId) {
        if (runDetail == null) {
            runDetail = new RunDetailPage(ctx);
        }
        Node view = runDetail.view();
        runDetail.load(runId);
        navButtons.get(PageId.RUNS).setSelected(true);
        switchTo(runDetail, view);
    }

    @Override
    public void openAgent(String packageId) {
        show(PageId.AGENTS);
        if (pages.get(PageId.AGENTS) instanceof dev.appstrate.desktop.ui.agents.AgentsPage p) {
            p.select(packageId);
        }
    }

    @Override
    public void openSetting(String variable) {
        show(PageId.SETTINGS);
        if (pages.get(PageId.SETTINGS) instanceof dev.appstrate.desktop.ui.settings.SettingsPage p) {
            p.focusSetting(variable);
        }
    }

    private void switchTo(Page page, Node view) {
        if (current != null && current != page) {
            current.onHide();
            notifications.hide(); // a notice about the page left behind would read as one about this page
        }
        current = page;
        content.getChildren().setAll(view);
        page.onShow();
    }

    /** Leaves the current page (its timers and live streams stop): the shell is about to be dropped. */
    public void close() {
        if (current != null) {
            current.onHide();
            current = null;
        }
    }

    /** The page currently shown. */
    public Page currentPage() {
        return current;
    }

    private static Node wrap(Node view) {
        if (view instanceof Region r && r.getStyleClass().contains("scrollable-page")) {
            ScrollPane sp = new ScrollPane(view);
            sp.setFitToWidth(true);
            return sp;
        }
        return view;
    }

    @Override
    public void info(String message) {
        runOnFx(() -> notifications.info(message));
    }

    @Override
    public void error(String message) {
        runOnFx(() -> notifications.error(message));
    }

    /** The text of the notification bar (tests read it). */
    public String notificationText() {
        return notifications.shownText();
    }

    private static void runOnFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
