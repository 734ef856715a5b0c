package dev.appstrate.desktop.ui.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@dev.appstrate.desktop.ui.ScreenTest
class LiveLogViewTest {
    private LiveLogView view;
    private InMemoryLogSource source;
    private DrainProbe probe;
    private final AtomicLong longestPulseGapNanos = new AtomicLong();

    @Start
    void start(Stage stage) {
        view = new LiveLogView();
        probe = DrainProbe.on(view);
        source = new InMemoryLogSource(history(1, 500));
        Scene scene = new Scene(view, 1100, 600);
        dev.appstrate.desktop.ui.Theme.LIGHT.applyTo(scene);
        long[] last = {0};
        scene.addPostLayoutPulseListener(() -> {
            long now = System.nanoTime();
            if (last[0] != 0) {
                longestPulseGapNanos.accumulateAndGet(now - last[0], Math::max);
            }
            last[0] = now;
        });
        stage.setScene(scene);
        stage.show();
        view.setSource(source);
    }

    static List<LogLine> history(long fromId, int count) {
        List<LogLine> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new LogLine(fromId + i, 1_700_000_000_000L + i, LogLevel.INFO, "log", "history line " + (fromId + i)));
        }
        return out;
    }

    private void pushLines(long fromId, int count, String word) {
        for (int i = 0; i < count; i++) {
            long id = fromId + i;
            LogLevel level = LogLevel.values()[(int) (id % 4)];
            source.push(new LogLine(id, 1_700_000_000_000L + id, level, "log", word + " line " + id));
        }
    }

    private void waitUntil(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.println("[state] " + WaitForAsyncUtils.asyncFx(() -> view.debugState()).get());
            throw e;
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theToolbarStaysOneRowWhileItsSearchFieldCanShrinkThenMovesItsViewButtonsWholeToASecondRow(FxRobot robot) throws Exception {
        // a window of its own: resizing the shared primary stage would change the size every later test class gets
        LiveLogView own = WaitForAsyncUtils.asyncFx(() -> new LiveLogView()).get();
        Stage window = WaitForAsyncUtils.asyncFx(() -> {
            Stage s = new Stage();
            Scene scene = new Scene(own, 1100, 300);
            dev.appstrate.desktop.ui.Theme.LIGHT.applyTo(scene);
            s.setScene(scene);
            s.show();
            return s;
        }).get();
        javafx.scene.Node follow = own.lookup("#log-follow");
        javafx.scene.Node time = own.lookup("#log-timestamps");
        javafx.scene.control.Button older = (javafx.scene.control.Button) own.lookup("#log-older");
        try {
            // narrower than everything at its preferred width (the run page at 1280 under a real window's fonts)
            double target = WaitForAsyncUtils.asyncFx(() -> own.prefWidth(-1) - 60).get();
            dev.appstrate.desktop.ui.UiTesting.resize(window, true, own::getWidth, target);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(top(follow), top(older), 1, "Load older stays on Follow's row");
            assertEquals(older.prefWidth(-1), older.getWidth(), 0.5, "Load older is whole");
            assertTrue(own.searchField().getWidth() < own.searchField().prefWidth(-1), "the search field gave up the width");

            robot.interact(() -> window.setWidth(560));
            waitUntil(() -> own.getWidth() < 600);
            WaitForAsyncUtils.waitForFxEvents();
            assertTrue(top(older) > bottom(follow), "too narrow for one row: a second row");
            assertEquals(top(time), top(older), 1, "the view buttons move together, not Load older alone");
            assertTrue(left(time) < left(follow) + 1, "the second row starts at the left edge");
        } finally {
            robot.interact(window::close);
        }
    }

    private static double top(javafx.scene.Node n) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> n.localToScene(n.getLayoutBounds()).getMinY()).get();
    }

    private static double bottom(javafx.scene.Node n) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> n.localToScene(n.getLayoutBounds()).getMaxY()).get();
    }

    private static double left(javafx.scene.Node n) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> n.localToScene(n.getLayoutBounds()).getMinX()).get();
    }

    @Test
    void theLevelBoxShowsItsValueAsPlainTextNotAsASelectedLogLine(FxRobot robot) throws Exception {
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<LogLevel> level = robot.lookup("#log-level").queryAs(javafx.scene.control.ComboBox.class);
        robot.interact(() -> level.getSelectionModel().select(LogLevel.INFO));
        WaitForAsyncUtils.waitForFxEvents();
        // the box's own cell (the one showing the value), not its hidden drop-down's
        javafx.scene.control.ListCell<?> shown = robot.lookup("#log-level .list-cell").queryAll().stream()
                .map(n -> (javafx.scene.control.ListCell<?>) n).filter(c -> "INFO".equals(c.getText())).findFirst().orElseThrow();
        String look = WaitForAsyncUtils.asyncFx(() -> shown.getText() + " " + shown.getTextFill() + " selected="
                + shown.getPseudoClassStates().stream().anyMatch(p -> p.getPseudoClassName().equals("selected"))).get();
        javafx.scene.paint.Color text = (javafx.scene.paint.Color) WaitForAsyncUtils.asyncFx(shown::getTextFill).get();
        // the log's selected line is white on the selection colour; the level box's "INFO" is dark on the box
        assertTrue(text.getBrightness() < 0.5, "level box cell " + look);
    }

    @Test
    void followingShowsTheLastLineWholeNotALineShort(FxRobot robot) throws Exception {
        pushLines(501, 300, "final");
        // the list's own rows: the last one ("final line 800") is inside the visible area, its bottom not cut off
        waitUntil(() -> WaitForAsyncUtils.asyncFx(this::lastLineShownWhole).get());
        assertTrue(view.followProperty().get());
        assertEquals(800, view.shownLines().get(view.shownLines().size() - 1).id());
    }

    private boolean lastLineShownWhole() {
        ListView<LogLine> list = view.listView();
        javafx.scene.Node clip = list.lookup(".clipped-container");
        javafx.geometry.Bounds area = clip.localToScene(clip.getLayoutBounds());
        for (javafx.scene.Node n : list.lookupAll(".list-cell")) {
            if (n instanceof javafx.scene.control.ListCell<?> c && c.isVisible() && c.getItem() instanceof LogLine l && l.id() == 800) {
                javafx.geometry.Bounds b = c.localToScene(c.getLayoutBounds());
                if (b.getMinY() >= area.getMinY() - 0.5 && b.getMaxY() <= area.getMaxY() + 0.5) {
                    return true;
                }
                System.out.println("[last line] " + b + " viewport " + area);
            }
        }
        return false;
    }

    @Test
    void hundredThousandStreamedLinesAreAllShownAndFollowKeepsTheLastInView(FxRobot robot) throws Exception {
        Thread producer = new Thread(() -> pushLines(1000, 100_000, "stream"));
        long t0 = System.nanoTime();
        producer.start();
        waitUntil(() -> probe.shownTotal() >= 100_000);
        long elapsed = System.nanoTime() - t0;
        producer.join();
        waitUntil(view::atBottom);
        assertEquals(100_000, view.shownLines().size());
        assertEquals(0, view.droppedLines());
        assertTrue(view.followProperty().get());
        assertEquals(100_999, view.shownLines().get(view.shownLines().size() - 1).id());
        System.out.printf("[bench] LiveLogView 100k lines: %.0f lines/s shown, longest pulse gap %.1f ms%n",
                100_000 / (elapsed / 1e9), longestPulseGapNanos.get() / 1e6);
    }

    @Test
    void scrollingUpPausesFollowAndTheBadgeCountsNewLinesUntilTheUserReturns(FxRobot robot) throws Exception {
        pushLines(1000, 2000, "first");
        waitUntil(() -> probe.shownTotal() >= 2000 && view.atBottom());
        // a wheel turn that lands before the list's first layout can be undone by follow; like a user, turn again
        for (int i = 0; i < 10 && view.followProperty().get(); i++) {
            wheel(robot, +40 * 15);
            WaitForAsyncUtils.waitForFxEvents();
        }
        waitUntil(() -> !view.followProperty().get());
        assertFalse(view.atBottom());

        pushLines(3000, 37, "more");
        waitUntil(() -> view.newLinesProperty().get() == 37);
        assertTrue(robot.lookup("#log-new-lines").queryButton().isVisible());
        assertEquals("↓ 37 new lines", robot.lookup("#log-new-lines").queryButton().getText());
        assertFalse(view.atBottom(), "the user's place is kept while new lines arrive");

        robot.clickOn("#log-new-lines");
        waitUntil(() -> view.followProperty().get() && view.atBottom());
        assertEquals(0, view.newLinesProperty().get());
        assertFalse(robot.lookup("#log-new-lines").queryButton().isVisible());

        // scrolling back down to the end turns follow on by itself
        wheel(robot, +40 * 10);
        waitUntil(() -> !view.followProperty().get());
        for (int i = 0; i < 10 && !view.followProperty().get(); i++) {
            wheel(robot, -40 * 100);
            WaitForAsyncUtils.waitForFxEvents();
        }
        waitUntil(() -> view.followProperty().get());
    }

    /** A mouse-wheel turn over the log lines (positive = up), delivered as the toolkit would. */
    private void wheel(FxRobot robot, double deltaY) {
        robot.interact(() -> {
            javafx.scene.Node flow = view.listView().lookup(".virtual-flow");
            flow.fireEvent(new javafx.scene.input.ScrollEvent(javafx.scene.input.ScrollEvent.SCROLL, 100, 100, 100, 100,
                    false, false, false, false, false, false, 0, deltaY, 0, deltaY,
                    javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                    javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null));
        });
    }

    @Test
    void pauseHoldsNewLinesAndResumeShowsThem(FxRobot robot) throws Exception {
        pushLines(1000, 10, "before");
        waitUntil(() -> probe.shownTotal() == 10);
        robot.clickOn("#log-pause");
        // the click reaches the view through the X server in a real window: lines pushed before it lands are shown
        waitUntil(() -> view.pausedProperty().get());
        pushLines(2000, 25, "during");
        waitUntil(() -> view.newLinesProperty().get() == 25);
        assertEquals(10, view.shownLines().size(), "nothing is added while paused");
        assertTrue(robot.lookup("#log-new-lines").queryButton().isVisible());
        robot.clickOn("#log-pause");
        waitUntil(() -> view.shownLines().size() == 35);
        assertEquals(2024, view.shownLines().get(34).id());
    }

    @Test
    void searchHighlightsMatchesAndJumpsBetweenThem(FxRobot robot) throws Exception {
        pushLines(1000, 3000, "hay");
        source.push(new LogLine(5000, 0, LogLevel.INFO, "log", "the Needle is here"));
        pushLines(5001, 3000, "hay");
        source.push(new LogLine(9000, 0, LogLevel.ERROR, "log", "second needle"));
        pushLines(9001, 100, "hay");
        waitUntil(() -> probe.shownTotal() == 6102);

        robot.press(KeyCode.CONTROL).press(KeyCode.F).release(KeyCode.F).release(KeyCode.CONTROL);
        waitUntil(() -> view.searchField().isFocused());
        robot.write("needle");
        waitUntil(() -> view.matchCountProperty().get() == 2);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> view.currentMatchId() == 5000);
        assertFalse(view.followProperty().get(), "jumping to a match stops following");
        assertEquals(5000, view.listView().getSelectionModel().getSelectedItem().id());
        assertEquals("1 / 2", robot.lookup("#log-matches").queryLabeled().getText());
        // the match is on screen and highlighted
        assertTrue(robot.lookup(".hit").tryQuery().isPresent());

        robot.clickOn("#log-next");
        waitUntil(() -> view.currentMatchId() == 9000);
        robot.clickOn("#log-next");
        waitUntil(() -> view.currentMatchId() == 5000);
        robot.clickOn("#log-prev");
        waitUntil(() -> view.currentMatchId() == 9000);

        // regex toggle
        robot.interact(() -> view.search("se.ond ne+dle"));
        waitUntil(() -> view.matchCountProperty().get() == 0);
        robot.clickOn("#log-regex");
        waitUntil(() -> view.matchCountProperty().get() == 1);
        robot.interact(() -> view.search("hay line 10[0-9]{2}$"));
        waitUntil(() -> view.matchCountProperty().get() == 100);
        robot.interact(() -> view.search("(unclosed"));
        waitUntil(() -> "invalid".equals(robot.lookup("#log-matches").queryLabeled().getText()));
    }

    @Test
    void levelFilterShowsOnlyLinesAtOrAboveTheChosenLevel(FxRobot robot) throws Exception {
        pushLines(1000, 400, "mixed");
        waitUntil(() -> probe.shownTotal() == 400);
        robot.interact(() -> view.minLevelProperty().set(LogLevel.WARN));
        waitUntil(() -> view.shownLines().size() == 200);
        assertTrue(view.shownLines().stream().allMatch(l -> l.level().atLeast(LogLevel.WARN)));
        pushLines(1400, 4, "later");
        waitUntil(() -> view.shownLines().size() == 202);
        robot.interact(() -> view.minLevelProperty().set(LogLevel.DEBUG));
        waitUntil(() -> view.shownLines().size() == 404);
    }

    @Test
    void copyPutsTheSelectedLinesOnTheClipboardAndExportWritesAllKeptLines(FxRobot robot, @TempDir Path dir) throws Exception {
        pushLines(1000, 50, "copyme");
        waitUntil(() -> probe.shownTotal() == 50);
        robot.interact(() -> {
            view.timestampsProperty().set(false);
            view.listView().getSelectionModel().selectRange(48, 50);
            view.copySelection();
        });
        final String[] text = new String[1];
        robot.interact(() -> text[0] = Clipboard.getSystemClipboard().getString());
        assertEquals("DEBUG  copyme line 1048\nINFO   copyme line 1049\n", text[0]);

        Path out = dir.resolve("log.txt");
        robot.interact(() -> {
            try {
                view.exportKeptLines(out);
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals(50, Files.readAllLines(out).size());
    }

    @Test
    void memoryIsBoundedAndOlderHistoryIsPagedInOnDemand(FxRobot robot) throws Exception {
        LiveLogView small = WaitForAsyncUtils.asyncFx(() -> new LiveLogView(1000)).get();
        InMemoryLogSource src = new InMemoryLogSource(history(1, 5000));
        robot.interact(() -> {
            view.getScene().setRoot(small);
            small.setSource(src);
        });
        for (long id = 10_000; id < 13_000; id++) {
            src.push(new LogLine(id, 0, LogLevel.INFO, "log", "live " + id));
        }
        // the feed is as bounded as the view: lines the view could not keep anyway may be dropped on the way
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !small.shownLines().isEmpty()
                && small.shownLines().get(small.shownLines().size() - 1).id() == 12_999);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1000, small.keptLineCount());
        assertEquals(12_000, small.shownLines().get(0).id());
        robot.clickOn("#log-older");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> small.keptLineCount() == 6000);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, small.shownLines().get(0).id());
    }
}
