package dev.appstrate.server.packages;

import java.util.Optional;

/** Finds the agents an application can run; the packages module implements it. */
public interface AgentCatalog {
    /** The agent {@code @scope/name} as installed in this application, at its current version. */
    Optional<AgentPackage> find(String applicationId, String packageId);
}
