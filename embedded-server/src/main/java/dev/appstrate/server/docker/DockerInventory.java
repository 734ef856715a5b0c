package dev.appstrate.server.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Lists what Appstrate owns on the engine: containers labelled {@code appstrate.managed=true} (never
 * image-pin holders), {@code appstrate-exec-*} networks and {@code appstrate-ws-*} volumes; never the
 * shared {@code appstrate-egress} network.
 */
public final class DockerInventory {
    /** Everything managed, each list sorted by name. */
    public record Snapshot(List<ManagedResource> containers, List<ManagedResource> networks,
                           List<ManagedResource> volumes) {
        public List<ManagedResource> all() {
            List<ManagedResource> out = new ArrayList<>(containers);
            out.addAll(networks);
            out.addAll(volumes);
            return out;
        }

        public List<ManagedResource> orphans() {
            return all().stream().filter(ManagedResource::orphaned).toList();
        }
    }

    private final DockerEngine engine;
    private final ActiveRuns activeRuns;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DockerInventory.class);
    private final String poolSession;

    /**
     * @param activeRuns  asked at each listing which runs are still active
     * @param poolSession the label value this server's pooled sidecars carry; they are never orphans
     */
    public DockerInventory(DockerEngine engine, ActiveRuns activeRuns, String poolSession) {
        this.engine = engine;
        this.activeRuns = activeRuns;
        this.poolSession = poolSession;
    }

    public Snapshot snapshot() {
        DockerClient docker = engine.require();
        ActiveRuns active = activeRuns;
        return new Snapshot(containers(docker, active), networks(docker, active), volumes(docker, active));
    }

    private List<ManagedResource> containers(DockerClient docker, ActiveRuns active) {
        List<Container> list = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerLabels.MANAGED, "true")).exec();
        List<ManagedResource> out = new ArrayList<>();
        for (Container c : list) {
            Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
            if (DockerLabels.IMAGE_PIN.equals(labels.get(DockerLabels.ROLE))) {
                continue;
            }
            String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
            String runId = labels.get(DockerLabels.RUN);
            if (runId == null) {
                runId = DockerLabels.runIdFromContainerName(name);
            }
            boolean pooled = runId == null && poolSession != null && poolSession.equals(labels.get(DockerLabels.POOL));
            boolean isActive = pooled || (runId != null && active.isActive(runId));
            Instant created = c.getCreated() == null ? null : Instant.ofEpochSecond(c.getCreated());
            out.add(new ManagedResource(ManagedResource.Kind.CONTAINER, c.getId(), name, runId,
                    pooled && "running".equals(c.getState()) ? "pooled" : c.getState(), created, isActive, c.getImage()));
        }
        out.sort(Comparator.comparing(ManagedResource::name));
        return out;
    }

    private List<ManagedResource> networks(DockerClient docker, ActiveRuns active) {
        List<Network> list = docker.listNetworksCmd().withNameFilter(DockerLabels.NETWORK_PREFIX).exec();
        List<ManagedResource> out = new ArrayList<>();
        for (Network n : list) {
            String name = n.getName();
            if (name == null || !name.startsWith(DockerLabels.NETWORK_PREFIX)) {
                continue; // the name filter matches substrings
            }
            String runId = name.substring(DockerLabels.NETWORK_PREFIX.length());
            Instant created = n.getCreated() == null ? null : n.getCreated().toInstant();
            out.add(new ManagedResource(ManagedResource.Kind.NETWORK, n.getId(), name, runId,
                    Boolean.TRUE.equals(n.getInternal()) ? "internal" : "bridge", created, active.isActive(runId), null));
        }
        out.sort(Comparator.comparing(ManagedResource::name));
        return out;
    }

    private List<ManagedResource> volumes(DockerClient docker, ActiveRuns active) {
        List<InspectVolumeResponse> list = docker.listVolumesCmd().exec().getVolumes();
        List<ManagedResource> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        Map<String, Instant> createdAt = volumeCreationTimes(docker);
        for (InspectVolumeResponse v : list) {
            String name = v.getName();
            if (name == null || !name.startsWith(DockerLabels.VOLUME_PREFIX)) {
                continue;
            }
            String runId = name.substring(DockerLabels.VOLUME_PREFIX.length());
            out.add(new ManagedResource(ManagedResource.Kind.VOLUME, name, name, runId, "present",
                    createdAt.getOrDefault(name, createdLabel(v.getLabels())), active.isActive(runId), null));
        }
        out.sort(Comparator.comparing(ManagedResource::name));
        return out;
    }

    /** The engine's CreatedAt per volume name: docker-java's volume model drops the field, so it is read from the raw list. */
    static Map<String, Instant> volumeCreationTimes(DockerClient docker) {
        Map<String, Instant> out = new java.util.HashMap<>();
        if (!(docker instanceof com.github.dockerjava.core.DockerClientImpl impl)) {
            return out;
        }
        var request = com.github.dockerjava.transport.DockerHttpClient.Request.builder()
                .method(com.github.dockerjava.transport.DockerHttpClient.Request.Method.GET).path("/volumes").build();
        try (var response = impl.getHttpClient().execute(request)) {
            if (response.getStatusCode() != 200) {
                return out;
            }
            for (var v : dev.appstrate.server.json.Json.MAPPER.readTree(response.getBody()).path("Volumes")) {
                String at = v.path("CreatedAt").asText("");
                if (!at.isEmpty()) {
                    try {
                        out.put(v.path("Name").asText(), java.time.OffsetDateTime.parse(at).toInstant());
                    } catch (DateTimeParseException e) {
                        // an engine with another format: the label may still say
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("Volume creation times unavailable error={}", e.toString());
        }
        return out;
    }

    /** The creation time we stamp on volumes we create. */
    private static Instant createdLabel(Map<String, String> labels) {
        String v = labels == null ? null : labels.get(DockerLabels.CREATED);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
