package dev.appstrate.desktop.ui.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.client.AgentsApi;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.InlineRunsApi;
import dev.appstrate.desktop.client.Run;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Shown;
import dev.appstrate.desktop.ui.TaskExecutor;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.logs.LogLine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One run as its page shows it: metadata, input, output and error; cancel, run again, export the stored log. */
public final class RunDetailViewModel {
    private static final Set<String> ACTIVE = Set.of("running", "pending");

    private final AppstrateClient client;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    /** Opens a run by id (the navigator in the app). */
    private final Consumer<String> openRun;
    final StringProperty runId = new SimpleStringProperty("");
    final StringProperty status = new SimpleStringProperty("");
    final StringProperty agent = new SimpleStringProperty("");
    final StringProperty started = new SimpleStringProperty("");
    final StringProperty duration = new SimpleStringProperty("");
    final StringProperty cost = new SimpleStringProperty("");
    final StringProperty output = new SimpleStringProperty("");
    final StringProperty input = new SimpleStringProperty("");
    final StringProperty model = new SimpleStringProperty("");
    final StringProperty error = new SimpleStringProperty("");
    final ObjectProperty<Run> shownRun = new SimpleObjectProperty<>();

    public RunDetailViewModel(AppstrateClient client, TaskExecutor tasks, Notifier notifier, Consumer<String> openRun) {
        this.client = client;
        this.tasks = tasks;
        this.notifier = notifier;
        this.openRun = openRun;
    }

    public String runId() {
        return runId.get();
    }

    public String status() {
        return status.get();
    }

    public String agent() {
        return agent.get();
    }

    public String output() {
        return output.get();
    }

    /** The input the run was sent, as shown (pretty JSON, or "" for none). */
    public String input() {
        return input.get();
    }

    public String model() {
        return model.get();
    }

    public String error() {
        return error.get();
    }

    public String duration() {
        return duration.get();
    }

    public String cost() {
        return cost.get();
    }

    /** Whether the run is still going (cancel is offered). */
    public boolean active() {
        return ACTIVE.contains(status.get());
    }

    /** Shows {@code id}: clears what the last run showed, then loads this one. */
    public void load(String id) {
        runId.set(id);
        for (StringProperty p : new StringProperty[] {status, agent, model, output, input, error, started, duration, cost}) {
            p.set("");
        }
        shownRun.set(null);
        reload();
    }

    public void reload() {
        String id = runId.get();
        tasks.execute(Tasks.create(() -> Run.of(client.run(id)))
                .onSuccess(this::show)
                .onError(e -> error.set(Notifier.describe(e))));
    }

    /**
     * A live {@code run_update} (status only, or the whole run): returns true when it ends the run, after which the
     * run is reloaded for its output, cost and error.
     */
    public boolean update(JsonNode update) {
        String s = Run.of(update).status();
        if (s.isEmpty() || s.equals(status.get())) {
            return false;
        }
        status.set(s);
        if (ACTIVE.contains(s)) {
            return false;
        }
        reload();
        return true;
    }

    void show(Run run) {
        shownRun.set(run);
        status.set(run.status() == null ? "" : run.status());
        agent.set(run.agent());
        model.set((run.modelLabel() == null ? "" : run.modelLabel())
                + ("system".equals(run.modelSource()) ? " (from the server's environment)" : ""));
        JsonNode sent = run.inputObject();
        input.set(sent == null ? "" : DesktopJson.pretty(sent));
        started.set(Shown.when(run.startedAt()));
        duration.set(RunRow.formatDuration(run.durationMs()));
        cost.set(RunRow.costAndTokens(run));
        // run output is free-form JSON: shown as the agent produced it
        JsonNode out = run.output();
        output.set(out == null ? "" : DesktopJson.pretty(out));
        // a cancel is the user's own act: the neutral "cancelled" chip says it, not a red error line
        error.set("cancelled".equals(run.status()) ? "" : run.errorMessage());
    }

    /**
     * Starts the same agent again with the same input and opens the new run; false when no run is shown yet. An inline
     * run (an agent folder's) is started inline again with the manifest and prompt it ran: it has no package to run.
     */
    public boolean runAgain() {
        Run run = shownRun.get();
        if (run == null) {
            return false;
        }
        String agentId = run.agent();
        JsonNode sent = run.input() != null && run.input().isObject() ? run.input() : null;
        ObjectNode inline = run.inlineBody();
        tasks.execute(Tasks.create(() -> inline != null ? Run.of(new InlineRunsApi(client).run(inline))
                        : new AgentsApi(client).run(agentId, sent, null))
                .onSuccess(r -> {
                    notifier.info("Started " + agentId + " again with the same input");
                    openRun.accept(r.id());
                })
                .onError(notifier::error));
        return true;
    }

    public void cancel() {
        String id = runId.get();
        tasks.execute(Tasks.create(() -> client.cancelRun(id))
                .onSuccess(r -> {
                    show(Run.of(r));
                    notifier.info("Run cancelled");
                })
                .onError(notifier::error));
    }

    /** Writes every stored line of the run from the server (not just the view's buffer) to {@code file}; blocking. */
    public long exportLog(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            return client.exportRunLogs(runId.get(), out, row -> LogLine.fromJson(row).exportText());
        }
    }

    /** {@link #exportLog} off the UI thread, with a notice when done. */
    public void export(Path file) {
        tasks.execute(Tasks.create(() -> exportLog(file))
                .onSuccess(n -> notifier.info("Exported " + n + " log lines to " + file))
                .onError(notifier::error));
    }
}
