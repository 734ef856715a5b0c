package dev.appstrate.server.store;

/** The configured PostgreSQL database cannot be reached at boot: what was tried and how to check it, never the password. */
public final class DatabaseUnavailableException extends RuntimeException {
    private final String reason;

    public DatabaseUnavailableException(DatabaseUrl url, String reason, Throwable cause) {
        super("Database connection refused: cannot connect to PostgreSQL at " + url.masked() + " (DATABASE_URL): "
                + reason + "\n"
                + "  - Verify that DATABASE_URL points to an accessible PostgreSQL instance (host, port, user, password, database).\n"
                + "  - Make sure PostgreSQL is running and accepts TCP connections on " + url.host() + ":" + url.port() + ".\n"
                + "  - Test the connection manually: psql \"$DATABASE_URL\"\n"
                + "  - Unset DATABASE_URL to use the embedded SQLite database (DATA_DIR/appstrate.db) instead.", cause);
        this.reason = reason;
    }

    /** The driver's reason alone, for messages that say the rest their own way (move-data). */
    public String reason() {
        return reason;
    }
}
