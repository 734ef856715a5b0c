package dev.appstrate.server.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.health.HealthRoutes;

/**
 * The {@code docker} entry of /health: "healthy" when the engine answers; otherwise "degraded" when
 * runs need Docker (RUN_ADAPTER=docker) and "unavailable" when they do not, with the reason and the fix;
 * "checking" until the first background probe finished (never waits: /health answers at once).
 */
public final class DockerHealthCheck implements HealthRoutes.Check {
    private final DockerEngine engine;

    public DockerHealthCheck(DockerEngine engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public ObjectNode run() {
        DockerStatus s = engine.lastKnown();
        ObjectNode n = s.toJson();
        n.put("status", s.available() ? "healthy" : s.checking() ? "checking" : engine.runsNeedDocker() ? "degraded" : "unavailable");
        return n;
    }
}
