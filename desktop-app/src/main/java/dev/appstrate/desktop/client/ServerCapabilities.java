package dev.appstrate.desktop.client;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the connected server supports and what the credential may do, learned once at connect ({@link ServerConnect})
 * and refined as the server refuses (a 403 "Insufficient permissions: x required" adds x to {@code denied}).
 * {@code scopes} is empty when the credential's scopes are not known or not limited (the embedded owner; a key on
 * the original, which cannot list its own); {@code database} is what the server reports about its database, or "".
 */
public record ServerCapabilities(boolean ours, Set<Capability> supported, Set<String> scopes, Set<String> denied,
                                 String database) {
    /** Our own server with the owner's token: everything, no scope limits. */
    public static final ServerCapabilities OURS = new ServerCapabilities(true, EnumSet.allOf(Capability.class), Set.of());

    /**
     * What an API key can never hold on the original (its API_KEY_ALLOWED_SCOPES leave these out), so the app says so
     * at once instead of learning it page by page.
     */
    public static final Set<String> NEVER_FOR_API_KEYS = Set.of("api-keys:read", "api-keys:create", "api-keys:revoke",
            "model-provider-credentials:read", "model-provider-credentials:write", "model-provider-credentials:delete");

    public ServerCapabilities {
        supported = supported.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(supported);
        scopes = Set.copyOf(scopes);
        denied = Set.copyOf(denied);
        database = database == null ? "" : database;
    }

    public ServerCapabilities(boolean ours, Set<Capability> supported, Set<String> scopes) {
        this(ours, supported, scopes, Set.of(), "");
    }

    public boolean has(Capability c) {
        return supported.contains(c);
    }

    /** Whether the credential holds {@code scope} (e.g. {@code "api-keys:read"}); unlimited credentials hold all. */
    public boolean allows(String scope) {
        return !denied.contains(scope) && (scopes.isEmpty() || scopes.contains(scope));
    }

    /** The same, knowing now that the credential lacks {@code scope}. */
    public ServerCapabilities denying(String scope) {
        if (denied.contains(scope)) {
            return this;
        }
        Set<String> d = new TreeSet<>(denied);
        d.add(scope);
        return new ServerCapabilities(ours, supported, scopes, d, database);
    }

    /** What the credential lacks, grouped by resource: "api-keys (create, read, revoke), webhooks:read"; "" for nothing. */
    public String lackingSummary() {
        java.util.Map<String, java.util.List<String>> byResource = new java.util.TreeMap<>();
        for (String scope : lacking()) {
            int colon = scope.indexOf(':');
            byResource.computeIfAbsent(colon < 0 ? scope : scope.substring(0, colon), k -> new java.util.ArrayList<>())
                    .add(colon < 0 ? "" : scope.substring(colon + 1));
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        byResource.forEach((resource, actions) -> parts.add(actions.size() == 1 ? resource + ":" + actions.get(0)
                : resource + " (" + String.join(", ", actions) + ")"));
        return String.join(", ", parts);
    }

    /** What the credential is known to lack, sorted (scopes known up front count too). */
    public Set<String> lacking() {
        return new TreeSet<>(denied);
    }
}
