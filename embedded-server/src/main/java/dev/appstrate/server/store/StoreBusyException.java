package dev.appstrate.server.store;

/** Every database connection stayed busy for the whole wait: the request may succeed later; surfaces as 503 with Retry-After. */
public final class StoreBusyException extends RuntimeException {
    public StoreBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
