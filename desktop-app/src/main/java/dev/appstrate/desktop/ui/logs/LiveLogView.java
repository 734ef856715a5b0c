package dev.appstrate.desktop.ui.logs;

import dev.appstrate.desktop.ui.Tasks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;

/**
 * The live log view: a virtualized {@link ListView} with a fixed cell size bound to a {@link LogWindowModel}, fed from a
 * {@link LogSource} through a bounded queue that an {@link AnimationTimer} drains in batches, once per frame. Follow mode
 * turns off when the user scrolls up and back on at the bottom; new lines meanwhile show in a badge. All methods are for
 * the FX thread.
 */
public final class LiveLogView extends BorderPane {
    public static final int DEFAULT_CAPACITY = 200_000;
    /** 12,500 × 30 changed frames a second still shows 375,000 lines/s; a 25,000-line frame's drain held its pulse 11 ms. */
    static final int MAX_LINES_PER_FRAME = 12_500;
    static final double CELL_HEIGHT = 18;
    private static final int OLDER_PAGE = 5_000;

    /** Watches each frame's drain: benchmarks time it and count lines shown; the view keeps no counters itself. */
    public interface DrainListener {
        void beforeDrain();

        /** {@code linesShown}: lines that joined the shown list this frame. */
        void afterDrain(int linesShown);
    }

    private final LogFeed feed;
    private final ObservableList<LogLine> window = FXCollections.observableArrayList();
    private final ListView<LogLine> list = new ListView<>(window);
    private final LogWindowModel model;
    private final ArrayList<LogLine> batch = new ArrayList<>();

    private final BooleanProperty follow = new SimpleBooleanProperty(this, "follow", true);
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused", false);
    private final BooleanProperty timestamps = new SimpleBooleanProperty(this, "timestamps", true);
    private final BooleanProperty wrap = new SimpleBooleanProperty(this, "wrap", false);
    private final BooleanProperty regex = new SimpleBooleanProperty(this, "regex", false);
    private final ObjectProperty<LogLevel> minLevel = new SimpleObjectProperty<>(this, "minLevel", LogLevel.DEBUG);
    private final IntegerProperty newLines = new SimpleIntegerProperty(this, "newLines", 0);
    private final IntegerProperty matchCount = new SimpleIntegerProperty(this, "matchCount", 0);
    private final LogStatusBar statusBar = new LogStatusBar();
    private final LogToolbar toolbar;
    private final LogSearchControl searchControl;

    private LogSource source;
    private boolean loadingOlder;
    private boolean checkFollowNextFrame;
    private boolean changedLastFrame;
    private DrainListener drainListener;
    private Consumer<LiveLogView> exportAction;

    private final AnimationTimer drain = new AnimationTimer() {
        @Override
        public void handle(long now) {
            // under a stream, every other frame changes nothing: the render thread draws one changed frame while the
            // FX thread's next pulse has nothing to wait for (rendering every visible row took more CPU per frame than
            // the drain, and the pulse waited for it); at most 30 updates a second, 12,500 lines each
            if (changedLastFrame && !checkFollowNextFrame) {
                changedLastFrame = false;
                return;
            }
            changedLastFrame = drainFeed() > 0;
        }
    };

    public LiveLogView() {
        this(DEFAULT_CAPACITY);
    }

    public LiveLogView(int capacity) {
        this.feed = new LogFeed(capacity);
        this.model = new LogWindowModel(capacity, window, new ListViewport(list));
        getStyleClass().add("live-log");
        searchControl = new LogSearchControl(model, list, regex, this::sync);
        toolbar = new LogToolbar(this);
        setTop(toolbar);
        setCenter(buildList());
        setBottom(statusBar);
        // the timer runs only while the view is on screen
        sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                drain.start();
            } else {
                drain.stop();
            }
        });
        follow.addListener((obs, was, on) -> change(() -> model.setFollow(on)));
        paused.addListener((obs, was, on) -> change(() -> model.setPaused(on)));
        minLevel.addListener((obs, o, n) -> {
            change(() -> model.setMinLevel(n));
            searchControl.recount();
        });
        timestamps.addListener((obs, o, n) -> list.refresh());
        wrap.addListener((obs, o, on) -> {
            list.setFixedCellSize(on ? -1 : CELL_HEIGHT);
            list.refresh();
        });
        matchCount.addListener((obs, o, n) -> searchControl.showLabel());
        addEventFilter(KeyEvent.KEY_PRESSED, e -> searchControl.onKey(e, this::copySelection));
    }

    // ---------------------------------------------------------------- public API

    /** Attaches a source and starts it; a previous source is closed. */
    public void setSource(LogSource newSource) {
        if (source != null) {
            source.close();
        }
        clear();
        this.source = newSource;
        if (newSource != null) {
            newSource.start(feed);
        }
    }

    /** Empties the view (stored logs on the server are untouched). */
    public void clear() {
        change(model::clear);
    }

    /** Back to how a fresh view starts: following, not paused, no search, every level (a new run opens fresh). */
    public void resetView() {
        paused.set(false);
        minLevel.set(LogLevel.DEBUG);
        search("");
        follow.set(true);
    }

    /** Closes the source (when the page is left for good). */
    public void close() {
        if (source != null) {
            source.close();
            source = null;
        }
    }

    /** What "Export…" does; by default the kept lines are written to a file the caller chooses. */
    public void setExportAction(Consumer<LiveLogView> action) {
        this.exportAction = action;
    }

    /** Benchmarks' probe; null for none. */
    public void setDrainListener(DrainListener listener) {
        this.drainListener = listener;
    }

    public int capacity() {
        return model.capacity();
    }

    public BooleanProperty followProperty() {
        return follow;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    public BooleanProperty timestampsProperty() {
        return timestamps;
    }

    public BooleanProperty wrapProperty() {
        return wrap;
    }

    public BooleanProperty regexProperty() {
        return regex;
    }

    public ObjectProperty<LogLevel> minLevelProperty() {
        return minLevel;
    }

    /** Lines that arrived while the user was scrolled up or paused (the badge's N). */
    public IntegerProperty newLinesProperty() {
        return newLines;
    }

    public IntegerProperty matchCountProperty() {
        return matchCount;
    }

    public ListView<LogLine> listView() {
        return list;
    }

    public TextField searchField() {
        return searchControl.field();
    }

    Label matchLabel() {
        return searchControl.label();
    }

    LogWindowModel model() {
        return model;
    }

    /** The lines currently shown (after the level filter), oldest first. */
    public List<LogLine> shownLines() {
        return model.shown();
    }

    /** Every line kept in memory, oldest first (bounded by the capacity). */
    public int keptLineCount() {
        return model.kept().size();
    }

    public long droppedLines() {
        return feed.dropped();
    }

    /** The id of the match the view points at, or -1. */
    public long currentMatchId() {
        return model.matches().currentId();
    }

    String debugState() {
        ListViewport v = new ListViewport(list);
        return "shown=" + model.shown().size() + " kept=" + keptLineCount() + " window=" + window.size() + " winStart="
                + model.winStart() + " follow=" + model.follow() + " first=" + v.firstVisible() + " last=" + v.lastVisible()
                + " queued=" + feed.queued();
    }

    /** Sets the search text immediately (no debounce). */
    public void search(String text) {
        searchControl.search(text);
    }

    /** Selects and reveals the next match after the current one, wrapping at the end. */
    public void nextMatch() {
        searchControl.jump(+1);
    }

    public void previousMatch() {
        searchControl.jump(-1);
    }

    /** Whether the last line is on screen. */
    public boolean atBottom() {
        return model.atBottom();
    }

    /** Text of the selected lines, in order, as shown. */
    public String selectedText() {
        return LogText.selected(list, timestamps.get());
    }

    public void copySelection() {
        LogText.toClipboard(selectedText());
    }

    void export() {
        if (exportAction != null) {
            exportAction.accept(this);
        }
    }

    /** Writes the kept lines (not only the screenful) to {@code file}. */
    public void exportKeptLines(Path file) throws IOException {
        LogText.write(model.kept(), file);
    }

    /** Fetches the page of lines before the oldest kept one from the source, off the FX thread. */
    public void loadOlder() {
        if (source == null || model.olderExhausted() || loadingOlder) {
            return;
        }
        long before = model.oldestId();
        LogSource s = source;
        loadingOlder = true;
        sync();
        Tasks.create(() -> s.older(before, OLDER_PAGE))
                .onSuccess(lines -> {
                    if (s != source) {
                        return;
                    }
                    change(() -> {
                        if (lines.isEmpty()) {
                            model.olderExhausted(true);
                        } else {
                            model.prepend(lines);
                        }
                    });
                })
                .andFinally(() -> {
                    loadingOlder = false;
                    sync();
                })
                .start();
    }

    // ---------------------------------------------------------------- the frame loop

    /** One frame: moves up to MAX_LINES_PER_FRAME queued lines into the model in one batch; returns the lines shown. */
    int drainFeed() {
        DrainListener probe = drainListener;
        if (probe != null) {
            probe.beforeDrain();
        }
        if (checkFollowNextFrame) {
            checkFollowNextFrame = false;
            model.userScrolled();
        } else {
            // a busy frame can lay the list out a line short of a scrollTo: follow means the last line is in view
            model.keepTailInView();
        }
        batch.clear();
        feed.drainTo(batch, MAX_LINES_PER_FRAME);
        int shown = model.receive(batch);
        sync();
        statusBar.show(model, feed);
        if (probe != null) {
            probe.afterDrain(shown);
        }
        return shown;
    }

    /** Runs a model change, then mirrors the model into the properties the toolbar and badge bind to. */
    private void change(Runnable r) {
        r.run();
        sync();
    }

    private void sync() {
        follow.set(model.follow());
        paused.set(model.paused());
        newLines.set(model.newLines());
        matchCount.set(model.matches().count());
        toolbar.olderState(loadingOlder, model.olderExhausted());
    }

    // ---------------------------------------------------------------- building

    private StackPane buildList() {
        list.setId("log-list");
        list.setFixedCellSize(CELL_HEIGHT);
        list.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        list.setCellFactory(lv -> new LogCell(this));
        list.setPlaceholder(statusBar.emptyLabel());
        // any user scroll decides follow: up turns it off, reaching the bottom turns it back on
        list.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() > 0) {
                follow.set(false);
            }
            checkFollowNextFrame = true;
        });
        list.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> checkFollowNextFrame = true); // scroll bar arrows and track
        list.addEventFilter(MouseEvent.MOUSE_DRAGGED, e -> checkFollowNextFrame = true);
        list.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> checkFollowNextFrame = true);
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            switch (e.getCode()) {
                case UP, PAGE_UP, HOME -> {
                    follow.set(false);
                    checkFollowNextFrame = true;
                }
                case END -> follow.set(true);
                case DOWN, PAGE_DOWN -> checkFollowNextFrame = true;
                default -> { }
            }
        });
        Button badge = LogToolbar.newLinesBadge(newLines, follow, paused, () -> change(model::jumpToNewest));
        StackPane stack = new StackPane(list, badge);
        StackPane.setAlignment(badge, Pos.BOTTOM_CENTER);
        StackPane.setMargin(badge, new Insets(0, 0, 14, 0));
        return stack;
    }
}
