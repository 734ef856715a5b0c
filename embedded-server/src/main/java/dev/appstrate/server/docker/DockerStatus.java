package dev.appstrate.server.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.JsonTrees;

/**
 * Whether the Docker engine answers, and when it does not, why and what to do about it.
 *
 * @param available     the engine answered a ping
 * @param checking      no probe has finished yet (available is false, reason says so)
 * @param host          the engine address that was tried
 * @param serverVersion the engine version (null when unavailable)
 * @param apiVersion    the engine API version (null when unavailable)
 * @param reason        what went wrong (null when available)
 * @param hint          how to fix it (null when available)
 */
public record DockerStatus(boolean available, boolean checking, String host, String serverVersion, String apiVersion, String reason,
                           String hint) {

    public static DockerStatus up(String host, String serverVersion, String apiVersion) {
        return new DockerStatus(true, false, host, serverVersion, apiVersion, null, null);
    }

    /** Before the first probe finished: unknown, not down. */
    public static DockerStatus checking(String host) {
        return new DockerStatus(false, true, host, null, null, "Checking Docker at " + host,
                "The first check runs in the background; it takes a few seconds at most");
    }

    public static DockerStatus down(String host, String reason, String hint) {
        return new DockerStatus(false, false, host, null, null, reason, hint);
    }

    /** One sentence for errors: the reason followed by the fix. */
    public String explanation() {
        return available ? "Docker is available at " + host : reason + ". " + hint;
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonTrees.object();
        n.put("available", available);
        n.put("host", host);
        if (available) {
            n.put("server_version", serverVersion);
            n.put("api_version", apiVersion);
        } else {
            n.put("reason", reason);
            n.put("hint", hint);
        }
        return n;
    }
}
