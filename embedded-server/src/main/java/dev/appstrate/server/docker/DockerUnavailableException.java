package dev.appstrate.server.docker;

/** Docker is needed but does not answer; the message says why and what to do. */
public final class DockerUnavailableException extends RuntimeException {
    private final transient DockerStatus status;

    public DockerUnavailableException(DockerStatus status) {
        super("Docker is unavailable: " + status.explanation());
        this.status = status;
    }

    public DockerStatus status() {
        return status;
    }
}
