package dev.appstrate.desktop.ui.schedules;

import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.SchedulesApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Shown;
import dev.appstrate.desktop.ui.Tasks;
import java.util.ArrayList;
import java.util.List;
import javafx.animation.PauseTransition;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

/**
 * The cron field's live preview: while the user types, asks (debounced) for the expression's description and
 * next fire times in the chosen zone — the server's preview, or on a server without one the same rules computed
 * locally ({@link SchedulesApi#preview}). Answers to older keystrokes are dropped.
 */
public final class CronPreview {
    static final Duration DEBOUNCE = Duration.millis(300);
    public static final int COUNT = 5;

    private final SchedulesApi api;
    private final PauseTransition debounce = new PauseTransition(DEBOUNCE);
    final StringProperty expression = new SimpleStringProperty("");
    final StringProperty timezone = new SimpleStringProperty("UTC");
    final StringProperty description = new SimpleStringProperty("");
    final StringProperty cronError = new SimpleStringProperty("");
    final StringProperty zoneError = new SimpleStringProperty("");
    final ObservableList<String> nextRuns = FXCollections.observableArrayList();
    /** True from a keystroke until its answer: the form cannot be saved on a stale preview. */
    final BooleanProperty pending = new SimpleBooleanProperty(false);
    private long sequence;
    private Runnable onResult = () -> { };

    public CronPreview(SchedulesApi api) {
        this.api = api;
        debounce.setOnFinished(e -> ask());
        expression.addListener((obs, o, n) -> changed());
        timezone.addListener((obs, o, n) -> changed());
    }

    /** Called on the FX thread after each answer (to re-run the field validation). */
    void onResult(Runnable r) {
        this.onResult = r;
    }

    public ObservableList<String> nextRuns() {
        return nextRuns;
    }

    public StringProperty descriptionProperty() {
        return description;
    }

    public StringProperty cronErrorProperty() {
        return cronError;
    }

    public BooleanProperty pendingProperty() {
        return pending;
    }

    /** The expression and zone are known good: an answer came for exactly these and named no problem. */
    public boolean valid() {
        return !pending.get() && cronError.get().isEmpty() && zoneError.get().isEmpty() && !description.get().isEmpty();
    }

    private void changed() {
        pending.set(true);
        sequence++;
        debounce.playFromStart();
    }

    private void ask() {
        long seq = ++sequence;
        String expr = expression.get() == null ? "" : expression.get().trim();
        String zone = timezone.get();
        if (expr.isEmpty()) {
            show(seq, null, "", ""); // nothing typed yet is not an error: Save simply waits for an expression
            return;
        }
        Tasks.create(() -> api.preview(expr, zone, COUNT))
                .onSuccess(r -> show(seq, r, "", ""))
                .onError(e -> {
                    if (e instanceof ApiProblem p && p.status() == 400) {
                        boolean zoneProblem = "timezone".equals(p.param());
                        show(seq, null, zoneProblem ? "" : p.detail(), zoneProblem ? p.detail() : "");
                    } else {
                        show(seq, null, Notifier.describe(e), "");
                    }
                })
                .start();
    }

    private void show(long seq, SchedulesApi.Preview answer, String cronProblem, String zoneProblem) {
        if (seq != sequence) {
            return; // the user typed on since: a newer answer is coming
        }
        cronError.set(cronProblem);
        zoneError.set(zoneProblem);
        if (answer == null) {
            description.set("");
            nextRuns.clear();
        } else {
            description.set(answer.description());
            List<String> runs = new ArrayList<>();
            answer.nextLocal().forEach(local -> runs.add(Shown.offsetTime(local)));
            nextRuns.setAll(runs);
        }
        pending.set(false);
        onResult.run();
    }
}
