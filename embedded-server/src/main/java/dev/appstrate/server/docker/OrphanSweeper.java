package dev.appstrate.server.docker;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a crash left behind, in the order Docker allows: containers labelled
 * {@code appstrate.managed=true} that belong to no active run, then {@code appstrate-exec-*} networks,
 * then {@code appstrate-ws-*} volumes. Never touches unlabelled containers, image-pin holders or the
 * {@code appstrate-egress} network ({@link DockerInventory} does not list them).
 */
public final class OrphanSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweeper.class);

    /** What a sweep removed, and what it could not remove. */
    public record Report(int containers, int networks, int volumes, List<String> failures) {
    }

    private final DockerInventory inventory;
    private final DockerRemover remover;

    public OrphanSweeper(DockerInventory inventory, DockerRemover remover) {
        this.inventory = inventory;
        this.remover = remover;
    }

    /** The startup sweep: orphaned containers, networks, volumes. */
    public Report sweep() {
        DockerInventory.Snapshot snap = inventory.snapshot();
        List<String> failures = new ArrayList<>();
        int c = removeAll(snap.containers(), failures);
        int n = removeAll(snap.networks(), failures);
        int v = removeAll(snap.volumes(), failures);
        Report r = new Report(c, n, v, List.copyOf(failures));
        if (c + n + v + failures.size() > 0) {
            LOG.info("Orphan sweep removed containers={} networks={} volumes={} failed={}", c, n, v, failures.size());
        } else {
            LOG.debug("Orphan sweep: nothing to remove");
        }
        for (String f : failures) {
            LOG.warn("Orphan sweep could not remove {}", f);
        }
        return r;
    }

    /** The shutdown pass: per-run networks whose run is over (the next boot sweeps the rest). */
    public Report sweepNetworks() {
        List<String> failures = new ArrayList<>();
        int n = removeAll(inventory.snapshot().networks(), failures);
        LOG.info("Shutdown network sweep removed networks={} failed={}", n, failures.size());
        return new Report(0, n, 0, List.copyOf(failures));
    }

    private int removeAll(List<ManagedResource> resources, List<String> failures) {
        int removed = 0;
        for (ManagedResource r : resources) {
            if (!r.orphaned()) {
                continue;
            }
            try {
                remover.remove(r);
                removed++;
            } catch (RuntimeException e) {
                failures.add(r.kind().wire() + " " + r.name() + ": " + DockerErrors.message(e));
            }
        }
        return removed;
    }
}
