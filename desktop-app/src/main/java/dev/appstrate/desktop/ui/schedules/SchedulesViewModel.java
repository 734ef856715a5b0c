package dev.appstrate.desktop.ui.schedules;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.SchedulesApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.RunUpdates;
import dev.appstrate.desktop.ui.Shown;
import dev.appstrate.desktop.ui.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The application's schedules, the selected one's recent fires, and the actions on them. */
public final class SchedulesViewModel {
    /**
     * The schedule dialog with no installed agent: a schedule runs an installed version, so an agent made on In
     * development (and run there) is not offered until it is installed; the text says where both ways are.
     */
    public static final String NO_INSTALLED_AGENT = "No installed agent yet: a schedule runs an installed version. Import an "
            + ".afps on Agents, or install a folder from In development (Install as version…).";
    /** One occurrence of a schedule: when, why (cron, catch-up, manual), how it went (its run's status once it has one), and its run. */
    public record FireRow(String fireTime, String trigger, String status, String runId, String error) {
        static FireRow of(SchedulesApi.Fire f) {
            return new FireRow(Shown.when(f.fireTime()), f.trigger(), f.status(), f.runId(), f.error());
        }
    }

    private final SchedulesApi api;
    final ObservableList<ScheduleRow> schedules = FXCollections.observableArrayList();
    final ObservableList<FireRow> fires = FXCollections.observableArrayList();
    final StringProperty message = new SimpleStringProperty("");
    /** What the empty table says, once a load found nothing ("" before: an empty state during the load or after an error would mislead). */
    final StringProperty empty = new SimpleStringProperty("");
    private String firesOf;

    /** The schedules' last and next runs, and the selected one's recent runs, follow the runs as they start and end. */
    private final RunUpdates updates;

    public SchedulesViewModel(AppstrateClient client) {
        this.api = new SchedulesApi(client);
        this.updates = new RunUpdates(client, this::refresh);
    }

    /** While the page is shown: a fire starts a run and a run ends, and the page shows it without a Refresh. */
    public void startLive() {
        updates.start();
    }

    public void stopLive() {
        updates.stop();
    }

    public ObservableList<ScheduleRow> schedules() {
        return schedules;
    }

    public ObservableList<FireRow> fires() {
        return fires;
    }

    public StringProperty messageProperty() {
        return message;
    }

    SchedulesApi api() {
        return api;
    }

    public void refresh() {
        Tasks.create(api::list)
                .onSuccess(data -> {
                    List<ScheduleRow> rows = new ArrayList<>();
                    data.forEach(s -> rows.add(new ScheduleRow(s)));
                    schedules.setAll(rows);
                    empty.set(rows.isEmpty() ? "No schedules yet: create one to run an agent on a cron expression." : "");
                    message.set("");
                    if (firesOf != null) {
                        loadFires(firesOf);
                    }
                })
                .onError(e -> message.set(Notifier.describeLoad("Schedules", e)))
                .start();
    }

    public void loadFires(String scheduleId) {
        firesOf = scheduleId;
        if (scheduleId == null) {
            fires.clear();
            return;
        }
        Tasks.create(() -> api.fires(scheduleId, 20))
                .onSuccess(data -> {
                    if (!scheduleId.equals(firesOf)) {
                        return;
                    }
                    List<FireRow> rows = new ArrayList<>();
                    data.forEach(f -> rows.add(FireRow.of(f)));
                    fires.setAll(rows);
                })
                .onError(e -> fires.clear())
                .start();
    }

    /** Pause (no next run until resumed) or resume (the next run is computed from now). */
    public void setEnabled(ScheduleRow row, boolean enabled, Consumer<String> done) {
        Tasks.create(() -> api.setEnabled(row.id(), enabled))
                .onSuccess(s -> {
                    done.accept(row.shownName() + (enabled ? " resumed" : " paused"));
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    /** Whether "Run now" is offered: the original has no such operation. */
    public boolean canRunNow() {
        return api.canRunNow();
    }

    public void runNow(ScheduleRow row, Consumer<String> done) {
        Tasks.create(() -> api.runNow(row.id()))
                .onSuccess(f -> {
                    done.accept(row.shownName() + ": run started" + (f.error().isEmpty() ? "" : " — " + f.error()));
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    /** Deletes the schedule; {@code done} says so ("Deleted schedule 'nightly'"), as the page's other actions do. */
    public void delete(ScheduleRow row, Consumer<String> done) {
        Tasks.run(() -> api.delete(row.id()))
                .onSuccess(x -> {
                    done.accept("Deleted schedule '" + row.shownName() + "'");
                    if (row.id().equals(firesOf)) {
                        loadFires(null);
                    }
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }
}
