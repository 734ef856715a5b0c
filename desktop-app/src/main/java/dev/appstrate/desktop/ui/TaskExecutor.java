package dev.appstrate.desktop.ui;

/**
 * Where a ViewModel's background work runs: the shared FX worker pool in the app, the calling thread in
 * unit tests (so a ViewModel test needs no FX thread and waits for nothing).
 */
public interface TaskExecutor {
    <T> void execute(Tasks.Builder<T> task);

    /** The app's: a worker thread, callbacks on the FX thread. */
    TaskExecutor FX = new TaskExecutor() {
        @Override
        public <T> void execute(Tasks.Builder<T> task) {
            task.start();
        }
    };

    /** Tests': work and callbacks run at once on the caller's thread. */
    TaskExecutor SAME_THREAD = new TaskExecutor() {
        @Override
        public <T> void execute(Tasks.Builder<T> task) {
            task.runHere();
        }
    };
}
