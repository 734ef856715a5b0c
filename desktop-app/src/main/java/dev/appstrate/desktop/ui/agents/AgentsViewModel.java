package dev.appstrate.desktop.ui.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
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
    /** One agent in the list. */
    public record AgentItem(String id, String displayName, String version, String description, int runningRuns) {
        static AgentItem of(JsonNode a) {
            return new AgentItem(DesktopJson.text(a, "id"), DesktopJson.text(a, "display_name"), DesktopJson.text(a, "version"),
                    DesktopJson.text(a, "description"), a.path("running_runs").asInt(0));
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

    private final AppstrateClient client;
    final ObservableList<AgentItem> agents = FXCollections.observableArrayList();
    final FilteredList<AgentItem> filtered = new FilteredList<>(agents, a -> true);
    final StringProperty query = new SimpleStringProperty("");
    final StringProperty message = new SimpleStringProperty("");
    final ObservableList<String> importErrors = FXCollections.observableArrayList();
    final ObjectProperty<JsonNode> detail = new SimpleObjectProperty<>();
    final ObservableList<String> versions = FXCollections.observableArrayList();
    final BooleanProperty busy = new SimpleBooleanProperty();
    private String pendingSelection;

    public AgentsViewModel(AppstrateClient client) {
        this.client = client;
        query.addListener((obs, o, q) -> filtered.setPredicate(a -> q == null || q.isBlank() || a.matches(q.trim())));
    }

    public ObservableList<AgentItem> agents() {
        return agents;
    }

    public ObservableList<String> importErrors() {
        return importErrors;
    }

    public ObjectProperty<JsonNode> detailProperty() {
        return detail;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public void refresh() {
        Tasks.create(() -> client.agents().path("data"))
                .onSuccess(data -> {
                    List<AgentItem> items = new java.util.ArrayList<>();
                    data.forEach(a -> items.add(AgentItem.of(a)));
                    agents.setAll(items);
                    message.set(items.isEmpty() ? "No agents yet: import an .afps file (button or drop it here)." : "");
                })
                .onError(e -> message.set(e instanceof ApiProblem p && p.notAvailable()
                        ? "Agents are not available on this server yet." : Notifier.describe(e)))
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
        Tasks.create(() -> client.importPackage(file, false))
                .onSuccess(r -> {
                    message.set("Imported " + DesktopJson.text(r, "packageId") + " " + DesktopJson.text(r, "version"));
                    pendingSelection = DesktopJson.text(r, "packageId");
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
        Tasks.create(() -> client.agent(packageId))
                .onSuccess(detail::set)
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
        Tasks.create(() -> client.agentVersions(packageId))
                .onSuccess(v -> {
                    List<String> out = new java.util.ArrayList<>();
                    JsonNode list = v.has("versions") ? v.get("versions") : v.path("data");
                    list.forEach(x -> out.add(x.isTextual() ? x.asText()
                            : DesktopJson.text(x, "version") + "  " + DesktopJson.text(x, "createdAt")));
                    versions.setAll(out);
                })
                .onError(e -> versions.setAll(List.of()))
                .start();
    }
}
