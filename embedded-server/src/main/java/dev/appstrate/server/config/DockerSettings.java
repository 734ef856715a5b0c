package dev.appstrate.server.config;

/**
 * Docker-mode settings: {@code DOCKER_HOST} (null = look for the usual sockets), {@code PI_IMAGE} and
 * {@code SIDECAR_IMAGE} as in the original (defaults: this project's locally built images),
 * {@code PLATFORM_API_URL} (how containers reach this server; null = a relay on the Docker network's gateway).
 */
public record DockerSettings(String dockerHost, String piImage, String sidecarImage, String platformApiUrl) {
    public static final String LOCAL_RUNNER_IMAGE = "appstrate/runner:local";
    public static final String LOCAL_SIDECAR_IMAGE = "appstrate/sidecar:local";

    public static DockerSettings defaults() {
        return new DockerSettings(null, LOCAL_RUNNER_IMAGE, LOCAL_SIDECAR_IMAGE, null);
    }
}
