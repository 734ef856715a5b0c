package dev.appstrate.desktop.ui.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The log window model without JavaFX: a plain list stands for the ListView's items, a screen of 30 rows for its flow. */
class LogWindowModelTest {
    private final List<LogLine> window = new ArrayList<>();
    private final Screen screen = new Screen();
    private final LogWindowModel model = new LogWindowModel(50_000, window, screen);

    /** A list 30 rows high: scrolling to a row puts it at the top, as ListView.scrollTo does. */
    private final class Screen implements LogViewport {
        int top;

        @Override
        public boolean laidOut() {
            return true;
        }

        @Override
        public int firstVisible() {
            return window.isEmpty() ? -1 : Math.min(top, window.size() - 1);
        }

        @Override
        public int lastVisible() {
            return window.isEmpty() ? -1 : Math.min(top + 29, window.size() - 1);
        }

        @Override
        public void scrollTo(int windowIndex) {
            top = Math.max(0, Math.min(windowIndex, window.size() - 30));
        }
    }

    private static List<LogLine> lines(long fromId, int count, String word) {
        List<LogLine> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = fromId + i;
            out.add(new LogLine(id, 1_700_000_000_000L + id, LogLevel.values()[(int) (id % 4)], "log", word + " line " + id));
        }
        return out;
    }

    private long lastOnScreen() {
        return window.get(screen.lastVisible()).id();
    }

    @Test
    void followingKeepsTheNewestLineOnScreenWhileTheListHoldsOnlyAWindow() {
        for (int k = 0; k < 10; k++) {
            model.receive(lines(1 + k * 1_000L, 1_000, "stream"));
        }
        assertEquals(10_000, model.shown().size());
        assertEquals(LogWindowModel.WINDOW, window.size());
        assertEquals(10_000, lastOnScreen());
        assertTrue(model.atBottom());
        assertEquals(0, model.newLines());
    }

    @Test
    void memoryIsCappedAtTheCapacityDroppingTheOldestLines() {
        LogWindowModel small = new LogWindowModel(1_000, window, screen);
        small.receive(lines(1, 2_500, "a"));
        small.receive(lines(2_501, 500, "b"));
        assertEquals(1_000, small.kept().size());
        assertEquals(2_001, small.kept().get(0).id());
        assertEquals(3_000, lastOnScreen());
        assertFalse(small.olderExhausted());
    }

    @Test
    void scrolledUpTheUserKeepsTheirPlaceAndNewLinesAreCountedUntilTheyReturn() {
        model.receive(lines(1, 2_000, "first"));
        model.setFollow(false); // the wheel turned up
        screen.scrollTo(100);
        model.userScrolled();
        long firstOnScreen = window.get(screen.firstVisible()).id();

        model.receive(lines(2_001, 37, "more"));
        assertFalse(model.follow());
        assertEquals(37, model.newLines());
        assertEquals(firstOnScreen, window.get(screen.firstVisible()).id());
        assertFalse(model.atBottom());

        model.jumpToNewest();
        assertTrue(model.follow());
        assertEquals(0, model.newLines());
        assertEquals(2_037, lastOnScreen());

        // scrolling back down to the very end turns follow on by itself
        model.setFollow(false);
        screen.scrollTo(window.size() - 1);
        model.userScrolled();
        assertTrue(model.follow());
    }

    @Test
    void scrollingPastTheWindowsEdgesSlidesItThroughTheWholeLog() {
        model.receive(lines(1, 10_000, "x"));
        assertEquals(6_000, model.winStart());
        model.setFollow(false);
        screen.scrollTo(0);
        model.userScrolled();
        assertEquals(5_000, model.winStart(), "older lines join at the top");
        assertEquals(LogWindowModel.WINDOW, window.size());
        assertEquals(5_001, window.get(0).id());

        screen.scrollTo(window.size() - 1);
        model.userScrolled();
        assertEquals(6_000, model.winStart(), "newer lines join at the bottom");
        assertFalse(model.follow(), "the window had not reached the end yet");
        screen.scrollTo(window.size() - 1);
        model.userScrolled();
        assertTrue(model.follow());
    }

    @Test
    void pauseHoldsLinesAndResumeShowsThemInOrder() {
        model.receive(lines(1, 10, "before"));
        model.setPaused(true);
        model.receive(lines(11, 25, "during"));
        assertEquals(10, model.shown().size());
        assertEquals(25, model.newLines());
        model.setPaused(false);
        assertEquals(35, model.shown().size());
        assertEquals(35, lastOnScreen());
        assertEquals(0, model.newLines());
    }

    @Test
    void theLevelFilterShowsOnlyLinesAtOrAboveItIncludingLaterOnes() {
        model.receive(lines(1, 400, "mixed"));
        model.setMinLevel(LogLevel.WARN);
        assertEquals(200, model.shown().size());
        assertTrue(model.shown().stream().allMatch(l -> l.level().atLeast(LogLevel.WARN)));
        model.receive(lines(401, 4, "later"));
        assertEquals(202, model.shown().size());
        model.setMinLevel(LogLevel.DEBUG);
        assertEquals(404, model.shown().size());
        assertEquals(404, lastOnScreen());
    }

    @Test
    void searchCountsMatchesAndMovesBetweenThemWrappingAround() {
        model.receive(lines(1, 3_000, "hay"));
        model.receive(List.of(new LogLine(5_000, 0, LogLevel.INFO, "log", "the Needle is here")));
        model.receive(lines(5_001, 9_000, "hay"));
        model.receive(List.of(new LogLine(20_000, 0, LogLevel.ERROR, "log", "second needle")));
        model.setSearch(LogSearch.of("needle", false));
        LogMatches.Recount recount = model.matches().recount(model.shown());
        assertTrue(recount.apply(recount.count()));
        assertEquals(2, model.matches().count());

        int row = model.jumpToMatch(+1);
        assertEquals(5_000, window.get(row).id(), "the window is re-centred on a match far from the tail");
        assertFalse(model.follow(), "jumping to a match stops following");
        assertEquals("1 / 2", model.matchLabel());
        assertEquals(20_000, window.get(model.jumpToMatch(+1)).id());
        assertEquals(5_000, window.get(model.jumpToMatch(+1)).id());
        assertEquals(20_000, window.get(model.jumpToMatch(-1)).id());

        // lines arriving are counted as they come; a stale recount is ignored
        LogMatches.Recount stale = model.matches().recount(model.shown());
        model.receive(List.of(new LogLine(20_001, 0, LogLevel.INFO, "log", "third needle")));
        assertEquals(3, model.matches().count());
        model.setSearch(LogSearch.of("hay line 1$", true));
        assertFalse(stale.apply(99));
        assertEquals("no match", model.matchLabel());
        model.setSearch(LogSearch.of("(unclosed", true));
        assertEquals("invalid", model.matchLabel());
        assertEquals(-1, model.jumpToMatch(+1));
    }

    @Test
    void olderLinesArePrependedOnlyBelowTheOldestKeptOne() {
        model.receive(lines(1_001, 100, "live"));
        model.prepend(lines(1, 1_050, "old"));
        assertEquals(1_100, model.kept().size());
        assertEquals(1, model.shown().get(0).id());
        assertEquals(1, window.get(screen.firstVisible()).id());
        assertFalse(model.follow());
        model.clear();
        assertTrue(window.isEmpty());
        assertEquals(Long.MAX_VALUE, model.oldestId());
    }
}
