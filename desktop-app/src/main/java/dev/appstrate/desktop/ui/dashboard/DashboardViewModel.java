package dev.appstrate.desktop.ui.dashboard;

import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DockerApi;
import dev.appstrate.desktop.client.Health;
import dev.appstrate.desktop.client.Run;
import dev.appstrate.desktop.client.RunsApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Tasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The dashboard's state: server health and run counts, loaded off the FX thread. */
public final class DashboardViewModel {
    /** One recent failed run for the list. */
    public record FailedRun(String id, String agent, String when, String error) {
    }

    private final AppstrateClient client;
    private final RunsApi runs;
    private final String localRunAdapter;
    // a server's adapter is fixed until it restarts: /api/docker (which probes the engine) is asked until it answers once
    private volatile String remoteRunAdapter;
    final StringProperty serverUrl = new SimpleStringProperty("");
    final StringProperty status = new SimpleStringProperty("…");
    final StringProperty version = new SimpleStringProperty("…");
    final StringProperty uptime = new SimpleStringProperty("…");
    final StringProperty database = new SimpleStringProperty("…");
    final StringProperty runAdapter = new SimpleStringProperty("…");
    final StringProperty docker = new SimpleStringProperty("…");
    // the engine's reason sits under the status in small print, not in the card's large value font
    final StringProperty dockerReason = new SimpleStringProperty("");
    final StringProperty activeRuns = new SimpleStringProperty("…");
    final StringProperty runsNote = new SimpleStringProperty("");
    final StringProperty error = new SimpleStringProperty("");
    /** What connecting found, once: server kind, credential, what the key lacks. */
    final StringProperty connection = new SimpleStringProperty("");
    private String connectionSummary = "";
    final BooleanProperty loading = new SimpleBooleanProperty(false);
    final ObservableList<FailedRun> failures = FXCollections.observableArrayList();

    public DashboardViewModel(AppstrateClient client, String localRunAdapter) {
        this.client = client;
        this.runs = new RunsApi(client);
        this.localRunAdapter = localRunAdapter;
        serverUrl.set(client.endpoint().baseUrl());
    }

    /** The connect checks' one-line result (see ServerConnect); what the key lacks is added as the app learns it. */
    public void connectionSummary(String summary) {
        connectionSummary = summary == null ? "" : summary;
        connection.set(connectionText());
    }

    String connectionText() {
        var caps = client.capabilities();
        var lacking = caps.lacking();
        String base = connectionSummary;
        if (lacking.isEmpty()) {
            return base;
        }
        return (base.isEmpty() ? "" : base + "\n") + "This key lacks " + caps.lackingSummary()
                + ": what needs it is hidden or says so.";
    }

    /** What the background load found, applied to the properties on the FX thread at once. */
    private record Snapshot(Health health, String active, String runsNote, List<FailedRun> failures, String runAdapter) {
    }

    public void refresh(Notifier notifier) {
        if (loading.get()) {
            return;
        }
        loading.set(true);
        Tasks.create(this::load)
                .onSuccess(this::apply)
                .onError(e -> {
                    status.set("unreachable");
                    error.set(Notifier.describe(e));
                })
                .andFinally(() -> loading.set(false))
                .start();
    }

    private Snapshot load() {
        Health h = client.health();
        String active;
        String note = "";
        List<FailedRun> failed = new ArrayList<>();
        try {
            long running = runs.page(null, "running", 1, 0).totalOr();
            long pending = runs.page(null, "pending", 1, 0).totalOr();
            active = String.valueOf(running + pending);
            for (Run r : runs.page(null, "failed", 5, 0).data()) {
                failed.add(new FailedRun(r.id(), r.agent(), dev.appstrate.desktop.ui.Shown.when(r.startedAt()), r.errorMessage()));
            }
        } catch (ApiProblem p) {
            active = "—";
            note = p.notAvailable() ? "Runs are not available on this server yet."
                    : p.unauthorized() ? "Not authorized to list runs: " + p.detail() : p.detail();
        }
        return new Snapshot(h, active, note, failed, runAdapter());
    }

    /** As the server reports it: the local server's setting, or ours remotely in GET /api/docker (no /health names it). */
    private String runAdapter() {
        if (localRunAdapter != null) {
            return localRunAdapter;
        }
        DockerApi docker = new DockerApi(client);
        if (remoteRunAdapter == null && docker.supported()) {
            try {
                String adapter = docker.status().runAdapter();
                if (!adapter.isEmpty()) {
                    remoteRunAdapter = adapter;
                }
            } catch (ApiProblem p) {
                // a key without the Docker page's scope: the adapter stays unreported
            }
        }
        return remoteRunAdapter != null ? remoteRunAdapter : "not reported by this server";
    }

    private void apply(Snapshot s) {
        Health h = s.health();
        error.set("");
        status.set(h.status());
        version.set(h.version().isEmpty() ? "—" : h.version());
        uptime.set(h.uptimeMs() < 0 ? "—" : formatUptime(h.uptimeMs()));
        // the engine only as the server reports it (ours does, in /api/capabilities); never assumed
        String engine = client.capabilities().database();
        database.set(h.database().isEmpty() ? (engine.isEmpty() ? "not reported" : engine)
                : engine.isEmpty() ? h.database() : engine + " · " + h.database());
        connection.set(connectionText());
        runAdapter.set(s.runAdapter());
        Optional<Health.Check> d = h.check("docker");
        docker.set(d.map(c -> c.status().isEmpty() ? "unknown" : c.status()).orElse("not reported by this server"));
        dockerReason.set(d.map(Health.Check::why).orElse(""));
        activeRuns.set(s.active());
        runsNote.set(s.runsNote());
        failures.setAll(s.failures());
    }

    static String formatUptime(long ms) {
        Duration d = Duration.ofMillis(ms);
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m " + d.toSecondsPart() + "s";
        }
        return d.toSeconds() + "s";
    }
}
