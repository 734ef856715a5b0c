package dev.appstrate.server.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineAssemblerTest {
    private final List<String> lines = new ArrayList<>();
    private final LineAssembler assembler = new LineAssembler(lines::add, 16);

    private void feed(String s) {
        assembler.accept(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLineSpanningFramesIsOneLine() {
        feed("hel");
        feed("lo wo");
        assertEquals(List.of(), lines, "no line before its end");
        feed("rld\n");
        assertEquals(List.of("hello world"), lines);
    }

    @Test
    void aFrameWithManyLinesGivesEachLine() {
        feed("a\nb\nc\n");
        assertEquals(List.of("a", "b", "c"), lines);
    }

    @Test
    void crlfAndLoneCrEndLinesOnce() {
        feed("one\r\ntwo\r");
        feed("\nthree\rfour\n");
        assertEquals(List.of("one", "two", "three", "four"), lines);
    }

    @Test
    void aUtf8CharacterSplitAcrossFramesSurvives() {
        byte[] euro = "€ ok\n".getBytes(StandardCharsets.UTF_8); // € is 3 bytes
        assembler.accept(Arrays.copyOfRange(euro, 0, 1));
        assembler.accept(Arrays.copyOfRange(euro, 1, 2));
        assembler.accept(Arrays.copyOfRange(euro, 2, euro.length));
        assertEquals(List.of("€ ok"), lines);
    }

    @Test
    void ansiColoursAreStripped() {
        LineAssembler wide = new LineAssembler(lines::add);
        wide.accept("\u001B[31mred\u001B[0m plain\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("red plain"), lines);
    }

    @Test
    void theLastPartialLineIsFlushedAtTheEnd() {
        feed("done\nno newline");
        assembler.flush();
        assertEquals(List.of("done", "no newline"), lines);
        assembler.flush();
        assertEquals(2, lines.size(), "flushing twice emits nothing more");
    }

    @Test
    void overlongLinesAreCutWithoutSplittingACharacter() {
        feed("0123456789abcde€tail\n"); // the cut at 16 bytes falls inside €
        assertEquals(List.of("0123456789abcde", "€tail"), lines);
    }

    @Test
    void emptyLinesAreKeptForTheCallerToDecide() {
        feed("\n\nx\n");
        assertEquals(List.of("", "", "x"), lines);
    }
}
