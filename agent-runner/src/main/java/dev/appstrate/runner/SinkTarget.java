package dev.appstrate.runner;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how the runner reports: events URL, finalize URL, heartbeat URL and the per-run secret.
 * {@code toString} never shows the secret.
 */
public record SinkTarget(String runId, URI eventsUrl, URI finalizeUrl, URI heartbeatUrl, String secret) {

    /** Reads the sink variables alone, so a run with an otherwise broken env can still report why. */
    static Optional<SinkTarget> fromEnv(Map<String, String> env, List<String> issues) {
        String runId = env.getOrDefault("AGENT_RUN_ID", "");
        URI events = url(env, "APPSTRATE_SINK_URL", true, issues);
        URI finalize = url(env, "APPSTRATE_SINK_FINALIZE_URL", true, issues);
        URI heartbeat = url(env, "APPSTRATE_SINK_HEARTBEAT_URL", false, issues);
        String secret = env.get("APPSTRATE_SINK_SECRET");
        if (secret == null || secret.isEmpty()) {
            issues.add("APPSTRATE_SINK_SECRET: required");
        }
        if (events == null || finalize == null || secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        if (heartbeat == null) {
            heartbeat = URI.create(events.toString().replaceAll("/+$", "") + "/heartbeat");
        }
        return Optional.of(new SinkTarget(runId, events, finalize, heartbeat, secret));
    }

    private static URI url(Map<String, String> env, String name, boolean required, List<String> issues) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            if (required) {
                issues.add(name + ": required");
            }
            return null;
        }
        try {
            URI u = URI.create(v.trim());
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                issues.add(name + ": must be an http(s) URL (got \"" + v + "\")");
                return null;
            }
            return u;
        } catch (IllegalArgumentException e) {
            issues.add(name + ": must be an http(s) URL (got \"" + v + "\")");
            return null;
        }
    }

    /** {@code …/runs/<id>/documents}, beside the events URL, where the outputs sweep publishes files. */
    public URI documentsUrl() {
        String events = eventsUrl.toString().replaceAll("/+$", "");
        return URI.create(events.substring(0, events.lastIndexOf('/')) + "/documents");
    }

    @Override
    public String toString() {
        return "SinkTarget[runId=" + runId + ", eventsUrl=" + eventsUrl + ", finalizeUrl=" + finalizeUrl
                + ", heartbeatUrl=" + heartbeatUrl + ", secret=***]";
    }
}
