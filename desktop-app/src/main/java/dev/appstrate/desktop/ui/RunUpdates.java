package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.ReconnectingStream;
import dev.appstrate.desktop.concurrent.NamedExecutors;
import java.util.concurrent.ScheduledExecutorService;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.util.Duration;

/**
 * The one way a page follows runs as they start, change and end: the application's {@code run_update} stream (SSE,
 * not the log lines), reopened by itself after a drop; each burst of updates, and each reopening (updates may have
 * been missed meanwhile), is one reload, 400 ms after the last. Runs and Schedules use it while they are shown.
 */
public final class RunUpdates {
    /** Reconnects of these streams; one named thread, gone when idle. */
    private static final ScheduledExecutorService LIVE = NamedExecutors.namedScheduler("runs-live");
    private final AppstrateClient client;
    private final PauseTransition debounce = new PauseTransition(Duration.millis(400));
    private final BooleanProperty live = new SimpleBooleanProperty(false);
    private ReconnectingStream stream;

    /** {@code reload} runs on the FX thread. */
    public RunUpdates(AppstrateClient client, Runnable reload) {
        this.client = client;
        debounce.setOnFinished(e -> reload.run());
    }

    /** Whether the stream is open now ("● live"). */
    public BooleanProperty liveProperty() {
        return live;
    }

    public void start() {
        if (stream != null) {
            return;
        }
        stream = new ReconnectingStream((from, listener) -> client.runUpdates(listener), LIVE, new ReconnectingStream.Listener() {
            @Override
            public void opened(boolean again) {
                Platform.runLater(() -> {
                    live.set(true);
                    if (again) {
                        debounce.playFromStart();
                    }
                });
            }

            @Override
            public void event(String type, String data) {
                if ("run_update".equals(type)) {
                    Platform.runLater(debounce::playFromStart);
                }
            }

            @Override
            public void dropped(long retrySeconds) {
                Platform.runLater(() -> live.set(false));
            }

            @Override
            public void refused(int code) {
                Platform.runLater(() -> live.set(false));
            }
        });
        stream.start(0);
    }

    public void stop() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
        debounce.stop();
        live.set(false);
    }
}
