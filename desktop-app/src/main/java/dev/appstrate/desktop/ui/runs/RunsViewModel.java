package dev.appstrate.desktop.ui.runs;

import dev.appstrate.desktop.client.AgentsApi;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.RunsApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.RunUpdates;
import dev.appstrate.desktop.ui.Tasks;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/** The runs table: server-side filters (agent, status), a date filter, and live updates over SSE. */
public final class RunsViewModel {
    public static final String ALL = "All";
    private final RunsApi api;
    private final AgentsApi agents;
    final ObservableList<RunRow> runs = FXCollections.observableArrayList();
    final FilteredList<RunRow> filtered = new FilteredList<>(runs, r -> true);
    final ObservableList<String> agentChoices = FXCollections.observableArrayList(ALL);
    final StringProperty agent = new SimpleStringProperty(ALL);
    final StringProperty status = new SimpleStringProperty(ALL);
    final ObjectProperty<LocalDate> since = new SimpleObjectProperty<>();
    /** Text search over what the table shows: run id, agent, status, error and input. */
    final StringProperty search = new SimpleStringProperty("");
    final StringProperty message = new SimpleStringProperty("");
    /** What the empty table says, once a load found nothing ("" before: an empty state during the load or after an error would mislead). */
    final StringProperty empty = new SimpleStringProperty("");
    final StringProperty total = new SimpleStringProperty("");
    private final RunUpdates updates;
    final BooleanProperty live;

    public RunsViewModel(AppstrateClient client) {
        this.api = new RunsApi(client);
        this.agents = new AgentsApi(client);
        this.updates = new RunUpdates(client, this::refresh);
        this.live = updates.liveProperty();
        agent.addListener((o, a, b) -> refresh());
        status.addListener((o, a, b) -> refresh());
        since.addListener((o, a, d) -> applyFilter());
        search.addListener((o, a, t) -> applyFilter());
    }

    public ObservableList<RunRow> runs() {
        return runs;
    }

    public StringProperty agentProperty() {
        return agent;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public StringProperty searchProperty() {
        return search;
    }

    private void applyFilter() {
        LocalDate d = since.get();
        String q = search.get() == null ? "" : search.get().strip().toLowerCase(java.util.Locale.ROOT);
        filtered.setPredicate(r -> (d == null || startedOnOrAfter(r, d)) && (q.isEmpty() || r.searchText().contains(q)));
    }

    private static boolean startedOnOrAfter(RunRow r, LocalDate d) {
        try {
            return !java.time.Instant.parse(r.startedIso()).atZone(ZoneId.systemDefault()).toLocalDate().isBefore(d);
        } catch (RuntimeException e) {
            return true;
        }
    }

    public void refresh() {
        String a = ALL.equals(agent.get()) ? null : agent.get();
        String s = ALL.equals(status.get()) ? null : status.get();
        Tasks.create(() -> api.page(a, s, 100, 0))
                .onSuccess(page -> {
                    List<RunRow> rows = new ArrayList<>();
                    page.data().forEach(r -> rows.add(new RunRow(r)));
                    replaceRows(rows);
                    total.set(dev.appstrate.desktop.ui.Plural.of(page.totalOr(), "run"));
                    empty.set(rows.isEmpty() ? "No runs yet. Start one from the Agents page." : "");
                    message.set("");
                })
                .onError(e -> message.set(Notifier.describeLoad("Runs", e)))
                .start();
        Tasks.create(agents::list)
                .onSuccess(data -> {
                    List<String> ids = new ArrayList<>(List.of(ALL));
                    data.forEach(x -> ids.add(x.id()));
                    if (!ids.equals(agentChoices)) {
                        String keep = agent.get();
                        agentChoices.setAll(ids);
                        agent.set(ids.contains(keep) ? keep : ALL);
                    }
                })
                .onError(e -> { })
                .start();
    }

    /** The rows of a load; the page's table keeps what the user selected (the first load lands after a click). */
    void replaceRows(List<RunRow> rows) {
        runs.setAll(rows);
    }

    public void cancel(RunRow r, Notifier n) {
        Tasks.create(() -> api.cancel(r.id()))
                .onSuccess(x -> {
                    n.info("Run cancelled");
                    refresh();
                })
                .onError(n::error)
                .start();
    }

    /** Deletes every finished run of the agent (the API deletes per agent). */
    public void deleteRunsOf(String agentId, Notifier n) {
        Tasks.create(() -> api.deleteAgentRuns(agentId))
                .onSuccess(count -> {
                    n.info("Deleted " + count + " runs of " + agentId);
                    refresh();
                })
                .onError(n::error)
                .start();
    }

    /** Follows the application's runs while the page is shown: each burst of run updates reloads the table. */
    public void startLive() {
        updates.start();
    }

    public void stopLive() {
        updates.stop();
    }
}
