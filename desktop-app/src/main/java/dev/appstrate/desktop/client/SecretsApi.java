package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the Secrets screen reads and writes: integrations and their connections, model-provider keys and
 * the encryption status, read into records. Values go in; only masked hints ever come back.
 */
public final class SecretsApi {
    /** A stored connection; {@code hints} is a masked hint per field such as {@code api_key ••••abcd} (ours only). */
    public record Connection(String id, String packageId, String authKey, String label, String hints, String owner,
                             String updatedAt) {
        static Connection of(JsonNode c) {
            List<String> hints = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = c.path("credential_hints").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                hints.add(h.getKey() + " " + h.getValue().asText());
            }
            return new Connection(DesktopJson.text(c, "id"), DesktopJson.text(c, "packageId"), DesktopJson.text(c, "auth_key"),
                    DesktopJson.text(c, "label"), String.join("   ", hints),
                    DesktopJson.text(c, "owner_name").isEmpty() ? DesktopJson.text(c, "owner_type") : DesktopJson.text(c, "owner_name"),
                    DesktopJson.text(c, "updatedAt"));
        }
    }

    /** A model provider's credential: the key is only ever "stored" or not. */
    public record ModelKey(String id, String label, String providerId, String baseUrl, boolean hasKey) {
        static ModelKey of(JsonNode m) {
            return new ModelKey(DesktopJson.text(m, "id"), DesktopJson.text(m, "label"), DesktopJson.text(m, "providerId"),
                    DesktopJson.text(m, "baseUrl"), m.path("has_api_key").asBoolean());
        }
    }

    /** One encryption key of the ring and how many stored values it encrypts. */
    public record RingKey(String kid, boolean active, int values) {
    }

    /** Encryption at rest (our server): the algorithm, the key ring, values on an older key or on none known. */
    public record EncryptionStatus(String algorithm, String activeKid, int totalValues, int needsRotation, int unreadable,
                                   List<RingKey> keyRing) {
        static EncryptionStatus of(JsonNode s) {
            List<RingKey> keys = new ArrayList<>();
            s.path("key_ring").forEach(k -> keys.add(new RingKey(DesktopJson.text(k, "kid"), k.path("active").asBoolean(),
                    k.path("values").asInt())));
            return new EncryptionStatus(DesktopJson.text(s, "algorithm"), DesktopJson.text(s, "active_kid"),
                    s.path("total_values").asInt(), s.path("needs_rotation").asInt(), s.path("unreadable").asInt(), List.copyOf(keys));
        }
    }

    /** An integration that can be connected. */
    public record Integration(String id, String displayName) {
        static Integration of(JsonNode i) {
            JsonNode m = i.path("manifest");
            return new Integration(DesktopJson.text(i, "id").isEmpty() ? DesktopJson.text(m, "name") : DesktopJson.text(i, "id"),
                    DesktopJson.text(m, "display_name"));
        }
    }

    /** One credential an auth asks for, from its manifest's {@code credentials.schema}. */
    public record CredentialField(String name, String description, boolean required) {
    }

    /** An auth of an integration: its type, whether it is usable, and the fields it asks for. */
    public record Auth(String key, String type, boolean supported, boolean ready, int connections, List<String> authorizedUris,
                       List<CredentialField> fields) {
    }

    /** An integration's detail as the original answers it: its manifest and per-auth status. */
    public record IntegrationDetail(String packageId, List<Auth> auths) {
        static IntegrationDetail of(JsonNode d) {
            JsonNode manifest = d.path("manifest");
            List<Auth> auths = new ArrayList<>();
            for (JsonNode a : d.path("auths")) {
                String key = DesktopJson.text(a, "auth_key");
                JsonNode declared = manifest.path("auths").path(key);
                List<String> uris = new ArrayList<>();
                (a.has("authorized_uris") ? a.path("authorized_uris") : declared.path("authorized_uris")).forEach(u -> uris.add(u.asText()));
                String type = DesktopJson.text(a, "type").isEmpty() ? DesktopJson.text(declared, "type") : DesktopJson.text(a, "type");
                auths.add(new Auth(key, type, a.path("supported").asBoolean(!"oauth2".equals(type)), a.path("ready").asBoolean(),
                        a.path("connections").size(), List.copyOf(uris), fields(type, declared.path("credentials").path("schema"))));
            }
            return new IntegrationDetail(DesktopJson.text(manifest, "name"), List.copyOf(auths));
        }

        /** The schema's properties in order, required ones marked; an api_key or basic auth without one has the usual fields. */
        static List<CredentialField> fields(String type, JsonNode schema) {
            List<CredentialField> out = new ArrayList<>();
            if (schema.path("properties").isObject() && !schema.path("properties").isEmpty()) {
                List<String> required = new ArrayList<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                schema.path("properties").fields().forEachRemaining(f -> out.add(new CredentialField(f.getKey(),
                        f.getValue().path("description").asText(f.getValue().path("title").asText("")), required.contains(f.getKey()))));
            } else if ("api_key".equals(type)) {
                out.add(new CredentialField("api_key", "API key", true));
            } else if ("basic".equals(type)) {
                out.add(new CredentialField("username", "Username", true));
                out.add(new CredentialField("password", "Password", true));
            }
            return List.copyOf(out);
        }

        public Auth auth(String key) {
            return auths.stream().filter(a -> a.key().equals(key)).findFirst().orElse(null);
        }
    }

    private final AppstrateClient client;

    public SecretsApi(AppstrateClient client) {
        this.client = client;
    }

    /** Whether the server lists every connection of the application (ours) and reports its encryption (ours). */
    public boolean listsConnections() {
        return client.capabilities().has(Capability.CONNECTIONS_LIST);
    }

    /** Whether a local integration can be registered from its manifest (ours). */
    public boolean registersIntegrations() {
        return client.capabilities().has(Capability.LOCAL_INTEGRATIONS);
    }

    public boolean reportsEncryption() {
        return client.capabilities().has(Capability.SECRETS_STATUS);
    }

    public EncryptionStatus status() {
        return EncryptionStatus.of(client.get("/api/secrets/status", Map.of()));
    }

    public List<Integration> integrations() {
        List<Integration> out = new ArrayList<>();
        client.get("/api/integrations", Map.of()).path("data").forEach(i -> out.add(Integration.of(i)));
        return out;
    }

    public IntegrationDetail integration(String packageId) {
        return IntegrationDetail.of(client.get("/api/integrations/" + packageId, Map.of()));
    }

    /** Creates or replaces a local integration from its manifest (our server). */
    public Integration registerIntegration(JsonNode manifest) {
        ObjectNode body = DesktopJson.object();
        body.set("manifest", manifest);
        JsonNode d = client.send("POST", "/api/integrations", body);
        return new Integration(DesktopJson.text(d.path("manifest"), "name"), DesktopJson.text(d.path("manifest"), "display_name"));
    }

    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        client.get("/api/connections", Map.of()).path("data").forEach(c -> out.add(Connection.of(c)));
        return out;
    }

    /**
     * Stores credentials for one auth of an integration (a new connection, or with {@code connectionId} that
     * connection's value replaced); answers the connection with masked hints only. Never sends an empty
     * {@code credentials} (the original refuses it): nothing typed is refused here.
     */
    public Connection connect(String packageId, String authKey, Map<String, String> credentials, String label, String connectionId) {
        if (credentials.isEmpty()) {
            throw new ApiProblem(400, "invalid_request", "Invalid Request", "Fill in the credentials first.", List.of(), "credentials");
        }
        ObjectNode body = DesktopJson.object();
        if (connectionId != null) {
            body.put("connection_id", connectionId);
        }
        ObjectNode creds = body.putObject("credentials");
        credentials.forEach(creds::put);
        if (label != null && !label.isBlank()) {
            body.put("label", label.trim());
        }
        return Connection.of(client.send("POST", "/api/integrations/" + packageId + "/auths/" + authKey + "/connect/fields", body));
    }

    public void deleteConnection(String connectionId) {
        client.send("DELETE", "/api/connections/" + connectionId, Map.of(), null);
    }

    public List<ModelKey> modelCredentials() {
        List<ModelKey> out = new ArrayList<>();
        client.get("/api/model-provider-credentials", Map.of()).path("data").forEach(m -> out.add(ModelKey.of(m)));
        return out;
    }

    /** Replaces a model provider's API key (write-only: the key never comes back). */
    public void replaceModelKey(String credentialId, String apiKey) {
        client.send("PUT", "/api/model-provider-credentials/" + credentialId, DesktopJson.object().put("apiKey", apiKey));
    }
}
