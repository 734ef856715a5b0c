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
        static ConnectionRow of(SecretsApi.Connection c) {
            return new ConnectionRow(c.id(), c.packageId(), c.authKey(), c.label(), c.hints(), c.owner(), Shown.when(c.updatedAt()));
        }
    }

    /** A model provider's credential: the key is only ever "stored" or not. */
    public record ModelKeyRow(String id, String label, String provider, String baseUrl, boolean hasKey) {
        static ModelKeyRow of(SecretsApi.ModelKey m) {
            return new ModelKeyRow(m.id(), m.label(), m.providerId(), m.baseUrl(), m.hasKey());
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

    /** Said in place of a list this server does not have. */
    static final String NOT_AVAILABLE = "Not available on this server.";

    private final SecretsApi api;
    final ObservableList<ConnectionRow> connections = FXCollections.observableArrayList();
    final ObservableList<ModelKeyRow> modelKeys = FXCollections.observableArrayList();
    final ObservableList<KeyRow> keyRing = FXCollections.observableArrayList();
    final ObservableList<IntegrationItem> integrations = FXCollections.observableArrayList();
    /** The chosen integration's detail (auths with their credential fields and readiness). */
    final ObjectProperty<SecretsApi.IntegrationDetail> integration = new SimpleObjectProperty<>();
    /** Set when the server has no list of every connection: said in place of the table. */
    final StringProperty connectionsNote = new SimpleStringProperty("");
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

    /** Whether "Register an integration…" is offered (the original installs integrations as packages). */
    public boolean canRegisterIntegrations() {
        return api.registersIntegrations();
    }

    public StringProperty connectionsNoteProperty() {
        return connectionsNote;
    }

    public StringProperty encryptionProperty() {
        return encryption;
    }

    public ObjectProperty<SecretsApi.IntegrationDetail> integrationProperty() {
        return integration;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public void refresh() {
        if (api.listsConnections()) {
            connectionsNote.set("");
            Tasks.create(api::connections)
                    .onSuccess(data -> connections.setAll(data.stream().map(ConnectionRow::of).toList()))
                    .onError(this::fail)
                    .start();
        } else {
            connections.clear();
            connectionsNote.set(NOT_AVAILABLE + " Each integration's connections show under it when chosen below.");
        }
        Tasks.create(api::integrations)
                .onSuccess(data -> {
                    List<IntegrationItem> items = data.stream().map(i -> new IntegrationItem(i.id(), i.displayName())).toList();
                    if (!integrations.equals(items)) {
                        integrations.setAll(items);
                    }
                })
                .onError(this::fail)
                .start();
        Tasks.create(api::modelCredentials)
                .onSuccess(data -> modelKeys.setAll(data.stream().map(ModelKeyRow::of).toList()))
                .onError(this::fail)
                .start();
        if (!api.reportsEncryption()) {
            keyRing.clear();
            encryption.set(NOT_AVAILABLE);
            rotation.set("");
            return;
        }
        Tasks.create(api::status)
                .onSuccess(this::showStatus)
                .onError(e -> encryption.set(e instanceof ApiProblem p && p.unauthorized()
                        ? "The encryption status is shown to the owner only." : Notifier.describe(e)))
                .start();
    }

    private void fail(Throwable e) {
        message.set(e instanceof ApiProblem p && p.notAvailable() ? NOT_AVAILABLE : Notifier.describe(e));
    }

    private void showStatus(SecretsApi.EncryptionStatus s) {
        keyRing.setAll(s.keyRing().stream().map(k -> new KeyRow(k.kid(), k.active(), k.values())).toList());
        encryption.set(s.algorithm() + " · active key " + s.activeKid() + " · " + dev.appstrate.desktop.ui.Plural.of(s.totalValues(), "stored value"));
        int old = s.needsRotation();
        int unreadable = s.unreadable();
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
                    SecretsApi.IntegrationDetail shown = integration.get();
                    if (shown != null && row.packageId().equals(shown.packageId())) {
                        loadIntegration(row.packageId());
                    }
                })
                .onError(this::fail)
                .start();
    }

    public void replaceModelKey(ModelKeyRow row, String apiKey, Consumer<String> done) {
        Tasks.run(() -> api.replaceModelKey(row.id(), apiKey))
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
                    done.accept(new IntegrationItem(d.id(), d.displayName()));
                    refresh();
                })
                .onError(e -> failed.accept(Notifier.describe(e)))
                .start();
    }
}
