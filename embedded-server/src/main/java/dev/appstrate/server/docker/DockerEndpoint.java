package dev.appstrate.server.docker;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where the Docker engine is: {@code DOCKER_HOST} when set, otherwise the first of the usual sockets
 * that exists (system, rootless, Docker Desktop), as Testcontainers looks for them.
 *
 * @param uri     the engine address (unix://, tcp:// or npipe://)
 * @param source  how it was found, for messages ("DOCKER_HOST", "default socket")
 * @param tried   every socket looked at, for the "not found" message
 */
public record DockerEndpoint(URI uri, String source, List<String> tried) {
    public static final String SYSTEM_SOCKET = "/var/run/docker.sock";

    /** Resolves the endpoint; {@code env} is the process environment (XDG_RUNTIME_DIR, HOME). */
    public static DockerEndpoint discover(String dockerHost, Function<String, String> env) {
        if (dockerHost != null && !dockerHost.isBlank()) {
            return new DockerEndpoint(URI.create(dockerHost.trim()), "DOCKER_HOST", List.of(dockerHost.trim()));
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            String pipe = "npipe:////./pipe/docker_engine";
            return new DockerEndpoint(URI.create(pipe), "default named pipe", List.of(pipe));
        }
        List<String> candidates = new ArrayList<>();
        candidates.add(SYSTEM_SOCKET);
        String xdg = env.apply("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            candidates.add(xdg + "/docker.sock");
        }
        String home = env.apply("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        if (home != null) {
            candidates.add(home + "/.docker/run/docker.sock");
            candidates.add(home + "/.docker/desktop/docker.sock");
        }
        for (String c : candidates) {
            if (Files.exists(Path.of(c))) {
                return new DockerEndpoint(URI.create("unix://" + c), "socket " + c, List.copyOf(candidates));
            }
        }
        // none exists: keep the system socket so the status names it, and list what was tried
        return new DockerEndpoint(URI.create("unix://" + SYSTEM_SOCKET), "default socket", List.copyOf(candidates));
    }

    public boolean isUnixSocket() {
        return "unix".equals(uri.getScheme());
    }

    /** The socket file for unix endpoints, else null. */
    public Path socketPath() {
        return isUnixSocket() ? Path.of(uri.getPath()) : null;
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
