package dev.appstrate.server;

/** Another server holds the data folder; the message names it (pid, port) and says what to do. */
public final class DataFolderInUseException extends RuntimeException {
    private final String holderPid;
    private final String holderPort;

    public DataFolderInUseException(String dataDir, String holderPid, String holderPort) {
        super("The data folder " + dataDir + " is in use by another Appstrate server (pid " + holderPid + ", port "
                + holderPort + "). Use that server, stop it first, or start this one with another DATA_DIR.");
        this.holderPid = holderPid;
        this.holderPort = holderPort;
    }

    public String holderPid() {
        return holderPid;
    }

    /** The port the other server listens on, or "starting" while it has not bound one yet. */
    public String holderPort() {
        return holderPort;
    }
}
