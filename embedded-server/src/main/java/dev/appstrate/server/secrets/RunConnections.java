package dev.appstrate.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run may use: exactly the integrations its agent manifest declares
 * ({@code dependencies.integrations}, auth chosen by {@code integrations_configuration[id].auth_key}),
 * each matched to a connection of the run's application and actor. A missing one fails the run before
 * it starts, naming it (412 {@code missing_integration_connection}, as the original).
 */
public final class RunConnections {
    /** One declared integration and the connection chosen for it (by id: credentials are opened later). */
    public record Choice(String packageId, String authKey, String connectionId) {
    }

    /** One declared integration that cannot be served. */
    public record Missing(String packageId, String authKey, String reason) {
        public String describe() {
            return packageId + (authKey != null ? " (auth '" + authKey + "')" : "") + ": " + reason;
        }
    }

    /** The readiness verdict: choices for the run, and what is missing. */
    public record Verdict(List<Choice> choices, List<Missing> missing) {
        public boolean ready() {
            return missing.isEmpty();
        }

        /** Throws the 412 the original answers at kickoff when something is missing. */
        public List<Choice> orThrow() {
            if (missing.isEmpty()) {
                return choices;
            }
            String names = String.join(", ", missing.stream().map(Missing::describe).toList());
            throw new ApiException(412, "missing_integration_connection", "Precondition Failed",
                    "The agent needs integration connections that are missing: " + names);
        }
    }

    private final IntegrationRepository catalog;
    private final Connections connections;

    public RunConnections(IntegrationRepository catalog, Connections connections) {
        this.catalog = catalog;
        this.connections = connections;
    }

    /**
     * Matches each integration the manifest declares to a connection: the end-user's own when the run acts
     * for an end-user, otherwise the application's most recently updated member connection.
     */
    public Verdict resolve(String orgId, String applicationId, String endUserIdOrNull, JsonNode agentManifest) {
        List<Choice> choices = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        Connections.Owner owner = endUserIdOrNull != null ? Connections.Owner.endUser(endUserIdOrNull)
                : Connections.Owner.user("run");
        for (Map.Entry<String, String> declared : declared(agentManifest).entrySet()) {
            String pkg = declared.getKey();
            Optional<IntegrationRepository.Entry> entry = catalog.find(orgId, pkg);
            if (entry.isEmpty()) {
                missing.add(new Missing(pkg, declared.getValue(), "the integration is not installed"));
                continue;
            }
            IntegrationDefinition def = entry.get().definition();
            String authKey = declared.getValue() != null ? declared.getValue() : defaultAuth(def);
            if (authKey == null || def.auth(authKey) == null) {
                missing.add(new Missing(pkg, authKey, "the integration declares no such auth"));
                continue;
            }
            Optional<Connections.Info> conn = connections.list(applicationId, owner, pkg).stream()
                    .filter(i -> i.authKey().equals(authKey)).findFirst();
            if (conn.isEmpty()) {
                missing.add(new Missing(pkg, authKey, "no connection in this application"
                        + (endUserIdOrNull != null ? " for end-user " + endUserIdOrNull : "")));
            } else {
                choices.add(new Choice(pkg, authKey, conn.get().id()));
            }
        }
        return new Verdict(List.copyOf(choices), List.copyOf(missing));
    }

    /** Opens the chosen connections' credentials, for the run's sidecar only. */
    public List<ResolvedConnection> open(List<Choice> choices) {
        List<ResolvedConnection> out = new ArrayList<>();
        for (Choice c : choices) {
            out.add(connections.open(c.connectionId()));
        }
        return out;
    }

    /** Declared integration ids → configured auth key (or null). */
    static Map<String, String> declared(JsonNode manifest) {
        Map<String, String> out = new LinkedHashMap<>();
        if (manifest == null) {
            return out;
        }
        JsonNode deps = manifest.path("dependencies").path("integrations");
        JsonNode config = manifest.path("integrations_configuration");
        for (Iterator<String> it = deps.fieldNames(); it.hasNext(); ) {
            String id = it.next();
            JsonNode key = config.path(id).path("auth_key");
            out.put(id, key.isTextual() ? key.asText() : null);
        }
        return out;
    }

    private static String defaultAuth(IntegrationDefinition def) {
        for (IntegrationAuth a : def.auths().values()) {
            if (a.supported() && a.required()) {
                return a.key();
            }
        }
        return def.auths().isEmpty() ? null : def.auths().keySet().iterator().next();
    }
}
