package dev.appstrate.server.docker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The labels and name prefixes that mark what Appstrate owns on the engine (the original's contract). */
public final class DockerLabels {
    public static final String MANAGED = "appstrate.managed";
    public static final String RUN = "appstrate.run";
    public static final String ADAPTER = "appstrate.adapter";
    /** Durable infrastructure the sweep never touches, e.g. {@code image-pin}. */
    public static final String ROLE = "appstrate.role";
    public static final String IMAGE_PIN = "image-pin";
    /** Set on pre-warmed sidecars: the server session that owns the pool. */
    public static final String POOL = "appstrate.pool";
    public static final String CREATED = "appstrate.created";

    public static final String NETWORK_PREFIX = "appstrate-exec-";
    public static final String VOLUME_PREFIX = "appstrate-ws-";
    public static final String EGRESS_NETWORK = "appstrate-egress";
    public static final String AGENT_PREFIX = "appstrate-agent-";
    public static final String SIDECAR_PREFIX = "appstrate-sidecar-";
    public static final String POOL_PREFIX = "appstrate-sidecar-pool-";

    private static final Pattern RUN_CONTAINER = Pattern.compile("^/?appstrate-(?:agent|sidecar)-([A-Za-z0-9_.-]+)$");

    private DockerLabels() {
    }

    public static String networkName(String runId) {
        return NETWORK_PREFIX + runId;
    }

    public static String volumeName(String runId) {
        return VOLUME_PREFIX + runId;
    }

    /** The run a container name stands for (a pooled sidecar renamed for its run keeps its pool labels). */
    public static String runIdFromContainerName(String name) {
        if (name == null || name.replaceFirst("^/", "").startsWith(POOL_PREFIX)) {
            return null;
        }
        Matcher m = RUN_CONTAINER.matcher(name);
        return m.matches() ? m.group(1) : null;
    }
}
