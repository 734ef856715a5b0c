package dev.appstrate.server.docker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The real Docker engine the tests use: DOCKER_HOST, else the private engine that .ci/docker-up.sh
 * starts, else the usual sockets. Tests that need it are skipped, with the reason, when none answers.
 */
public final class DockerTestEngine {
    public static final String CI_SOCKET = "/tmp/appstrate-docker/docker.sock";
    public static final String TEST_IMAGE = "appstrate/sidecar:local";
    private static DockerEngine engine;

    private DockerTestEngine() {
    }

    /** The DOCKER_HOST value to hand a server under test. */
    public static String host() {
        String env = System.getenv("DOCKER_HOST");
        if (env != null && !env.isBlank()) {
            return env;
        }
        if (Files.exists(Path.of(CI_SOCKET))) {
            return "unix://" + CI_SOCKET;
        }
        return DockerEndpoint.discover(null, System::getenv).uri().toString();
    }

    /** Skips the calling test unless an engine answers and the busybox test image exists. */
    public static synchronized DockerEngine require() {
        if (engine == null) {
            engine = new DockerEngine(DockerEndpoint.discover(host(), System::getenv), Clock.systemUTC());
        }
        DockerStatus s = engine.refresh();
        assumeTrue(s.available(), () -> "No Docker engine reachable (" + s.explanation()
                + "). Run .ci/docker-up.sh and export the DOCKER_HOST it prints.");
        boolean image = !engine.api().listImagesCmd().withImageNameFilter(TEST_IMAGE).exec().isEmpty();
        assumeTrue(image, () -> "Test image " + TEST_IMAGE + " missing: run .ci/docker-up.sh");
        return engine;
    }

    /** A plain container from the busybox image, created (and optionally started) with these labels. */
    public static String container(String name, Map<String, String> labels, boolean start) {
        DockerClient d = require().api();
        removeQuietly(name);
        String id = d.createContainerCmd(TEST_IMAGE).withName(name).withLabels(labels)
                .withEntrypoint("sleep", "300").exec().getId();
        if (start) {
            d.startContainerCmd(id).exec();
        }
        return id;
    }

    public static boolean containerExists(String idOrName) {
        try {
            require().api().inspectContainerCmd(idOrName).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        }
    }

    public static boolean networkExists(String name) {
        return require().api().listNetworksCmd().exec().stream().anyMatch(n -> name.equals(n.getName()));
    }

    public static boolean volumeExists(String name) {
        var vols = require().api().listVolumesCmd().exec().getVolumes();
        return vols != null && vols.stream().anyMatch(v -> name.equals(v.getName()));
    }

    public static void removeQuietly(String container) {
        try {
            require().api().removeContainerCmd(container).withForce(true).exec();
        } catch (RuntimeException ignored) {
            // absent
        }
    }
}
