package dev.appstrate.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The desktop app talks to any server over HTTP only; just the launcher may start the embedded one in-process. */
class ArchitectureRulesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/appstrate/desktop");

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> s = Files.walk(SOURCES)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void onlyTheLauncherUsesServerClassesAndOnlyItsLauncherApi() throws IOException {
        List<String> offenders = javaFiles().stream().flatMap(p -> {
            try {
                return Files.readAllLines(p).stream().filter(l -> l.startsWith("import dev.appstrate.server."))
                        .filter(l -> !p.endsWith("launch/EmbeddedServer.java") || !(l.contains("server.AppstrateServer;")
                                || l.contains("server.BindFailedException;")
                                || l.contains("server.DataFolderInUseException;") || l.contains("server.config.")
                                || l.contains("server.logging.LogSetup;")))
                        .map(l -> SOURCES.relativize(p) + ": " + l);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).toList();
        assertEquals(List.of(), offenders, "server internals are reached over HTTP, not imported");
    }

    @Test
    void noSystemOutOutsideTheEntryPoints() throws IOException {
        List<String> offenders = javaFiles().stream()
                .filter(p -> !p.endsWith("Launcher.java") && !p.endsWith("HeadlessServer.java"))
                .filter(p -> {
                    try {
                        return Files.readString(p).contains("System.out") || Files.readString(p).contains("System.err");
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }).map(Path::toString).toList();
        assertEquals(List.of(), offenders);
    }
}
