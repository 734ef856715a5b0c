package dev.appstrate.server.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.exception.NotModifiedException;

/** Removal idioms shared by the sweep, the cleanup API and the run adapter: "not found" counts as done. */
public final class DockerRemover {
    private final DockerEngine engine;

    public DockerRemover(DockerEngine engine) {
        this.engine = engine;
    }

    /** Force-removes a container with its anonymous volumes. */
    public void removeContainer(String idOrName) {
        try {
            engine.api().removeContainerCmd(idOrName).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // already removed: that is what we wanted
        }
    }

    /** Stops a container, letting it exit within {@code graceSeconds} before the engine kills it. */
    public void stopContainer(String idOrName, int graceSeconds) {
        try {
            engine.api().stopContainerCmd(idOrName).withTimeout(graceSeconds).exec();
        } catch (NotFoundException | NotModifiedException done) {
            // gone or already stopped
        }
    }

    /**
     * Removes a network. The engine releases a force-removed container's endpoint a moment after the
     * container is gone, so "active endpoints" is retried briefly, disconnecting leftovers of managed
     * or vanished containers; an unmanaged container still attached keeps the network (the error says so).
     */
    public void removeNetwork(String idOrName) {
        for (int attempt = 0; ; attempt++) {
            try {
                engine.api().removeNetworkCmd(idOrName).exec();
                return;
            } catch (NotFoundException gone) {
                return;
            } catch (DockerException e) {
                if (attempt >= 20 || !String.valueOf(e.getMessage()).contains("active endpoints")) {
                    throw e;
                }
                if (attempt == 0) {
                    disconnectLeftovers(idOrName);
                }
                sleep(100);
            }
        }
    }

    private void disconnectLeftovers(String network) {
        Network n;
        try {
            n = engine.api().inspectNetworkCmd().withNetworkId(network).exec();
        } catch (NotFoundException gone) {
            return;
        }
        if (n.getContainers() == null) {
            return;
        }
        for (var e : n.getContainers().entrySet()) {
            String containerId = e.getKey();
            Boolean managed = managed(containerId);
            if (managed == null || managed) {
                // a vanished container's stale endpoint is only addressable by its endpoint name
                String target = managed == null && e.getValue().getName() != null ? e.getValue().getName() : containerId;
                try {
                    engine.api().disconnectFromNetworkCmd().withNetworkId(network).withContainerId(target)
                            .withForce(true).exec();
                } catch (RuntimeException ex) {
                    // the retry loop reports what remains
                }
            }
        }
    }

    /** True when the container is Appstrate's, false when it is someone else's, null when it is gone. */
    private Boolean managed(String containerId) {
        try {
            var labels = engine.api().inspectContainerCmd(containerId).exec().getConfig().getLabels();
            return labels != null && "true".equals(labels.get(DockerLabels.MANAGED));
        } catch (NotFoundException gone) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public void removeVolume(String name) {
        try {
            engine.api().removeVolumeCmd(name).exec();
        } catch (NotFoundException gone) {
            // already removed
        }
    }

    /** Removes one inventory entry by kind. */
    public void remove(ManagedResource r) {
        switch (r.kind()) {
            case CONTAINER -> removeContainer(r.id());
            case NETWORK -> removeNetwork(r.id());
            case VOLUME -> removeVolume(r.id());
            default -> throw new IllegalArgumentException(r.kind().toString());
        }
    }
}
