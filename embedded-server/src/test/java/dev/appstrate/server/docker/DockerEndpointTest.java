package dev.appstrate.server.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the server looks for Docker (the sockets are stand-in files: discovery only checks they exist). */
class DockerEndpointTest {
    @TempDir
    Path dir;

    @Test
    void dockerHostWins() {
        DockerEndpoint e = DockerEndpoint.discover("tcp://127.0.0.1:2375", k -> null);
        assertEquals("tcp://127.0.0.1:2375", e.uri().toString());
        assertEquals("DOCKER_HOST", e.source());
    }

    @Test
    void rootlessSocketIsFoundUnderXdgRuntimeDir() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of(DockerEndpoint.SYSTEM_SOCKET)),
                "a system Docker socket exists here and is rightly preferred");
        Files.createFile(dir.resolve("docker.sock"));
        DockerEndpoint e = DockerEndpoint.discover(null, Map.of("XDG_RUNTIME_DIR", dir.toString(), "HOME", "/nonexistent")::get);
        assertEquals("unix://" + dir.resolve("docker.sock"), e.uri().toString());
    }

    @Test
    void dockerDesktopSocketIsFoundUnderHome() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of(DockerEndpoint.SYSTEM_SOCKET)),
                "a system Docker socket exists here and is rightly preferred");
        Files.createDirectories(dir.resolve(".docker/run"));
        Files.createFile(dir.resolve(".docker/run/docker.sock"));
        DockerEndpoint e = DockerEndpoint.discover(null, Map.of("HOME", dir.toString())::get);
        assertEquals("unix://" + dir.resolve(".docker/run/docker.sock"), e.uri().toString());
    }

    @Test
    void withNoSocketTheStatusListsWhereItLooked() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of(DockerEndpoint.SYSTEM_SOCKET)),
                "a system Docker socket exists here");
        DockerEndpoint e = DockerEndpoint.discover(null, Map.of("XDG_RUNTIME_DIR", dir.toString(), "HOME", dir.toString())::get);
        DockerStatus s;
        try (DockerEngine engine = new DockerEngine(e, java.time.Clock.systemUTC())) {
            s = engine.refresh();
        }
        assertTrue(!s.available() && s.reason().contains(DockerEndpoint.SYSTEM_SOCKET)
                && s.reason().contains(dir.resolve("docker.sock").toString()), s.reason());
    }
}
