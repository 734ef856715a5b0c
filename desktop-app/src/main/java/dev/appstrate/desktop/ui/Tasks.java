package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.concurrent.NamedExecutors;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import javafx.concurrent.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small fluent builder over {@link Task} so that nothing blocks the FX thread:
 * {@code Tasks.create(() -> client.agents()).onSuccess(vm::show).onError(vm::fail).start()}.
 * Callbacks run on the FX thread.
 */
public final class Tasks {
    private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);
    private static final ExecutorService EXECUTOR = NamedExecutors.namedDaemonPool("ui-worker", 6);
    /** How many tasks are running (FX thread); the status bar shows a spinner while it is above zero. */
    private static final javafx.beans.property.IntegerProperty RUNNING = new javafx.beans.property.SimpleIntegerProperty(0);

    private Tasks() {
    }

    public static <T> Builder<T> create(Callable<T> work) {
        return new Builder<>(work);
    }

    public static Builder<Void> run(Runnable work) {
        return new Builder<>(() -> {
            work.run();
            return null;
        });
    }

    public static javafx.beans.property.ReadOnlyIntegerProperty runningProperty() {
        return RUNNING;
    }

    public static ExecutorService executor() {
        return EXECUTOR;
    }

    public static final class Builder<T> {
        private final Callable<T> work;
        private Consumer<T> onSuccess = v -> { };
        private Consumer<Throwable> onError = e -> LOG.warn("Background task failed: {}", e.toString());
        private Runnable onFinally = () -> { };

        private Builder(Callable<T> work) {
            this.work = work;
        }

        public Builder<T> onSuccess(Consumer<T> c) {
            this.onSuccess = c;
            return this;
        }

        public Builder<T> onError(Consumer<Throwable> c) {
            this.onError = c;
            return this;
        }

        /** Runs after success, failure or cancellation (e.g. to hide a progress indicator). */
        public Builder<T> andFinally(Runnable r) {
            this.onFinally = r;
            return this;
        }

        public Task<T> build() {
            Task<T> task = new Task<>() {
                @Override
                protected T call() throws Exception {
                    return work.call();
                }
            };
            task.setOnSucceeded(e -> {
                try {
                    onSuccess.accept(task.getValue());
                } finally {
                    done();
                }
            });
            task.setOnFailed(e -> {
                try {
                    onError.accept(task.getException());
                } finally {
                    done();
                }
            });
            task.setOnCancelled(e -> done());
            return task;
        }

        private void done() {
            RUNNING.set(Math.max(0, RUNNING.get() - 1));
            onFinally.run();
        }

        /** Runs through {@code executor}: the FX worker pool in the app, the calling thread in ViewModel tests. */
        public void on(TaskExecutor executor) {
            executor.execute(this);
        }

        /** Runs the work and its callbacks on this thread (no FX thread needed). */
        public void runHere() {
            T value;
            try {
                value = work.call();
            } catch (Exception e) {
                try {
                    onError.accept(e);
                } finally {
                    onFinally.run();
                }
                return;
            }
            try {
                onSuccess.accept(value);
            } finally {
                onFinally.run();
            }
        }

        /** Starts on the shared worker pool; the returned task can be cancelled or bound to a progress bar. */
        public Task<T> start() {
            Task<T> task = build();
            if (javafx.application.Platform.isFxApplicationThread()) {
                RUNNING.set(RUNNING.get() + 1);
            } else {
                javafx.application.Platform.runLater(() -> RUNNING.set(RUNNING.get() + 1));
            }
            EXECUTOR.execute(task);
            return task;
        }
    }
}
