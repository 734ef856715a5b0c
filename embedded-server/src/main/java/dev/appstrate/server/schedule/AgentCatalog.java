package dev.appstrate.server.schedule;

/** Tells the schedules API whether an agent exists in an application; implemented by the packages module. */
public interface AgentCatalog {
    boolean exists(String applicationId, String scope, String name);

    /** Registered until the packages module provides the real catalog: every agent exists. */
    AgentCatalog PERMISSIVE = (applicationId, scope, name) -> true;
}
