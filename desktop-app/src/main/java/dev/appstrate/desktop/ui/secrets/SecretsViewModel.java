package dev.appstrate.desktop.ui.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.SecretsApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Shown;
import dev.appstrate.desktop.ui.Tasks;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Connections, model-provider keys and the encryption status; what it holds about values is masked hints only. */
public final class SecretsViewModel {
    /** A stored connection: its integration and auth, and a hint per field such as api_key ••••abcd. */
    public record ConnectionRow(String id, String packageId, String authKey, String label, String hints, String owner,
                                String updated) {
        static ConnectionRow of(JsonNode c) {
            List<String> hints = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = c.path("credential_hints").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                hints.add(h.getKey() + " " + h.getValue().asText());
            }
            return new ConnectionRow(DesktopJson.text(c, "id"), DesktopJson.text(c, "packageId"), DesktopJson.text(c, "auth_key"),
                    DesktopJson.text(c, "label"), String.join("   ", hints),
                    DesktopJson.text(c, "owner_name").isEmpty() ? DesktopJson.text(c, "owner_type") : DesktopJson.text(c, "owner_name"),
                    Shown.when(DesktopJson.text(c, "updatedAt")));
        }
    }

    /** A model provider's credential: the key is only ever "stored" or not. */
    public record ModelKeyRow(String id, String label, String provider, String baseUrl, boolean hasKey) {
        static ModelKeyRow of(JsonNode m) {
            return new ModelKeyRow(DesktopJson.text(m, "id"), DesktopJson.text(m, "label"), DesktopJson.text(m, "providerId"),
                    DesktopJson.text(m, "baseUrl"), m.path("has_api_key").asBoolean());
        }

        public String key() {
            return hasKey ? "•••••••• (stored, write-only)" : "none";
        }
    }

    /** One encryption key of the ring and how many stored values it encrypts. */
    public record KeyRow(String kid, boolean active, int values) {
    }

    /** An integration that can be connected. */
    public record IntegrationItem(String id, String displayName) {
        @Override
        public String toString() {
            return displayName.isEmpty() || displayName.equals(id) ? id : displayName + "  (" + id + ")";
        }
    }

    private final SecretsApi api;
    final ObservableList<ConnectionRow> connections = FXCollections.observableArrayList();
    final ObservableList<ModelKeyRow> modelKeys = FXCollections.observableArrayList();
    final ObservableList<KeyRow> keyRing = FXCollections.observableArrayList();
    final ObservableList<IntegrationItem> integrations = FXCollections.observableArrayList();
    /** The chosen integration's detail (auths with credential_fields and readiness). */
    final ObjectProperty<JsonNode> integration = new SimpleObjectProperty<>();
    final StringProperty message = new SimpleStringProperty("");
    final StringProperty encryption = new SimpleStringProperty("");
    final StringProperty rotation = new SimpleStringProperty("");

    public SecretsViewModel(SecretsApi api) {
        this.api = api;
    }

    public ObservableList<ConnectionRow> connections() {
        return connections;
    }

    public ObservableList<ModelKeyRow> modelKeys() {
        return modelKeys;
    }

    public ObservableList<KeyRow> keyRing() {
        return keyRing;
    }

    public ObservableList<IntegrationItem> integrations() {
        return integrations;
    }

    public ObjectProperty<JsonNode> integrationProperty() {
        return integration;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public void refresh() {
        Tasks.create(() -> api.connections().path("data"))
                .onSuccess(data -> {
                    List<ConnectionRow> rows = new ArrayList<>();
                    data.forEach(c -> rows.add(ConnectionRow.of(c)));
                    connections.setAll(rows);
                })
                .onError(this::fail)
                .start();
        Tasks.create(() -> api.integrations().path("data"))
                .onSuccess(data -> {
                    List<IntegrationItem> items = new ArrayList<>();
                    data.forEach(i -> items.add(new IntegrationItem(DesktopJson.text(i, "id"),
                            DesktopJson.text(i.path("manifest"), "display_name"))));
                    if (!integrations.equals(items)) {
                        integrations.setAll(items);
                    }
                })
                .onError(this::fail)
                .start();
        Tasks.create(() -> api.modelCredentials().path("data"))
                .onSuccess(data -> {
                    List<ModelKeyRow> rows = new ArrayList<>();
                    data.forEach(m -> rows.add(ModelKeyRow.of(m)));
                    modelKeys.setAll(rows);
                })
                .onError(this::fail)
                .start();
        Tasks.create(api::status)
                .onSuccess(this::showStatus)
                .onError(e -> encryption.set(e instanceof ApiProblem p && p.unauthorized()
                        ? "The encryption status is shown to the owner only." : Notifier.describe(e)))
                .start();
    }

    private void fail(Throwable e) {
        message.set(e instanceof ApiProblem p && p.notAvailable()
                ? "Secrets are not available on this server yet." : Notifier.describe(e));
    }

    private void showStatus(JsonNode s) {
        List<KeyRow> keys = new ArrayList<>();
        s.path("key_ring").forEach(k -> keys.add(new KeyRow(DesktopJson.text(k, "kid"), k.path("active").asBoolean(),
                k.path("values").asInt())));
        keyRing.setAll(keys);
        encryption.set(DesktopJson.text(s, "algorithm") + " · active key " + DesktopJson.text(s, "active_kid") + " · "
                + s.path("total_values").asInt() + " stored values");
        int old = s.path("needs_rotation").asInt();
        int unreadable = s.path("unreadable").asInt();
        if (unreadable > 0) {
            rotation.set(unreadable + " values are encrypted with a key that is no longer in the key ring: add it back to "
                    + "CONNECTION_ENCRYPTION_KEYS, or they cannot be read.");
        } else if (old > 0) {
            rotation.set(old + " values are still encrypted with an older key. Run `java -jar appstrate-server.jar rotate-key` "
                    + "(with the old key in CONNECTION_ENCRYPTION_KEYS) to re-encrypt them with the active one.");
        } else {
            rotation.set("Every stored value is encrypted with the active key.");
        }
    }

    public void loadIntegration(String packageId) {
        if (packageId == null) {
            integration.set(null);
            return;
        }
        Tasks.create(() -> api.integration(packageId))
                .onSuccess(integration::set)
                .onError(this::fail)
                .start();
    }

    /** Stores the credentials; the caller clears its fields whatever happens to them next. */
    public void connect(String packageId, String authKey, Map<String, String> credentials, String label, String connectionId,
                        Consumer<String> done) {
        Tasks.create(() -> api.connect(packageId, authKey, credentials, label, connectionId))
                .onSuccess(c -> {
                    ConnectionRow row = ConnectionRow.of(c);
                    message.set("");
                    done.accept("Saved " + packageId + " (" + authKey + "), stored encrypted: " + row.hints());
                    refresh();
                    loadIntegration(packageId);
                })
                .onError(this::fail)
                .start();
    }

    public void deleteConnection(ConnectionRow row) {
        Tasks.run(() -> api.deleteConnection(row.id()))
                .onSuccess(x -> {
                    refresh();
                    JsonNode shown = integration.get();
                    if (shown != null && row.packageId().equals(DesktopJson.text(shown.path("manifest"), "name"))) {
                        loadIntegration(row.packageId());
                    }
                })
                .onError(this::fail)
                .start();
    }

    public void replaceModelKey(ModelKeyRow row, String apiKey, Consumer<String> done) {
        Tasks.create(() -> api.replaceModelKey(row.id(), apiKey))
                .onSuccess(x -> {
                    message.set("");
                    done.accept("The API key of " + row.label() + " was replaced");
                    refresh();
                })
                .onError(this::fail)
                .start();
    }

    /** Registers (or replaces) a local integration from its manifest JSON. */
    public void registerIntegration(String manifestJson, Consumer<IntegrationItem> done, Consumer<String> failed) {
        JsonNode manifest;
        try {
            manifest = DesktopJson.MAPPER.readTree(manifestJson);
        } catch (Exception e) {
            failed.accept("The manifest is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        Tasks.create(() -> api.registerIntegration(manifest))
                .onSuccess(d -> {
                    done.accept(new IntegrationItem(DesktopJson.text(d.path("manifest"), "name"),
                            DesktopJson.text(d.path("manifest"), "display_name")));
                    refresh();
                })
                .onError(e -> failed.accept(Notifier.describe(e)))
                .start();
    }
}
