package dev.appstrate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Java source of the reactor (main and test, all modules) is at most 400 lines or says on its first line why not. */
class SourceFileSizeTest {
    static final int MAX_LINES = 400;
    static final String JUSTIFICATION = "// Over 400 lines on purpose: ";

    @Test
    void everyLongFileSaysWhyOnItsFirstLine() throws IOException {
        Path reactor = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isDirectory(reactor.resolve("embedded-server")), "run from a module of the reactor: " + reactor);
        List<String> unjustified;
        try (Stream<Path> files = Files.walk(reactor)) {
            unjustified = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> reactor.relativize(p).toString().replace('\\', '/').matches("[^/]+/src/.*"))
                    .filter(SourceFileSizeTest::longAndUnjustified)
                    .map(p -> reactor.relativize(p).toString())
                    .sorted().toList();
        }
        assertEquals(List.of(), unjustified, "over " + MAX_LINES + " lines: split by responsibility, or start with '"
                + JUSTIFICATION + "<one line why>'");
    }

    private static boolean longAndUnjustified(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.size() > MAX_LINES && !lines.get(0).startsWith(JUSTIFICATION);
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }
}
