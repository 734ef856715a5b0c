package dev.appstrate.desktop.ui.docker;

import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.DockerApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Tasks;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The engine status (or why it is unavailable and how to fix it), the managed resources, and the cleanup. */
public final class DockerViewModel {
    private final DockerApi api;
    /** False until the first answer about the engine. */
    final BooleanProperty loaded = new SimpleBooleanProperty(false);
    final BooleanProperty available = new SimpleBooleanProperty(false);
    final StringProperty headline = new SimpleStringProperty("Asking the server about Docker…");
    final StringProperty reason = new SimpleStringProperty("");
    final StringProperty hint = new SimpleStringProperty("");
    final StringProperty runtime = new SimpleStringProperty("");
    final StringProperty message = new SimpleStringProperty("");
    final StringProperty result = new SimpleStringProperty("");
    final IntegerProperty orphans = new SimpleIntegerProperty(0);
    final ObservableList<ResourceRow> containers = FXCollections.observableArrayList();
    final ObservableList<ResourceRow> networks = FXCollections.observableArrayList();
    final ObservableList<ResourceRow> volumes = FXCollections.observableArrayList();

    public DockerViewModel(DockerApi api) {
        this.api = api;
    }

    public boolean available() {
        return available.get();
    }

    public boolean loaded() {
        return loaded.get();
    }

    public String reason() {
        return reason.get();
    }

    public String hint() {
        return hint.get();
    }

    public ObservableList<ResourceRow> containers() {
        return containers;
    }

    public ObservableList<ResourceRow> networks() {
        return networks;
    }

    public ObservableList<ResourceRow> volumes() {
        return volumes;
    }

    public StringProperty resultProperty() {
        return result;
    }

    /** Asks for the status, then (when the engine answers) for the resources. */
    public void refresh() {
        if (!api.supported()) {
            loaded.set(true);
            available.set(false);
            headline.set("Docker: not available on this server.");
            reason.set("");
            hint.set("");
            runtime.set("");
            return;
        }
        Tasks.create(api::status)
                .onSuccess(s -> {
                    showStatus(s);
                    if (available.get()) {
                        loadResources();
                    } else {
                        containers.clear();
                        networks.clear();
                        volumes.clear();
                        orphans.set(0);
                    }
                })
                .onError(e -> {
                    loaded.set(true);
                    available.set(false);
                    headline.set(e instanceof ApiProblem p && p.notAvailable()
                            ? "This server has no Docker support." : "The Docker status could not be read.");
                    reason.set(Notifier.describe(e));
                    hint.set("");
                })
                .start();
    }

    private void showStatus(DockerApi.Status s) {
        boolean up = s.available();
        available.set(up);
        loaded.set(true);
        if (up) {
            headline.set("Docker " + s.serverVersion() + " (API " + s.apiVersion() + ") at " + s.host());
            reason.set("");
            hint.set("");
        } else {
            headline.set("Docker is not available");
            reason.set(s.reason());
            hint.set(s.hint());
        }
        String adapter = s.runAdapter();
        runtime.set(adapter.isEmpty() ? "" : "Runs use the " + adapter + " adapter"
                + ("docker".equals(adapter) ? " · sidecar pool " + s.sidecarPoolReady() + "/"
                + s.sidecarPoolSize() + " ready · images " + (s.imagesReady() ? "ready" : "not built yet")
                : " (Docker is only needed for RUN_ADAPTER=docker)"));
    }

    private void loadResources() {
        Tasks.create(api::resources)
                .onSuccess(r -> {
                    containers.setAll(rows(r.containers()));
                    networks.setAll(rows(r.networks()));
                    volumes.setAll(rows(r.volumes()));
                    orphans.set(r.orphans());
                    message.set("");
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    private static List<ResourceRow> rows(List<DockerApi.Resource> list) {
        return list.stream().map(ResourceRow::of).toList();
    }

    private static List<ResourceRow> removed(DockerApi.Cleanup r) {
        return rows(r.removed().all());
    }

    /**
     * Dry run: exactly what a cleanup of {@code ids} (null = every orphan) would remove. When some belong to an
     * active run, {@code active} gets the server's explanation instead.
     */
    public void preview(List<String> ids, boolean force, Consumer<List<ResourceRow>> shown, Consumer<String> active) {
        Tasks.create(() -> api.cleanup(true, ids, force))
                .onSuccess(r -> shown.accept(removed(r)))
                .onError(e -> {
                    if (e instanceof ApiProblem p && p.status() == 409) {
                        active.accept(p.detail());
                    } else {
                        message.set(Notifier.describe(e));
                        loadResourcesIfUp();
                    }
                })
                .start();
    }

    /** Removes exactly these resources (as confirmed); reports what went and what failed. */
    public void remove(List<ResourceRow> confirmed, boolean force, BiConsumer<Integer, Integer> done) {
        List<String> ids = confirmed.stream().map(ResourceRow::id).toList();
        Tasks.create(() -> api.cleanup(false, ids, force))
                .onSuccess(r -> {
                    List<ResourceRow> gone = removed(r);
                    List<String> failures = r.failures();
                    result.set("Removed " + gone.size() + (gone.isEmpty() ? "" : ": " + String.join(", ",
                            gone.stream().map(ResourceRow::name).toList()))
                            + (failures.isEmpty() ? "" : "\nCould not remove " + failures.size() + ": " + String.join("; ", failures)));
                    done.accept(gone.size(), failures.size());
                    refresh();
                })
                .onError(e -> {
                    message.set(Notifier.describe(e));
                    refresh();
                })
                .start();
    }

    private void loadResourcesIfUp() {
        if (available.get()) {
            loadResources();
        }
    }
}
