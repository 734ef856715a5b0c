package dev.appstrate.desktop.ui.agents;

import dev.appstrate.desktop.client.AgentsApi;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Tasks;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/** The agents list, search, import and the selected agent's detail. */
public final class AgentsViewModel {
    /** The empty list: the two ways an agent gets here (an agent folder made on In development is not listed until installed). */
    public static final String NO_AGENTS = "No agents installed yet: import an .afps file (button or drop it here), or "
            + "install a folder from In development (Install as version…).";
    /** One agent in the list. */
    public record AgentItem(String id, String displayName, String version, String description, int runningRuns) {
        static AgentItem of(AgentsApi.Agent a) {
            return new AgentItem(a.id(), a.displayName(), a.version(), a.description(), a.runningRuns());
        }

        boolean matches(String q) {
            String s = q.toLowerCase(Locale.ROOT);
            return id.toLowerCase(Locale.ROOT).contains(s) || displayName.toLowerCase(Locale.ROOT).contains(s)
                    || description.toLowerCase(Locale.ROOT).contains(s);
        }

        @Override
        public String toString() {
            return displayName.isEmpty() ? id : displayName;
        }
    }

    private final AgentsApi api;
    final ObservableList<AgentItem> agents = FXCollections.observableArrayList();
    final FilteredList<AgentItem> filtered = new FilteredList<>(agents, a -> true);
    final StringProperty query = new SimpleStringProperty("");
    final StringProperty message = new SimpleStringProperty("");
    final ObservableList<String> importErrors = FXCollections.observableArrayList();
    final ObjectProperty<AgentsApi.Detail> detail = new SimpleObjectProperty<>();
    final ObservableList<String> versions = FXCollections.observableArrayList();
    final BooleanProperty busy = new SimpleBooleanProperty();
    private String pendingSelection;

    public AgentsViewModel(AppstrateClient client) {
        this.api = new AgentsApi(client);
        query.addListener((obs, o, q) -> filtered.setPredicate(a -> q == null || q.isBlank() || a.matches(q.trim())));
    }

    public ObservableList<AgentItem> agents() {
        return agents;
    }

    public ObservableList<String> importErrors() {
        return importErrors;
    }

    public ObjectProperty<AgentsApi.Detail> detailProperty() {
        return detail;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public void refresh() {
        Tasks.create(api::list)
                .onSuccess(data -> {
                    List<AgentItem> items = data.stream().map(AgentItem::of).toList();
                    agents.setAll(items);
                    message.set(items.isEmpty() ? NO_AGENTS : "");
                })
                .onError(e -> message.set(Notifier.describeLoad("Agents", e)))
                .start();
    }

    /** Imports an .afps package; field errors from the server are listed one per line. */
    public void importFile(Path file, Runnable onImported) {
        importErrors.clear();
        if (!file.getFileName().toString().matches("(?i).*\\.(afps|zip)$")) {
            importErrors.add(file.getFileName() + ": choose an .afps (or .zip) agent package");
            return;
        }
        busy.set(true);
        Tasks.create(() -> api.importPackage(file, false))
                .onSuccess(r -> {
                    message.set("Imported " + r.packageId() + " " + r.version());
                    pendingSelection = r.packageId();
                    refresh();
                    onImported.run();
                })
                .onError(e -> {
                    if (e instanceof ApiProblem p) {
                        importErrors.add(file.getFileName() + ": " + p.detail());
                        p.errors().forEach(fe -> importErrors.add((fe.field().isEmpty() ? "" : fe.field() + ": ") + fe.message()));
                    } else {
                        importErrors.add(file.getFileName() + ": " + Notifier.describe(e));
                    }
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    String takePendingSelection() {
        String s = pendingSelection;
        pendingSelection = null;
        return s;
    }

    public void loadDetail(String packageId) {
        if (packageId == null) {
            detail.set(null);
            versions.clear();
            return;
        }
        Tasks.create(() -> api.detail(packageId))
                .onSuccess(detail::set)
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
        Tasks.create(() -> api.versions(packageId))
                .onSuccess(v -> versions.setAll(v.stream()
                        .map(x -> x.createdAt().isEmpty() ? x.version() : x.version() + "  " + x.createdAt()).toList()))
                .onError(e -> versions.setAll(List.of()))
                .start();
    }
}
