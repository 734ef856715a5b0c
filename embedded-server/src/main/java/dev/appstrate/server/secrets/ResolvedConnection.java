package dev.appstrate.server.secrets;

import java.util.Map;

/**
 * A connection opened for one run: which integration auth it serves and its decrypted credential
 * fields. Lives only in the server (sidecar) memory; {@link #toString()} never prints the values.
 */
public record ResolvedConnection(String connectionId, String packageId, IntegrationAuth auth,
                                 Map<String, String> credentials) {
    public ResolvedConnection {
        credentials = Map.copyOf(credentials);
    }

    @Override
    public String toString() {
        return "ResolvedConnection[id=" + connectionId + ", packageId=" + packageId + ", auth=" + auth.key()
                + ", fields=" + credentials.keySet() + "]";
    }
}
