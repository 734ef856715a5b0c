package dev.appstrate.server;

/** The port could not be bound; the message is one readable line with the fix. */
public final class BindFailedException extends RuntimeException {
    public BindFailedException(String host, int port, Throwable cause) {
        super("Port " + port + " is already in use on " + host + " (or cannot be bound). Start with another port, e.g. PORT="
                + (port == 3000 ? 3100 : port + 1) + ", or PORT=0 to pick any free port.", cause);
    }
}
