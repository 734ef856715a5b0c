package dev.appstrate.server.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The cleanup the desktop app asks for: a chosen set of managed resources, or every orphan. A dry run
 * answers exactly what would be removed; removing something of an active run needs {@code force}.
 */
public final class DockerCleanup {
    /** What was (or would be) removed, and what failed. */
    public record Result(boolean dryRun, List<ManagedResource> removed, List<Failure> failed) {
    }

    public record Failure(ManagedResource resource, String error) {
    }

    private final DockerInventory inventory;
    private final DockerRemover remover;
    private final Clock clock;

    public DockerCleanup(DockerInventory inventory, DockerRemover remover, Clock clock) {
        this.inventory = inventory;
        this.remover = remover;
        this.clock = clock;
    }

    /**
     * @param ids ids or names of containers, networks or volumes; null for every orphan
     * @throws ApiException 404 naming unknown ids, 409 naming active ones when not forced; nothing removed then
     */
    public Result run(boolean dryRun, List<String> ids, boolean force) {
        DockerInventory.Snapshot snap = inventory.snapshot();
        List<ManagedResource> targets = ids == null ? snap.orphans() : select(snap, ids);
        if (!force) {
            List<String> active = targets.stream().filter(r -> !r.orphaned()).map(ManagedResource::name).toList();
            if (!active.isEmpty()) {
                throw ApiException.conflict("docker_resource_active", "Refusing to remove resources in use (an active run's, "
                        + "or a pooled sidecar): " + String.join(", ", active) + ". Cancel the run first, or repeat with "
                        + "force=true to remove them anyway.");
            }
        }
        // Docker's order: containers before the networks they join and the volumes they mount
        List<ManagedResource> ordered = new ArrayList<>(targets);
        ordered.sort(Comparator.comparingInt((ManagedResource r) -> r.kind().ordinal()).thenComparing(ManagedResource::name));
        if (dryRun) {
            return new Result(true, ordered, List.of());
        }
        List<ManagedResource> removed = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        for (ManagedResource r : ordered) {
            try {
                remover.remove(r);
                removed.add(r);
            } catch (RuntimeException e) {
                failed.add(new Failure(r, DockerErrors.message(e)));
            }
        }
        return new Result(false, removed, failed);
    }

    private static List<ManagedResource> select(DockerInventory.Snapshot snap, List<String> ids) {
        Set<ManagedResource> out = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String id : ids) {
            if (id == null || id.isBlank()) {
                throw ApiException.validation("ids", "invalid_type", "ids must be non-empty strings");
            }
            ManagedResource match = null;
            for (ManagedResource r : snap.all()) {
                if (r.id().equals(id) || r.name().equals(id)
                        || (r.kind() != ManagedResource.Kind.VOLUME && id.length() >= 12 && r.id().startsWith(id))) {
                    match = r;
                    break;
                }
            }
            if (match == null) {
                unknown.add(id);
            } else {
                out.add(match);
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.notFound("docker_resource_not_found", "No managed container, network or volume with id "
                    + String.join(", ", unknown) + " (it may be gone already, or not be Appstrate's)");
        }
        return List.copyOf(out);
    }

    /** The wire form: removed (or to remove) grouped by kind, plus failures. */
    public ObjectNode toJson(Result r) {
        Instant now = clock.instant();
        ObjectNode body = Json.object();
        body.put("dryRun", r.dryRun());
        ArrayNode containers = body.putArray("containers");
        ArrayNode networks = body.putArray("networks");
        ArrayNode volumes = body.putArray("volumes");
        for (ManagedResource m : r.removed()) {
            (switch (m.kind()) {
                case CONTAINER -> containers;
                case NETWORK -> networks;
                case VOLUME -> volumes;
            }).add(m.toJson(now));
        }
        ArrayNode failed = body.putArray("failed");
        for (Failure f : r.failed()) {
            ObjectNode n = f.resource().toJson(now);
            n.put("error", f.error());
            failed.add(n);
        }
        body.put("count", r.removed().size());
        return body;
    }
}
