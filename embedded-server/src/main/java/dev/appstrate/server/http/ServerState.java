package dev.appstrate.server.http;

/** Where the server is in its life: requests are gated on this. */
public final class ServerState {
    public enum Phase { STARTING, READY, SHUTTING_DOWN }

    private volatile Phase phase = Phase.STARTING;

    public Phase phase() {
        return phase;
    }

    public void ready() {
        if (phase == Phase.STARTING) {
            phase = Phase.READY;
        }
    }

    public void shuttingDown() {
        phase = Phase.SHUTTING_DOWN;
    }
}
