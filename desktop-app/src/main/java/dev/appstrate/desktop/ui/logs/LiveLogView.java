package dev.appstrate.desktop.ui.logs;

import dev.appstrate.desktop.ui.Tasks;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;
import javafx.animation.PauseTransition;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;

/**
 * The live log view: a virtualized {@link ListView} with a fixed cell size, fed from a {@link LogSource}
 * through a bounded queue that an {@link AnimationTimer} drains in batches, once per frame. Follow mode
 * turns off when the user scrolls up and back on at the bottom; new lines meanwhile show in a badge.
 * Memory is bounded: at most {@link #capacity()} lines are kept, older ones are paged in on demand.
 * All methods are for the FX thread.
 */
public final class LiveLogView extends BorderPane {
    public static final int DEFAULT_CAPACITY = 200_000;
    static final int MAX_LINES_PER_FRAME = 25_000;
    static final double CELL_HEIGHT = 18;
    static final int WINDOW = 4_000;
    static final int WINDOW_STEP = 1_000;
    private static final int OLDER_PAGE = 5_000;
    private static final PseudoClass MATCH = PseudoClass.getPseudoClass("match");
    private static final PseudoClass CURRENT = PseudoClass.getPseudoClass("current-match");
    private static final PseudoClass NO_MATCH = PseudoClass.getPseudoClass("no-match");
    private static final PseudoClass[] LEVELS = {
        PseudoClass.getPseudoClass("level-debug"), PseudoClass.getPseudoClass("level-info"),
        PseudoClass.getPseudoClass("level-warn"), PseudoClass.getPseudoClass("level-error")};

    private final int capacity;
    private final LogFeed feed;
    /** Every kept line, oldest first; {@link #shown} is its level-filtered view. */
    private final ArrayList<LogLine> all = new ArrayList<>();
    private final ArrayList<LogLine> shown = new ArrayList<>();
    private final ArrayList<LogLine> heldWhilePaused = new ArrayList<>();
    /**
     * What the ListView holds: a window of at most WINDOW lines of {@link #shown}, slid as the user scrolls.
     * JavaFX 21's VirtualFlow scans its whole item list several times per layout (computeCurrentIndex,
     * recalculateAndImproveEstimatedSize), so a 200k-item ListView stalls for hundreds of ms per frame.
     */
    private final ObservableList<LogLine> window = FXCollections.observableArrayList();
    private int winStart;
    private final ArrayList<LogLine> batch = new ArrayList<>();
    private final ListView<LogLine> list = new ListView<>(window);

    private final BooleanProperty follow = new SimpleBooleanProperty(this, "follow", true);
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused", false);
    private final BooleanProperty timestamps = new SimpleBooleanProperty(this, "timestamps", true);
    private final BooleanProperty wrap = new SimpleBooleanProperty(this, "wrap", false);
    private final BooleanProperty regex = new SimpleBooleanProperty(this, "regex", false);
    private final ObjectProperty<LogLevel> minLevel = new SimpleObjectProperty<>(this, "minLevel", LogLevel.DEBUG);
    private final IntegerProperty newLines = new SimpleIntegerProperty(this, "newLines", 0);
    private final IntegerProperty matchCount = new SimpleIntegerProperty(this, "matchCount", 0);
    private final TextField searchField = new TextField();
    private final Label matchLabel = new Label();
    private final Label statusLabel = new Label();
    private final Label emptyLabel = new Label("No log lines yet");
    private final Button badge = new Button();
    private final Button olderButton = new Button("Load older");
    private final PauseTransition searchDebounce = new PauseTransition(Duration.millis(150));

    private LogSource source;
    private LogSearch search = LogSearch.NONE;
    private long currentMatchId = -1;
    private int searchGeneration;
    private boolean checkFollowNextFrame;
    private boolean olderExhausted;
    private long shownTotal;
    private long longestDrainNanos;
    private long longestDrainCpuNanos;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private Consumer<LiveLogView> exportAction;

    private final AnimationTimer drain = new AnimationTimer() {
        @Override
        public void handle(long now) {
            // under a stream, every other frame changes nothing: the render thread draws one changed frame while the
            // FX thread's next pulse has nothing to wait for (rendering every visible row took more CPU per frame than
            // the drain, and the pulse waited for it); at most 30 updates a second, 25,000 lines each
            if (changedLastFrame && !checkFollowNextFrame) {
                changedLastFrame = false;
                return;
            }
            long before = shownTotal;
            drainFeed();
            changedLastFrame = shownTotal != before;
        }
    };
    private boolean changedLastFrame;

    public LiveLogView() {
        this(DEFAULT_CAPACITY);
    }

    public LiveLogView(int capacity) {
        this.capacity = capacity;
        this.feed = new LogFeed(capacity);
        getStyleClass().add("live-log");
        setTop(buildToolbar());
        setCenter(buildList());
        statusLabel.getStyleClass().add("log-status");
        statusLabel.setId("log-status");
        HBox bottom = new HBox(statusLabel);
        bottom.setPadding(new Insets(3, 6, 3, 6));
        setBottom(bottom);
        // the timer runs only while the view is on screen
        sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                drain.start();
            } else {
                drain.stop();
            }
        });
        follow.addListener((obs, was, on) -> {
            if (on) {
                resumeAtBottom();
            }
        });
        paused.addListener((obs, was, on) -> {
            if (!on) {
                List<LogLine> held = new ArrayList<>(heldWhilePaused);
                heldWhilePaused.clear();
                append(held);
                if (follow.get()) {
                    resumeAtBottom();
                }
            }
        });
        minLevel.addListener((obs, o, n) -> refilter());
        timestamps.addListener((obs, o, n) -> list.refresh());
        wrap.addListener((obs, o, on) -> {
            list.setFixedCellSize(on ? -1 : CELL_HEIGHT);
            list.refresh();
        });
        regex.addListener((obs, o, n) -> applySearch());
        addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
    }

    // ---------------------------------------------------------------- public API

    /** Attaches a source and starts it; a previous source is closed. */
    public void setSource(LogSource newSource) {
        if (source != null) {
            source.close();
        }
        clear();
        this.source = newSource;
        olderExhausted = false;
        if (newSource != null) {
            newSource.start(feed);
        }
    }

    /** Empties the view (stored logs on the server are untouched). */
    public void clear() {
        all.clear();
        shown.clear();
        heldWhilePaused.clear();
        window.clear();
        winStart = 0;
        newLines.set(0);
        matchCount.set(0);
        currentMatchId = -1;
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

    public int capacity() {
        return capacity;
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
        return searchField;
    }

    /** The lines currently shown (after the level filter), oldest first. */
    public List<LogLine> shownLines() {
        return Collections.unmodifiableList(shown);
    }

    /** Every line kept in memory, oldest first (bounded by the capacity). */
    public int keptLineCount() {
        return all.size();
    }

    /** Lines added to the list since creation: what a benchmark counts as "shown". */
    public long shownTotal() {
        return shownTotal;
    }

    /** The longest time one frame's drain took on the FX thread (benchmarks report it). */
    public long longestDrainNanos() {
        return longestDrainNanos;
    }

    String debugState() {
        VirtualFlow<?> f = flow();
        return "shown=" + shown.size() + " kept=" + all.size() + " window=" + window.size() + " winStart=" + winStart
                + " follow=" + follow.get() + " first=" + (f == null || f.getFirstVisibleCell() == null ? -1 : f.getFirstVisibleCell().getIndex())
                + " last=" + (f == null || f.getLastVisibleCell() == null ? -1 : f.getLastVisibleCell().getIndex())
                + " shownTotal=" + shownTotal + " queued=" + feed.queued();
    }

    /** The longest FX-thread CPU time one frame's drain used. */
    public long longestDrainCpuNanos() {
        return longestDrainCpuNanos;
    }

    void resetStallMeasure() {
        longestDrainCpuNanos = 0;
        longestDrainNanos = 0;
    }

    public long droppedLines() {
        return feed.dropped();
    }

    /** The id of the match the view points at, or -1. */
    public long currentMatchId() {
        return currentMatchId;
    }

    /** Sets the search text immediately (no debounce). */
    public void search(String text) {
        searchField.setText(text);
        searchDebounce.stop();
        applySearch();
    }

    /** Selects and reveals the next match after the current one, wrapping at the end. */
    public void nextMatch() {
        jumpToMatch(+1);
    }

    public void previousMatch() {
        jumpToMatch(-1);
    }

    /** Whether the last line is on screen. */
    public boolean atBottom() {
        if (window.isEmpty()) {
            return shown.isEmpty();
        }
        VirtualFlow<?> flow = flow();
        if (flow == null) {
            return true;
        }
        IndexedCell<?> last = flow.getLastVisibleCell();
        return (last == null || last.getIndex() >= window.size() - 1) && winStart + window.size() >= shown.size();
    }

    /** Text of the selected lines, in order, as shown. */
    public String selectedText() {
        List<Integer> idx = new ArrayList<>(list.getSelectionModel().getSelectedIndices());
        Collections.sort(idx);
        StringBuilder sb = new StringBuilder();
        for (int i : idx) {
            if (i >= 0 && i < window.size()) {
                sb.append(window.get(i).format(timestamps.get())).append('\n');
            }
        }
        return sb.toString();
    }

    public void copySelection() {
        String text = selectedText();
        if (!text.isEmpty()) {
            ClipboardContent c = new ClipboardContent();
            c.putString(text);
            Clipboard.getSystemClipboard().setContent(c);
        }
    }

    /** Writes the kept lines (not only the screenful) to {@code file}. */
    public void exportKeptLines(Path file) throws IOException {
        List<LogLine> snapshot = new ArrayList<>(all);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LogLine l : snapshot) {
                w.write(l.exportText());
                w.write('\n');
            }
        }
    }

    /** Fetches the page of lines before the oldest kept one from the source, off the FX thread. */
    public void loadOlder() {
        if (source == null || olderExhausted) {
            return;
        }
        long before = all.isEmpty() ? Long.MAX_VALUE : all.get(0).id();
        LogSource s = source;
        olderButton.setDisable(true);
        Tasks.create(() -> s.older(before, OLDER_PAGE))
                .onSuccess(lines -> {
                    if (s != source) {
                        return;
                    }
                    if (lines.isEmpty()) {
                        olderExhausted = true;
                        olderButton.setText("No older lines");
                        return;
                    }
                    prepend(lines);
                })
                .andFinally(() -> olderButton.setDisable(olderExhausted))
                .start();
    }

    // ---------------------------------------------------------------- building

    private FlowPane buildToolbar() {
        ToggleButton followBtn = toggle("Follow", "log-follow", follow, "Keep the newest line in view (End)");
        ToggleButton pauseBtn = toggle("Pause", "log-pause", paused, "Stop adding lines to the view; they are kept and counted");
        ComboBox<LogLevel> level = new ComboBox<>(FXCollections.observableArrayList(LogLevel.values()));
        level.setId("log-level");
        level.valueProperty().bindBidirectional(minLevel);
        level.setTooltip(new Tooltip("Minimum level shown"));
        searchField.setId("log-search");
        searchField.setPromptText("Search (Ctrl+F)");
        searchField.getStyleClass().add("search-field");
        searchField.setPrefColumnCount(18);
        searchDebounce.setOnFinished(e -> applySearch());
        searchField.textProperty().addListener((obs, o, n) -> searchDebounce.playFromStart());
        searchField.setOnAction(e -> {
            searchDebounce.stop();
            if (!search.query().equals(searchField.getText())) {
                applySearch();
            }
            nextMatch();
        });
        ToggleButton regexBtn = toggle(".*", "log-regex", regex, "Regular expression");
        Button prev = new Button("▲");
        prev.setId("log-prev");
        prev.setTooltip(new Tooltip("Previous match (Shift+Enter)"));
        prev.setOnAction(e -> previousMatch());
        Button next = new Button("▼");
        next.setId("log-next");
        next.setTooltip(new Tooltip("Next match (Enter)"));
        next.setOnAction(e -> nextMatch());
        matchLabel.setId("log-matches");
        matchLabel.setMinWidth(70);
        ToggleButton timeBtn = toggle("Time", "log-timestamps", timestamps, "Show timestamps");
        ToggleButton wrapBtn = toggle("Wrap", "log-wrap", wrap, "Wrap long lines");
        Button copy = new Button("Copy");
        copy.setId("log-copy");
        copy.setTooltip(new Tooltip("Copy the selected lines (Ctrl+C)"));
        copy.setOnAction(e -> copySelection());
        Button export = new Button("Export…");
        export.setId("log-export");
        export.setTooltip(new Tooltip("Save the whole log to a file"));
        export.setOnAction(e -> {
            if (exportAction != null) {
                exportAction.accept(this);
            }
        });
        olderButton.setId("log-older");
        olderButton.setTooltip(new Tooltip("Fetch earlier lines than the oldest one shown"));
        olderButton.setOnAction(e -> loadOlder());
        // a flow so that no control is cut off in a narrow window
        FlowPane bar = new FlowPane(6, 4, followBtn, pauseBtn, level, searchField, regexBtn, prev, next, matchLabel,
                timeBtn, wrapBtn, copy, export, olderButton);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 6, 4, 6));
        matchCount.addListener((obs, o, n) -> updateMatchLabel());
        return bar;
    }

    private static ToggleButton toggle(String text, String id, BooleanProperty prop, String tip) {
        ToggleButton b = new ToggleButton(text);
        b.setId(id);
        b.selectedProperty().bindBidirectional(prop);
        b.setTooltip(new Tooltip(tip));
        return b;
    }

    private StackPane buildList() {
        list.setId("log-list");
        list.setFixedCellSize(CELL_HEIGHT);
        list.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        list.setCellFactory(lv -> new LogCell());
        emptyLabel.setId("log-empty");
        emptyLabel.getStyleClass().add("muted");
        list.setPlaceholder(emptyLabel);
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
        badge.setId("log-new-lines");
        badge.getStyleClass().add("new-lines-badge");
        badge.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() ->
                "↓ " + dev.appstrate.desktop.ui.Plural.of(newLines.get(), "new line"), newLines));
        badge.visibleProperty().bind(newLines.greaterThan(0).and(follow.not().or(paused)));
        badge.managedProperty().bind(badge.visibleProperty());
        badge.setOnAction(e -> {
            paused.set(false);
            follow.set(true);
            resumeAtBottom();
        });
        StackPane stack = new StackPane(list, badge);
        StackPane.setAlignment(badge, Pos.BOTTOM_CENTER);
        StackPane.setMargin(badge, new Insets(0, 0, 14, 0));
        return stack;
    }

    // ---------------------------------------------------------------- the frame loop

    /** One frame: move up to MAX_LINES_PER_FRAME queued lines into the list in one batch. */
    void drainFeed() {
        long t0 = System.nanoTime();
        long c0 = CPU.getCurrentThreadCpuTime();
        drainOnce();
        longestDrainNanos = Math.max(longestDrainNanos, System.nanoTime() - t0);
        // CPU time is what the drain costs even when a busy machine preempts the FX thread
        longestDrainCpuNanos = Math.max(longestDrainCpuNanos, CPU.getCurrentThreadCpuTime() - c0);
    }

    private void drainOnce() {
        boolean userScrolled = checkFollowNextFrame;
        if (userScrolled) {
            checkFollowNextFrame = false;
            followUserScroll();
        } else if (follow.get() && !atBottom()) {
            // a busy frame can lay the list out a line short of a scrollTo: follow means the last line is in view
            showTail();
        }
        batch.clear();
        int n = feed.drainTo(batch, MAX_LINES_PER_FRAME);
        if (n > 0) {
            if (paused.get()) {
                heldWhilePaused.addAll(batch);
                if (heldWhilePaused.size() > capacity) {
                    heldWhilePaused.subList(0, heldWhilePaused.size() - capacity).clear();
                }
                newLines.set(newLines.get() + n);
            } else {
                append(batch);
            }
        }
        updateStatus();
    }

    private void append(List<LogLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        all.addAll(lines);
        LogLevel min = minLevel.get();
        List<LogLine> fresh = min == LogLevel.DEBUG ? lines : lines.stream().filter(l -> l.level().atLeast(min)).toList();
        shown.addAll(fresh);
        shownTotal += fresh.size();
        if (search.active()) {
            matchCount.set(matchCount.get() + countMatches(fresh));
        }
        int overflow = all.size() - capacity;
        if (overflow > 0) {
            trimHead(overflow);
        }
        if (follow.get()) {
            showTail();
        } else {
            int end = winStart + window.size();
            int before = shown.size() - fresh.size();
            if (end == before && window.size() < WINDOW) {
                // a window that ended at the newest line keeps filling while it has room, so the list agrees with the count
                window.addAll(fresh.subList(0, Math.min(fresh.size(), WINDOW - window.size())));
            }
            newLines.set(newLines.get() + fresh.size());
        }
    }

    /** Drops the oldest {@code count} kept lines, in one batch (trimming line by line froze other log views). */
    private void trimHead(int count) {
        long firstKept = all.get(count).id();
        all.subList(0, count).clear();
        int k = lowerBound(shown, firstKept);
        if (k > 0) {
            if (search.active()) {
                matchCount.set(Math.max(0, matchCount.get() - countMatches(shown.subList(0, k))));
            }
            shown.subList(0, k).clear();
            winStart -= k;
            if (winStart < 0) {
                window.remove(0, Math.min(-winStart, window.size()));
                winStart = 0;
            }
        }
        olderExhausted = false;
        olderButton.setText("Load older");
    }

    /** Follow mode: the window ends at the newest line, which is scrolled into view. */
    private void showTail() {
        int end = winStart + window.size();
        if (end < shown.size() && shown.size() - end <= WINDOW && !window.isEmpty()) {
            window.addAll(shown.subList(end, shown.size()));
            int excess = window.size() - WINDOW;
            if (excess > 0) {
                window.remove(0, excess);
                winStart += excess;
            }
        } else if (end != shown.size() || window.size() > WINDOW) {
            winStart = Math.max(0, shown.size() - WINDOW);
            window.setAll(shown.subList(winStart, shown.size()));
        }
        if (!window.isEmpty()) {
            list.scrollTo(window.size() - 1);
        }
    }

    /** Re-centres the window so that {@code index} of {@link #shown} is in it; returns its index in the window. */
    private int reveal(int index) {
        if (index < winStart || index >= winStart + window.size()) {
            winStart = Math.max(0, Math.min(index - WINDOW / 2, shown.size() - WINDOW));
            window.setAll(shown.subList(winStart, Math.min(shown.size(), winStart + WINDOW)));
        }
        return index - winStart;
    }

    /** After a user scroll: follow at the very end, slide the window at its edges, otherwise stay put. */
    private void followUserScroll() {
        VirtualFlow<?> flow = flow();
        if (flow == null || window.isEmpty()) {
            follow.set(true);
            return;
        }
        IndexedCell<?> firstCell = flow.getFirstVisibleCell();
        IndexedCell<?> lastCell = flow.getLastVisibleCell();
        int first = firstCell == null ? 0 : firstCell.getIndex();
        int last = lastCell == null ? window.size() - 1 : lastCell.getIndex();
        boolean windowAtEnd = winStart + window.size() >= shown.size();
        if (last >= window.size() - 1) {
            if (windowAtEnd) {
                follow.set(true);
                return;
            }
            // slide forward: newer lines join at the bottom, the oldest leave at the top
            int end = winStart + window.size();
            int add = Math.min(WINDOW_STEP, shown.size() - end);
            window.addAll(shown.subList(end, end + add));
            int excess = Math.max(0, window.size() - WINDOW);
            if (excess > 0) {
                window.remove(0, excess);
                winStart += excess;
            }
            list.scrollTo(Math.max(0, first - excess));
        } else if (first == 0 && winStart > 0) {
            // slide back: older lines join at the top, the newest leave at the bottom
            int add = Math.min(WINDOW_STEP, winStart);
            winStart -= add;
            window.addAll(0, shown.subList(winStart, winStart + add));
            int excess = window.size() - WINDOW;
            if (excess > 0) {
                window.remove(window.size() - excess, window.size());
            }
            list.scrollTo(add);
        }
        follow.set(false);
    }

    private void prepend(List<LogLine> older) {
        long firstId = all.isEmpty() ? Long.MAX_VALUE : all.get(0).id();
        List<LogLine> fresh = older.stream().filter(l -> l.id() < firstId).toList();
        all.addAll(0, fresh);
        LogLevel min = minLevel.get();
        List<LogLine> added = fresh.stream().filter(l -> l.level().atLeast(min)).toList();
        shown.addAll(0, added);
        winStart += added.size();
        follow.set(false);
        list.scrollTo(reveal(0));
        if (search.active()) {
            matchCount.set(matchCount.get() + countMatches(added));
        }
    }

    private void resumeAtBottom() {
        newLines.set(0);
        showTail();
    }

    private void refilter() {
        LogLevel min = minLevel.get();
        long anchor = window.isEmpty() ? -1 : window.get(0).id();
        shown.clear();
        if (min == LogLevel.DEBUG) {
            shown.addAll(all);
        } else {
            all.stream().filter(l -> l.level().atLeast(min)).forEach(shown::add);
        }
        window.clear();
        winStart = 0;
        recountMatches();
        if (follow.get() || anchor < 0) {
            resumeAtBottom();
        } else {
            list.scrollTo(reveal(Math.min(lowerBound(shown, anchor), Math.max(0, shown.size() - 1))));
        }
    }

    // ---------------------------------------------------------------- search

    private void applySearch() {
        search = LogSearch.of(searchField.getText(), regex.get());
        searchField.pseudoClassStateChanged(NO_MATCH, search.error() != null);
        searchField.setTooltip(search.error() == null ? null : new Tooltip("Invalid regular expression: " + search.error()));
        currentMatchId = -1;
        recountMatches();
        list.refresh();
    }

    /** Counts matches over a snapshot off the FX thread; lines added meanwhile are counted as they come. */
    private void recountMatches() {
        int generation = ++searchGeneration;
        if (!search.active()) {
            matchCount.set(0);
            updateMatchLabel();
            return;
        }
        LogSearch s = search;
        List<LogLine> snapshot = new ArrayList<>(shown);
        matchLabel.setText("…");
        Tasks.create(() -> countMatches(s, snapshot))
                .onSuccess(count -> {
                    if (generation == searchGeneration) {
                        matchCount.set(count);
                        updateMatchLabel();
                    }
                })
                .start();
    }

    private int countMatches(List<LogLine> lines) {
        return countMatches(search, lines);
    }

    private static int countMatches(LogSearch s, List<LogLine> lines) {
        int c = 0;
        for (LogLine l : lines) {
            if (s.matches(l)) {
                c++;
            }
        }
        return c;
    }

    private void jumpToMatch(int direction) {
        if (!search.active() || shown.isEmpty()) {
            return;
        }
        int size = shown.size();
        int from;
        if (currentMatchId < 0) {
            from = direction > 0 ? -1 : size;
        } else {
            from = lowerBound(shown, currentMatchId);
            if ((from >= size || shown.get(from).id() != currentMatchId) && direction > 0) {
                // the current match was trimmed or filtered away: continue from where it would have been
                from--;
            }
        }
        for (int step = 1; step <= size; step++) {
            int i = Math.floorMod(from + direction * step, size);
            if (search.matches(shown.get(i))) {
                currentMatchId = shown.get(i).id();
                follow.set(false);
                int w = reveal(i);
                list.getSelectionModel().clearAndSelect(w);
                list.scrollTo(Math.max(0, w - 3));
                list.refresh();
                updateMatchLabel();
                return;
            }
        }
        updateMatchLabel();
    }

    private void updateMatchLabel() {
        if (!search.active()) {
            matchLabel.setText(search.error() != null ? "invalid" : "");
            return;
        }
        int total = matchCount.get();
        // the ordinal needs a scan: only for modest logs, a count is enough on huge ones
        if (currentMatchId >= 0 && total > 0 && shown.size() <= 50_000) {
            int idx = lowerBound(shown, currentMatchId);
            int ordinal = 0;
            for (int i = 0; i <= idx && i < shown.size(); i++) {
                if (search.matches(shown.get(i))) {
                    ordinal++;
                }
            }
            matchLabel.setText(ordinal + " / " + total);
            return;
        }
        matchLabel.setText(total == 0 ? "no match" : dev.appstrate.desktop.ui.Plural.of(total, "match"));
    }

    private void onKey(KeyEvent e) {
        if (new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN).match(e)) {
            searchField.requestFocus();
            searchField.selectAll();
            e.consume();
        } else if (new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN).match(e) && list.isFocused()) {
            copySelection();
            e.consume();
        } else if (e.getCode() == KeyCode.F3) {
            jumpToMatch(e.isShiftDown() ? -1 : +1);
            e.consume();
        } else if (e.getCode() == KeyCode.ENTER && e.isShiftDown() && searchField.isFocused()) {
            previousMatch();
            e.consume();
        } else if (e.getCode() == KeyCode.ESCAPE && searchField.isFocused()) {
            search("");
            list.requestFocus();
            e.consume();
        }
    }

    // ---------------------------------------------------------------- helpers

    private void updateStatus() {
        String state = feed.status();
        long dropped = feed.dropped();
        String text = String.format("%,d %s shown · %,d kept", shown.size(), shown.size() == 1 ? "line" : "lines", all.size())
                + (paused.get() ? " · paused" : "")
                + (dropped > 0 ? String.format(" · %,d dropped (view behind)", dropped) : "")
                + (state.isEmpty() ? "" : " · " + state);
        if (!text.equals(statusLabel.getText())) {
            statusLabel.setText(text);
        }
        String empty = all.isEmpty() ? "No log lines yet"
                : "No line at level " + minLevel.get().name().toLowerCase(java.util.Locale.ROOT) + " or above ("
                        + dev.appstrate.desktop.ui.Plural.of(all.size(), "line") + " kept at lower levels)";
        if (!empty.equals(emptyLabel.getText())) {
            emptyLabel.setText(empty);
        }
    }

    private VirtualFlow<?> flow() {
        return list.lookup(".virtual-flow") instanceof VirtualFlow<?> f ? f : null;
    }

    /** Index of the first line with id >= {@code id} (lines are kept in id order). */
    static int lowerBound(List<LogLine> lines, long id) {
        int lo = 0;
        int hi = lines.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lines.get(mid).id() < id) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** One cheap cell: plain text, or a few labels with the matches highlighted. */
    private final class LogCell extends ListCell<LogLine> {
        @Override
        protected void updateItem(LogLine line, boolean empty) {
            super.updateItem(line, empty);
            for (int i = 0; i < LEVELS.length; i++) {
                pseudoClassStateChanged(LEVELS[i], !empty && line != null && line.level().ordinal() == i);
            }
            setWrapText(wrap.get());
            setPrefWidth(wrap.get() ? 0 : USE_COMPUTED_SIZE);
            if (empty || line == null) {
                setText(null);
                setGraphic(null);
                pseudoClassStateChanged(MATCH, false);
                pseudoClassStateChanged(CURRENT, false);
                return;
            }
            String text = line.format(timestamps.get());
            boolean match = search.active() && search.matches(line);
            pseudoClassStateChanged(MATCH, match);
            pseudoClassStateChanged(CURRENT, match && line.id() == currentMatchId);
            if (!match || wrap.get()) {
                setGraphic(null);
                setText(text);
                return;
            }
            HBox parts = new HBox();
            int pos = 0;
            for (int[] r : search.ranges(text)) {
                if (r[0] > pos) {
                    parts.getChildren().add(new Label(text.substring(pos, r[0])));
                }
                Label hit = new Label(text.substring(r[0], r[1]));
                hit.getStyleClass().add("hit");
                parts.getChildren().add(hit);
                pos = r[1];
            }
            if (pos < text.length()) {
                parts.getChildren().add(new Label(text.substring(pos)));
            }
            setText(null);
            setGraphic(parts);
        }
    }
}
