package dev.appstrate.server.store;

/** Every database connection stayed busy for the whole wait: the request may succeed later; surfaces as 503 with Retry-After (a StoreException to everything that handles those). */
public final class StoreBusyException extends StoreException {
    public StoreBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
