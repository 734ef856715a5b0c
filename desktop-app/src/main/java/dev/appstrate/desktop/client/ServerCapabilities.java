package dev.appstrate.desktop.client;

import java.util.EnumSet;
import java.util.Set;

/**
 * What the connected server supports and what the credential may do, learned once at connect.
 * {@code scopes} is empty when the credential is not scope-limited (the embedded owner).
 */
public record ServerCapabilities(boolean ours, Set<Capability> supported, Set<String> scopes) {
    /** Our own server with the owner's token: everything, no scope limits. */
    public static final ServerCapabilities OURS = new ServerCapabilities(true, EnumSet.allOf(Capability.class), Set.of());

    public ServerCapabilities {
        supported = supported.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(supported);
        scopes = Set.copyOf(scopes);
    }

    public boolean has(Capability c) {
        return supported.contains(c);
    }

    /** Whether the credential holds {@code scope} (e.g. {@code "api-keys:read"}); unlimited credentials hold all. */
    public boolean allows(String scope) {
        return scopes.isEmpty() || scopes.contains(scope);
    }
}
