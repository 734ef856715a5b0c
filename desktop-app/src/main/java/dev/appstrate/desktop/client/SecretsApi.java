package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What the Secrets screen reads and writes: integrations and their connections, model-provider keys and
 * the encryption status. Values go in; only masked hints ever come back.
 */
public final class SecretsApi {
    private final AppstrateClient client;

    public SecretsApi(AppstrateClient client) {
        this.client = client;
    }

    public JsonNode status() {
        return client.get("/api/secrets/status", Map.of());
    }

    public JsonNode integrations() {
        return client.get("/api/integrations", Map.of());
    }

    /** Detail with {@code auths[]}: auth_key, type, credential_fields [{name, description, required}], ready. */
    public JsonNode integration(String packageId) {
        return client.get("/api/integrations/" + packageId, Map.of());
    }

    /** Creates or replaces a local integration from its manifest. */
    public JsonNode registerIntegration(JsonNode manifest) {
        ObjectNode body = DesktopJson.object();
        body.set("manifest", manifest);
        return client.send("POST", "/api/integrations", body);
    }

    public JsonNode connections() {
        return client.get("/api/connections", Map.of());
    }

    /**
     * Stores credentials for one auth of an integration (a new connection, or with {@code connectionId} that
     * connection's value replaced); answers the connection with masked hints only.
     */
    public JsonNode connect(String packageId, String authKey, Map<String, String> credentials, String label, String connectionId) {
        ObjectNode body = DesktopJson.object();
        if (connectionId != null) {
            body.put("connection_id", connectionId);
        }
        ObjectNode creds = body.putObject("credentials");
        credentials.forEach(creds::put);
        if (label != null && !label.isBlank()) {
            body.put("label", label.trim());
        }
        return client.send("POST", "/api/integrations/" + packageId + "/auths/" + authKey + "/connect/fields", body);
    }

    public void deleteConnection(String connectionId) {
        client.send("DELETE", "/api/connections/" + connectionId, Map.of(), null);
    }

    public JsonNode modelCredentials() {
        return client.get("/api/model-provider-credentials", Map.of());
    }

    /** Replaces a model provider's API key (write-only: the key never comes back). */
    public JsonNode replaceModelKey(String credentialId, String apiKey) {
        return client.send("PUT", "/api/model-provider-credentials/" + credentialId, DesktopJson.object().put("apiKey", apiKey));
    }
}
