package dev.appstrate.desktop.ui.apikeys;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.TenancyApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Plural;
import dev.appstrate.desktop.ui.Shown;
import dev.appstrate.desktop.ui.TaskExecutor;
import dev.appstrate.desktop.ui.Tasks;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The current application's API keys: create (the raw key is shown once), list, revoke. */
public final class ApiKeysViewModel {
    /** One key as listed: never the key itself, only its prefix; times are ISO instants ("" for none). */
    public record ApiKey(String id, String name, String prefix, String scopes, String createdAt, String expiresAt,
                         String lastUsedAt) {
        static ApiKey of(TenancyApi.ApiKey k) {
            return new ApiKey(k.id(), k.name(), k.keyPrefix() + "…", Plural.of(k.scopes().size(), "scope"),
                    orEmpty(k.createdAt()), orEmpty(k.expiresAt()), orEmpty(k.lastUsedAt()));
        }

        public String created() {
            return Shown.when(createdAt);
        }

        public String expires() {
            return expiresAt.isEmpty() ? "never" : Shown.when(expiresAt);
        }

        public String lastUsed() {
            return lastUsedAt.isEmpty() ? "never" : Shown.when(lastUsedAt);
        }

        private static String orEmpty(String s) {
            return s == null ? "" : s;
        }
    }

    private final TenancyApi client;
    private final TaskExecutor tasks;
    private final ObservableList<ApiKey> keys = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty newKey = new SimpleStringProperty("");
    private final StringProperty name = new SimpleStringProperty("");

    public ApiKeysViewModel(AppstrateClient client, TaskExecutor tasks) {
        this.client = new TenancyApi(client);
        this.tasks = tasks;
    }

    public ObservableList<ApiKey> keys() {
        return keys;
    }

    public StringProperty messageProperty() {
        return message;
    }

    /** The raw key just created: shown once, gone on the next refresh of the page. */
    public StringProperty newKeyProperty() {
        return newKey;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public void refresh() {
        Tasks.create(() -> {
                    List<ApiKey> out = new ArrayList<>();
                    client.apiKeys().forEach(k -> out.add(ApiKey.of(k)));
                    return out;
                })
                .onSuccess(list -> {
                    keys.setAll(list);
                    message.set("");
                })
                .onError(e -> message.set(Notifier.describeLoad("API keys", e)))
                .on(tasks);
    }

    public void create() {
        String n = name.get() == null ? "" : name.get().trim();
        if (n.isEmpty()) {
            message.set("Give the key a name.");
            return;
        }
        Tasks.create(() -> client.createApiKey(n))
                .onSuccess(r -> {
                    newKey.set(r.key() == null ? "" : r.key());
                    name.set("");
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    public void revoke(ApiKey key) {
        Tasks.run(() -> client.revokeApiKey(key.id()))
                .onSuccess(x -> refresh())
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    /** Forgets the shown raw key (when the page is left: it is shown once). */
    public void forgetNewKey() {
        newKey.set("");
    }
}
