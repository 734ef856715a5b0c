package dev.appstrate.server.runs;

/**
 * Which server instance runs which run, so that the watchdog and boot recovery of one instance never fail a run
 * another live instance is running, and a survivor fails once the runs of an instance that died. On one server
 * ({@link #LOCAL}) every run in the database is this server's.
 */
public interface RunOwnership {
    /** One server: no peers, so boot recovery fails every active run it finds (they were left by a crash). */
    RunOwnership LOCAL = new RunOwnership() {
        @Override
        public void claim(String runId) {
        }

        @Override
        public void release(String runId) {
        }

        @Override
        public boolean runByLivePeer(RunRecord run) {
            return false;
        }

        @Override
        public boolean shared() {
            return false;
        }
    };

    /** This instance is about to run it (called before the run's row exists). */
    void claim(String runId);

    /** This instance no longer runs it. */
    void release(String runId);

    /** True when another instance that is still alive runs it, or may be about to (its row is newer than the owner's grace). */
    boolean runByLivePeer(RunRecord run);

    /** True when other instances may share the database: the watchdog then also looks for runs of dead instances. */
    boolean shared();

    /** Asks the instance running it to stop its runner (a user cancelled it elsewhere); nothing on one server. */
    default void requestStop(String runId) {
    }
}
